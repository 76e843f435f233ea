/* Figure 14 of draft-komu-btns-api-01 (Appendix A), runnable: a TCP client that asks for BTNS (unauthenticated
 * IPsec) on its socket, remembers the IPsec channel of its first connection and requires it of the second.
 * Usage: hello_conn_client ADDRESS PORT   (IPv4; needs CAP_NET_ADMIN and an IKE daemon that sets up the SAs). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* An SPI attribute as a number (network order in the attribute, as on the wire); 0 when absent. */
static uint32_t spi_of(const ipsec_channel_info_t *ci, uint32_t type)
{
    uint32_t len = 0, spi = 0;
    void *val = NULL;
    if (ipsec_get_channel_attr(ci, type, &len, &val) == 0 && len == 4)
        spi = ntohl(*(uint32_t *)val);
    free(val);
    return spi;
}

static int hello_conn_client(int domain, int type, int protocol, const struct sockaddr *sockaddr, socklen_t sockaddr_len,
                             ipsec_channel_info_t **old_channel)
{
    int sockfd, err;
    uint32_t on = 1;
    ipsec_channel_info_t *channel_info = NULL;
    ipsec_policy_t *policy = NULL;
    const char *hello = "hello world\n";
    ssize_t hello_len = (ssize_t)strlen(hello);

    sockfd = socket(domain, type, protocol);
    if (sockfd < 0)
        return -1;

    /* Allow BTNS: IPsec without authenticating the peer at the network layer. */
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
    err = ipsec_set_socket_policy(sockfd, policy);
    if (err)
        goto out;

    /* A peer we saw before must still be the same host. */
    if (*old_channel) {
        err = ipsec_set_socket_channel_info(sockfd, *old_channel);
        if (err)
            goto out;
    }

    /* connect() sends the TCP handshake under the policy. */
    err = connect(sockfd, sockaddr, sockaddr_len);
    if (err)
        goto out;

    /* The channel that protects this connection (checked against *old_channel when one was set). The draft's
     * figure duplicates channel_info without ever reading it; this is the read it leaves out. */
    err = ipsec_get_socket_channel_info(sockfd, &channel_info);
    if (err)
        goto out;
    printf("channel: outbound-spi 0x%08x inbound-spi 0x%08x\n", spi_of(channel_info, IPSEC_CI_IPSEC_OUTBOUND_SPI),
           spi_of(channel_info, IPSEC_CI_IPSEC_INBOUND_SPI));
    if (*old_channel == NULL) {
        err = ipsec_dup_channel_info(channel_info, old_channel);
        if (err)
            goto out;
    }

    if (send(sockfd, hello, (size_t)hello_len, 0) != hello_len)
        err = -1;

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
    ipsec_channel_info_t *channel = NULL;
    for (int i = 1; i <= 2; i++) {
        int err = hello_conn_client(AF_INET, SOCK_STREAM, 0, (struct sockaddr *)&peer, sizeof peer, &channel);
        printf("connection %d: %s (%d)\n", i, err == 0 ? "sent" : "failed", err);
        if (err) {
            if (channel)
                ipsec_free_channel_info(channel);
            return 1;
        }
    }
    ipsec_free_channel_info(channel);
    return 0;
}
