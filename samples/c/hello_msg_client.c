/* Figure 16 of draft-komu-btns-api-01 (Appendix A), runnable on Linux as far as Linux allows: a UDP client that
 * attaches a BTNS policy to its message (a control message, docs/api.md "The C API") and sends it with sendmsg().
 * Linux acts on no per-datagram IPsec data, so the policy the kernel applies is the socket's (set here as well), and
 * per-datagram channel information is EOPNOTSUPP: the client says so instead of pretending to check a channel.
 * Usage: hello_msg_client ADDRESS PORT   (IPv4; CAP_NET_ADMIN and an IKE daemon for the SAs). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ipsec_api.h"

/* The IKE daemon's reqid for this traffic, from IPSEC_REQID in the environment (0 when unset): Linux matches a socket
 * policy to an SA only when their reqids are equal, and IKE daemons number their child SAs from 1. */
static int set_reqid_from_env(ipsec_policy_t *policy)
{
    const char *text = getenv("IPSEC_REQID");
    uint32_t reqid = text ? (uint32_t)strtoul(text, NULL, 10) : 0;
    return reqid ? ipsec_set_policy_attr(policy, IPSEC_REQID, sizeof(reqid), &reqid) : 0;
}

static int hello_msg_client(int domain, int type, int protocol, struct msghdr *hello_msg, ssize_t hello_len,
                            ipsec_channel_info_t **old_channel)
{
    int sockfd, err;
    uint32_t on = 1;
    ipsec_channel_info_t *channel_info = NULL;
    ipsec_policy_t *policy = NULL;

    sockfd = socket(domain, type, protocol);
    if (sockfd < 0)
        return -1;

    policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
    if (policy == NULL) {
        err = -1;
        goto out;
    }
    err = ipsec_set_policy_attr(policy, IPSEC_BTNS_STANDALONE, sizeof(on), &on);
    if (err)
        goto out;
    err = set_reqid_from_env(policy);
    if (err)
        goto out;

    /* The draft's way: the policy travels in the message. Linux ignores it, so the socket carries it too. */
    err = ipsec_set_msg_policy(hello_msg, policy);
    if (err)
        goto out;
    err = ipsec_set_socket_policy(sockfd, policy);
    if (err)
        goto out;
    if (*old_channel != NULL) {
        err = ipsec_set_msg_channel_info(hello_msg, *old_channel);
        if (err == EOPNOTSUPP)
            printf("per-datagram channel information: not supported on Linux (use a connected socket)\n");
        else if (err)
            goto out;
    }

    if (sendmsg(sockfd, hello_msg, 0) != hello_len) {
        err = -1;
        goto out;
    }

    err = ipsec_get_msg_channel_info(hello_msg, &channel_info);
    if (err == EOPNOTSUPP) {
        printf("channel of the datagram: not reported by Linux\n");
        err = 0;
    } else if (!err && *old_channel == NULL) {
        err = ipsec_dup_channel_info(channel_info, old_channel);
    }

out:
    if (channel_info)
        ipsec_free_channel_info(channel_info);
    close(sockfd);
    if (policy)
        ipsec_free_policy(policy);
    return err;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s ADDRESS PORT\n", argv[0]);
        return 2;
    }
    struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2])) };
    if (inet_pton(AF_INET, argv[1], &peer.sin_addr) != 1) {
        fprintf(stderr, "%s: not an IPv4 address\n", argv[1]);
        return 2;
    }
    char hello[] = "hello world\n";
    struct iovec iov = { .iov_base = hello, .iov_len = strlen(hello) };
    union { char buf[IPSEC_MSG_POLICY_SPACE]; struct cmsghdr align; } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = { .msg_name = &peer, .msg_namelen = sizeof peer, .msg_iov = &iov, .msg_iovlen = 1,
                          .msg_control = control.buf, .msg_controllen = sizeof control.buf };
    ipsec_channel_info_t *channel = NULL;
    int err = hello_msg_client(AF_INET, SOCK_DGRAM, 0, &msg, (ssize_t)iov.iov_len, &channel);
    printf("datagram: %s (%d)\n", err == 0 ? "sent" : "failed", err);
    if (channel)
        ipsec_free_channel_info(channel);
    return err == 0 ? 0 : 1;
}
