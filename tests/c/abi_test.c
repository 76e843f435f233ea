/* ABI tests of libcbbipsec.so through include/ipsec_api.h: NULL arguments, wrong lengths, freed, foreign and
 * other-kind handles (every function with each, as a matrix), malloc'd results, refused sets that lose nothing,
 * threads; socket policies on real sockets, msghdr control data. Prints
 * "N passed, N failed" and exits non-zero on any failure. Run as root for the socket policy tests (CAP_NET_ADMIN). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <netinet/in.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec_api.h"

static int passed, failed;

#define CHECK(cond) do { if (cond) { passed++; } else { failed++; fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } } while (0)

static void policy_tests(void)
{
    ipsec_policy_t *p = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
    CHECK(p != NULL);
    CHECK(ipsec_create_policy(77u) == NULL);

    uint32_t one = 1, len = 99;
    void *val = (void *)&len;
    CHECK(ipsec_set_policy_attr(p, IPSEC_BTNS_STANDALONE, sizeof one, &one) == 0);
    CHECK(ipsec_set_policy_attr(p, IPSEC_BTNS_STANDALONE, 2, &one) == EINVAL);       /* wrong size */
    CHECK(ipsec_set_policy_attr(p, IPSEC_BTNS_STANDALONE, 4, NULL) == EINVAL);       /* NULL value */
    CHECK(ipsec_set_policy_attr(p, 999u, sizeof one, &one) == EINVAL);               /* undefined type */
    CHECK(ipsec_set_policy_attr(NULL, IPSEC_BTNS_STANDALONE, sizeof one, &one) == EINVAL);
    uint32_t seven = 7;
    CHECK(ipsec_set_policy_attr(p, IPSEC_BTNS_STANDALONE, sizeof seven, &seven) == EINVAL); /* undefined value */

    CHECK(ipsec_get_policy_attr(p, IPSEC_BTNS_STANDALONE, &len, &val) == 0);
    CHECK(len == 4 && val != NULL && memcmp(val, &one, 4) == 0);
    free(val);
    CHECK(ipsec_get_policy_attr(p, IPSEC_BTNS_STANDALONE, NULL, &val) == EINVAL);
    CHECK(ipsec_get_policy_attr(p, IPSEC_BTNS_STANDALONE, &len, NULL) == EINVAL);
    val = (void *)&len;
    CHECK(ipsec_get_policy_attr(p, 999u, &len, &val) == EINVAL && len == 0 && val == NULL);
    CHECK(ipsec_get_policy_attr(p, IPSEC_POLICY_NAME, &len, &val) == ENOENT && val == NULL);

    const char name[] = "web";
    CHECK(ipsec_set_policy_attr(p, IPSEC_POLICY_NAME, 3, name) == 0);
    CHECK(ipsec_get_policy_attr(p, IPSEC_POLICY_NAME, &len, &val) == 0 && len == 3 && memcmp(val, "web", 3) == 0);
    free(val);

    ipsec_policy_t *d = NULL;
    CHECK(ipsec_dup_policy(p, &d) == 0 && d != NULL && d != p);
    CHECK(ipsec_cmp_policy(p, d) == 0);
    uint32_t zero = 0;
    CHECK(ipsec_set_policy_attr(d, IPSEC_BTNS_STANDALONE, sizeof zero, &zero) == 0);
    CHECK(ipsec_cmp_policy(p, d) == 1);
    CHECK(ipsec_dup_policy(p, NULL) == EINVAL);
    ipsec_policy_t *none = p;
    CHECK(ipsec_dup_policy(NULL, &none) == EINVAL && none == NULL);
    CHECK(ipsec_cmp_policy(p, NULL) == EINVAL);

    /* A channel-info pointer is no policy; a pointer that never came from the library is rejected, not read. */
    ipsec_channel_info_t *ci = ipsec_create_channel_info();
    CHECK(ipsec_free_policy((ipsec_policy_t *)ci) == EINVAL);
    uint32_t stack_word = 0;
    CHECK(ipsec_free_policy((ipsec_policy_t *)&stack_word) == EINVAL);
    CHECK(ipsec_get_policy_attr((ipsec_policy_t *)&stack_word, IPSEC_BTNS_STANDALONE, &len, &val) == EINVAL);
    CHECK(ipsec_free_channel_info(ci) == 0);

    CHECK(ipsec_free_policy(p) == 0);
    CHECK(ipsec_free_policy(p) == EINVAL);                                          /* double free */
    CHECK(ipsec_get_policy_attr(p, IPSEC_BTNS_STANDALONE, &len, &val) == EINVAL);   /* use after free */
    CHECK(ipsec_set_policy_attr(p, IPSEC_BTNS_STANDALONE, sizeof one, &one) == EINVAL);
    CHECK(ipsec_cmp_policy(p, p) == EINVAL);
    /* The freed slot is reused by a new policy: the old pointer must still be rejected. */
    ipsec_policy_t *q = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
    CHECK(q != NULL && q != p);
    CHECK(ipsec_free_policy(p) == EINVAL);
    CHECK(ipsec_free_policy(q) == 0);
    CHECK(ipsec_free_policy(d) == 0);
    CHECK(ipsec_free_policy(NULL) == EINVAL);
}

static void channel_tests(void)
{
    ipsec_channel_info_t *ci = ipsec_create_channel_info();
    CHECK(ci != NULL);
    uint32_t len = 5;
    void *val = &len;
    CHECK(ipsec_get_channel_attr(ci, IPSEC_CI_TLS_EXPORTER, &len, &val) == ENOENT && len == 0 && val == NULL);

    unsigned char exporter[32];
    for (int i = 0; i < 32; i++) exporter[i] = (unsigned char)i;
    CHECK(ipsec_set_channel_attr(ci, IPSEC_CI_TLS_EXPORTER, 31, exporter) == EINVAL); /* wrong size */
    CHECK(ipsec_set_channel_attr(ci, IPSEC_CI_TLS_EXPORTER, 32, NULL) == EINVAL);
    CHECK(ipsec_set_channel_attr(ci, 200u, 32, exporter) == EINVAL);
    CHECK(ipsec_set_channel_attr(NULL, IPSEC_CI_TLS_EXPORTER, 32, exporter) == EINVAL);
    CHECK(ipsec_set_channel_attr(ci, IPSEC_CI_TLS_EXPORTER, 32, exporter) == 0);
    CHECK(ipsec_get_channel_attr(ci, IPSEC_CI_TLS_EXPORTER, &len, &val) == 0 && len == 32 && memcmp(val, exporter, 32) == 0);
    free(val);
    CHECK(ipsec_get_channel_attr(ci, IPSEC_CI_TLS_EXPORTER, NULL, &val) == EINVAL);
    CHECK(ipsec_get_channel_attr(ci, IPSEC_CI_TLS_EXPORTER, &len, NULL) == EINVAL);

    ipsec_channel_info_t *d = NULL;
    CHECK(ipsec_dup_channel_info(ci, &d) == 0 && d != NULL);
    CHECK(ipsec_cmp_channel_info(ci, d) == 0);
    exporter[0] ^= 1;
    CHECK(ipsec_set_channel_attr(d, IPSEC_CI_TLS_EXPORTER, 32, exporter) == 0);
    CHECK(ipsec_cmp_channel_info(ci, d) == 1);
    CHECK(ipsec_cmp_channel_info(NULL, d) == EINVAL);
    CHECK(ipsec_dup_channel_info(ci, NULL) == EINVAL);

    ipsec_policy_t *p = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
    CHECK(ipsec_free_channel_info((ipsec_channel_info_t *)p) == EINVAL);
    CHECK(ipsec_free_policy(p) == 0);

    CHECK(ipsec_free_channel_info(ci) == 0);
    CHECK(ipsec_free_channel_info(ci) == EINVAL);
    CHECK(ipsec_get_channel_attr(ci, IPSEC_CI_TLS_EXPORTER, &len, &val) == EINVAL);
    ipsec_channel_info_t *none = ci;
    CHECK(ipsec_dup_channel_info(ci, &none) == EINVAL && none == NULL);
    CHECK(ipsec_free_channel_info(d) == 0);
    CHECK(ipsec_free_channel_info(NULL) == EINVAL);
}

/* A TCP connection over 127.0.0.1: *client and *server connected to each other. */
static void loopback_pair(int *client, int *server)
{
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof addr;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(listener >= 0 && bind(listener, (struct sockaddr *)&addr, sizeof addr) == 0 && listen(listener, 1) == 0);
    CHECK(getsockname(listener, (struct sockaddr *)&addr, &len) == 0);
    *client = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(connect(*client, (struct sockaddr *)&addr, sizeof addr) == 0);
    *server = accept(listener, NULL, NULL);
    CHECK(*server >= 0);
    close(listener);
}

static void socket_policy_tests(void)
{
    ipsec_policy_t *p = ipsec_create_policy(IPSEC_DEFAULT_POLICY), *got = NULL;
    uint32_t one = 1;
    CHECK(ipsec_set_policy_attr(p, IPSEC_BTNS_STANDALONE, sizeof one, &one) == 0);
    CHECK(ipsec_set_policy_attr(p, IPSEC_POLICY_NAME, 5, "c-abi") == 0);

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(fd >= 0);
    CHECK(ipsec_get_socket_policy(fd, &got) == ENOENT && got == NULL);             /* none attached yet */
    CHECK(ipsec_set_socket_policy(fd, p) == 0);                                    /* into the kernel */
    /* Changing the handle afterwards changes nothing attached. */
    uint32_t zero = 0;
    CHECK(ipsec_set_policy_attr(p, IPSEC_BTNS_STANDALONE, sizeof zero, &zero) == 0);
    CHECK(ipsec_get_socket_policy(fd, &got) == 0 && got != NULL && got != p);
    uint32_t len = 0;
    void *val = NULL;
    CHECK(ipsec_get_policy_attr(got, IPSEC_BTNS_STANDALONE, &len, &val) == 0 && len == 4 && memcmp(val, &one, 4) == 0);
    free(val);
    CHECK(ipsec_get_policy_attr(got, IPSEC_POLICY_NAME, &len, &val) == 0 && len == 5 && memcmp(val, "c-abi", 5) == 0);
    free(val);
    CHECK(ipsec_cmp_policy(got, p) == 1);
    CHECK(ipsec_set_policy_attr(p, IPSEC_BTNS_STANDALONE, sizeof one, &one) == 0);
    CHECK(ipsec_cmp_policy(got, p) == 0);
    CHECK(ipsec_free_policy(got) == 0);

    /* The same descriptor number, reused for another socket, starts without a policy. */
    close(fd);
    int again = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(again == fd);
    got = p;
    CHECK(ipsec_get_socket_policy(again, &got) == ENOENT && got == NULL);
    close(again);

    /* Bad descriptors, handles and outputs. */
    fd = socket(AF_INET, SOCK_DGRAM, 0);
    close(fd);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull == fd) devnull = open("/dev/null", O_RDONLY);
    CHECK(ipsec_set_socket_policy(-1, p) == EINVAL);
    CHECK(ipsec_set_socket_policy(fd, p) == EINVAL);                               /* closed */
    CHECK(ipsec_set_socket_policy(devnull, p) == EINVAL);                          /* not a socket */
    CHECK(ipsec_get_socket_policy(devnull, &got) == EINVAL && got == NULL);
    CHECK(ipsec_get_socket_policy(-1, &got) == EINVAL);
    int fresh = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(ipsec_set_socket_policy(fresh, NULL) == EINVAL);
    CHECK(ipsec_get_socket_policy(fresh, NULL) == EINVAL);
    ipsec_channel_info_t *ci = ipsec_create_channel_info();
    CHECK(ipsec_set_socket_policy(fresh, (ipsec_policy_t *)ci) == EINVAL);          /* other kind */
    CHECK(ipsec_free_channel_info(ci) == 0);
    /* A policy Linux cannot express on an unconnected socket: tunnel mode needs the peer. */
    ipsec_policy_t *tunnel = NULL;
    CHECK(ipsec_dup_policy(p, &tunnel) == 0);
    CHECK(ipsec_set_policy_attr(tunnel, IPSEC_TUNNEL_MODE, sizeof one, &one) == 0);
    CHECK(ipsec_set_socket_policy(fresh, tunnel) == EINVAL);
    CHECK(ipsec_free_policy(tunnel) == 0);
    CHECK(ipsec_free_policy(p) == 0);
    CHECK(ipsec_set_socket_policy(fresh, p) == EINVAL);                            /* freed */
    close(fresh);
    close(devnull);
}

static void socket_channel_tests(void)
{
    ipsec_channel_info_t *ci = NULL;
    int unconnected = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(ipsec_get_socket_channel_info(unconnected, &ci) == ENOTCONN && ci == NULL);
    CHECK(ipsec_get_socket_channel_info(unconnected, NULL) == EINVAL);
    CHECK(ipsec_get_socket_channel_info(-1, &ci) == EINVAL);
    close(unconnected);

    int client, server;
    loopback_pair(&client, &server);
    /* Loopback in the clear: no policy covers it, so there is no channel to report. */
    CHECK(ipsec_get_socket_channel_info(client, &ci) == ENOENT && ci == NULL);

    /* A requirement must name something a pin compares: a TLS exporter alone is not one. */
    ipsec_channel_info_t *want = ipsec_create_channel_info();
    unsigned char exporter[32] = { 1 };
    CHECK(ipsec_set_channel_attr(want, IPSEC_CI_TLS_EXPORTER, 32, exporter) == 0);
    CHECK(ipsec_set_socket_channel_info(client, want) == EINVAL);
    unsigned char esp = 50;
    CHECK(ipsec_set_channel_attr(want, IPSEC_CI_IPSEC_PROTOCOL, 1, &esp) == 0);
    CHECK(ipsec_set_channel_attr(want, IPSEC_CI_IPSEC_PEER_ID, 8, "CN=peer1") == 0);
    CHECK(ipsec_set_socket_channel_info(client, want) == 0);
    CHECK(ipsec_set_socket_channel_info(client, NULL) == EINVAL);
    CHECK(ipsec_set_socket_channel_info(-1, want) == EINVAL);
    CHECK(ipsec_set_socket_channel_info(client, (ipsec_channel_info_t *)ipsec_create_policy(IPSEC_DEFAULT_POLICY)) == EINVAL);

    /* With a socket policy that requires ESP and no SA, key management is asked: EAGAIN, the requirement stays. */
    ipsec_policy_t *p = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
    CHECK(ipsec_set_socket_policy(client, p) == 0);
    int rc = ipsec_get_socket_channel_info(client, &ci);
    CHECK(rc == EAGAIN && ci == NULL);
    if (rc != EAGAIN) fprintf(stderr, "  ipsec_get_socket_channel_info with a policy and no SA: %d\n", rc);

    CHECK(ipsec_free_channel_info(want) == 0);
    CHECK(ipsec_set_socket_channel_info(server, want) == EINVAL);                  /* freed */
    CHECK(ipsec_free_policy(p) == 0);
    close(client);
    close(server);
}

static void msg_tests(void)
{
    ipsec_policy_t *p = ipsec_create_policy(IPSEC_DEFAULT_POLICY), *got = NULL;
    uint32_t one = 1, prio = 7;
    CHECK(ipsec_set_policy_attr(p, IPSEC_BTNS_CHANNEL_BINDING, sizeof one, &one) == 0);
    CHECK(ipsec_set_policy_attr(p, IPSEC_PRIORITY, sizeof prio, &prio) == 0);
    CHECK(ipsec_set_policy_attr(p, IPSEC_POLICY_NAME, 4, "msg1") == 0);

    union { char buf[IPSEC_MSG_POLICY_SPACE + CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = { .msg_control = control.buf, .msg_controllen = sizeof control.buf };
    CHECK(ipsec_get_msg_policy(&msg, &got) == ENOENT && got == NULL);              /* a zeroed buffer holds none */
    CHECK(ipsec_set_msg_policy(&msg, p) == 0);
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    CHECK(c != NULL && c->cmsg_level == IPSEC_SOL_CBB && c->cmsg_type == IPSEC_CMSG_POLICY && c->cmsg_len == CMSG_LEN(IPSEC_MSG_POLICY_LEN));
    CHECK(ipsec_get_msg_policy(&msg, &got) == 0 && got != NULL);
    CHECK(ipsec_cmp_policy(got, p) == 0);
    CHECK(ipsec_free_policy(got) == 0);

    /* Found after another control message too. */
    struct msghdr two = { .msg_control = control.buf, .msg_controllen = sizeof control.buf };
    memmove(control.buf + CMSG_SPACE(sizeof(int)), control.buf, IPSEC_MSG_POLICY_SPACE);
    struct cmsghdr *first = CMSG_FIRSTHDR(&two);
    first->cmsg_level = SOL_IP;
    first->cmsg_type = IP_TTL;
    first->cmsg_len = CMSG_LEN(sizeof(int));
    CHECK(ipsec_get_msg_policy(&two, &got) == 0 && ipsec_cmp_policy(got, p) == 0);
    CHECK(ipsec_free_policy(got) == 0);

    /* Too small a control buffer, none at all, a damaged control message. */
    struct msghdr small = { .msg_control = control.buf, .msg_controllen = IPSEC_MSG_POLICY_SPACE - 1 };
    CHECK(ipsec_set_msg_policy(&small, p) == EMSGSIZE);
    struct msghdr bare = { 0 };
    CHECK(ipsec_set_msg_policy(&bare, p) == EMSGSIZE);
    CHECK(ipsec_get_msg_policy(&bare, &got) == ENOENT && got == NULL);
    CHECK(ipsec_set_msg_policy(&msg, p) == 0);
    control.buf[CMSG_LEN(0)] ^= 0xff;                                              /* the payload's magic */
    got = p;
    CHECK(ipsec_get_msg_policy(&msg, &got) == EBADMSG && got == NULL);
    CHECK(ipsec_set_msg_policy(&msg, p) == 0);
    c->cmsg_len = sizeof control.buf + 1;                                          /* runs past msg_controllen */
    CHECK(ipsec_get_msg_policy(&msg, &got) == EBADMSG);

    /* The kernel ignores the control message: a datagram carrying it is sent and arrives (UDP over 127.0.0.1). */
    {
        CHECK(ipsec_set_msg_policy(&msg, p) == 0);
        struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        socklen_t tolen = sizeof to;
        int rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);
        CHECK(bind(rx, (struct sockaddr *)&to, sizeof to) == 0 && getsockname(rx, (struct sockaddr *)&to, &tolen) == 0);
        char data[] = "dgram", got_data[8] = { 0 };
        struct iovec iov = { .iov_base = data, .iov_len = 5 };
        struct msghdr out = { .msg_name = &to, .msg_namelen = sizeof to, .msg_iov = &iov, .msg_iovlen = 1,
                              .msg_control = control.buf, .msg_controllen = IPSEC_MSG_POLICY_SPACE };
        CHECK(sendmsg(tx, &out, 0) == 5);
        CHECK(recv(rx, got_data, sizeof got_data, 0) == 5 && memcmp(got_data, "dgram", 5) == 0);
        close(rx);
        close(tx);
    }

    /* NULL and bad handles. */
    CHECK(ipsec_set_msg_policy(NULL, p) == EINVAL);
    CHECK(ipsec_set_msg_policy(&msg, NULL) == EINVAL);
    CHECK(ipsec_get_msg_policy(NULL, &got) == EINVAL);
    CHECK(ipsec_get_msg_policy(&msg, NULL) == EINVAL);

    /* Channel information per datagram: Linux cannot deliver it. */
    ipsec_channel_info_t *ci = ipsec_create_channel_info(), *out = ci;
    CHECK(ipsec_set_msg_channel_info(&msg, ci) == EOPNOTSUPP);
    CHECK(ipsec_get_msg_channel_info(&msg, &out) == EOPNOTSUPP && out == NULL);
    CHECK(ipsec_set_msg_channel_info(NULL, ci) == EINVAL);
    CHECK(ipsec_set_msg_channel_info(&msg, NULL) == EINVAL);
    CHECK(ipsec_set_msg_channel_info(&msg, (ipsec_channel_info_t *)p) == EINVAL);
    CHECK(ipsec_get_msg_channel_info(NULL, &out) == EINVAL);
    CHECK(ipsec_get_msg_channel_info(&msg, NULL) == EINVAL);
    CHECK(ipsec_free_channel_info(ci) == 0);
    CHECK(ipsec_set_msg_channel_info(&msg, ci) == EINVAL);                         /* freed */

    CHECK(ipsec_free_policy(p) == 0);
    CHECK(ipsec_set_msg_policy(&msg, p) == EINVAL);                                /* freed */
}

/* Every function that takes a handle, with each kind of bad handle: NULL, freed (its slot then reused), the other
 * kind, and a pointer that never came from the library. All are EINVAL and touch no output but to clear it. */
static void bad_handle_matrix(void)
{
    ipsec_policy_t *freed_p = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
    ipsec_channel_info_t *freed_c = ipsec_create_channel_info();
    CHECK(ipsec_free_policy(freed_p) == 0 && ipsec_free_channel_info(freed_c) == 0);
    ipsec_policy_t *reuse_p = ipsec_create_policy(IPSEC_DEFAULT_POLICY);    /* may take the freed slots */
    ipsec_channel_info_t *reuse_c = ipsec_create_channel_info();
    ipsec_policy_t *good_p = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
    ipsec_channel_info_t *good_c = ipsec_create_channel_info();
    uint64_t foreign = 0x4242424242424242ull;
    ipsec_policy_t *bad_p[] = { NULL, freed_p, (ipsec_policy_t *)good_c, (ipsec_policy_t *)&foreign };
    ipsec_channel_info_t *bad_c[] = { NULL, freed_c, (ipsec_channel_info_t *)good_p, (ipsec_channel_info_t *)&foreign };
    union { char buf[IPSEC_MSG_POLICY_SPACE]; struct cmsghdr align; } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = { .msg_control = control.buf, .msg_controllen = sizeof control.buf };
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    uint32_t one = 1, len;
    void *val;

    for (size_t i = 0; i < sizeof bad_p / sizeof bad_p[0]; i++) {
        ipsec_policy_t *p = bad_p[i], *out_p;
        ipsec_channel_info_t *out_c;
        len = 9; val = &len;
        CHECK(ipsec_get_policy_attr(p, IPSEC_BTNS_STANDALONE, &len, &val) == EINVAL && len == 0 && val == NULL);
        CHECK(ipsec_set_policy_attr(p, IPSEC_BTNS_STANDALONE, sizeof one, &one) == EINVAL);
        CHECK(ipsec_cmp_policy(p, good_p) == EINVAL);
        CHECK(ipsec_cmp_policy(good_p, p) == EINVAL);
        out_p = good_p;
        CHECK(ipsec_dup_policy(p, &out_p) == EINVAL && out_p == NULL);
        CHECK(ipsec_free_policy(p) == EINVAL);
        CHECK(ipsec_set_msg_policy(&msg, p) == EINVAL);
        CHECK(geteuid() != 0 || ipsec_set_socket_policy(fd, p) == EINVAL);
        out_c = good_c;
        CHECK(ipsec_openssl_to_channel_info(NULL, p, &out_c) == EINVAL && out_c == NULL);
    }
    for (size_t i = 0; i < sizeof bad_c / sizeof bad_c[0]; i++) {
        ipsec_channel_info_t *c = bad_c[i], *out_c;
        unsigned char role = 1;
        len = 9; val = &len;
        CHECK(ipsec_get_channel_attr(c, IPSEC_CI_ROLE, &len, &val) == EINVAL && len == 0 && val == NULL);
        CHECK(ipsec_set_channel_attr(c, IPSEC_CI_ROLE, 1, &role) == EINVAL);
        CHECK(ipsec_cmp_channel_info(c, good_c) == EINVAL);
        CHECK(ipsec_cmp_channel_info(good_c, c) == EINVAL);
        out_c = good_c;
        CHECK(ipsec_dup_channel_info(c, &out_c) == EINVAL && out_c == NULL);
        CHECK(ipsec_free_channel_info(c) == EINVAL);
        CHECK(ipsec_set_msg_channel_info(&msg, c) == EINVAL);
        CHECK(ipsec_set_socket_channel_info(fd, c) == EINVAL);
    }
    /* The good handles were never harmed by any of that. */
    CHECK(ipsec_set_policy_attr(good_p, IPSEC_BTNS_STANDALONE, sizeof one, &one) == 0);
    CHECK(ipsec_cmp_policy(good_p, good_p) == 0 && ipsec_cmp_channel_info(good_c, good_c) == 0);
    close(fd);
    CHECK(ipsec_free_policy(good_p) == 0 && ipsec_free_policy(reuse_p) == 0);
    CHECK(ipsec_free_channel_info(good_c) == 0 && ipsec_free_channel_info(reuse_c) == 0);
}

/* Each fixed-size attribute refuses one octet less and one more, and a refused set loses nothing: the value set
 * before is still there (docs/api.md, the attribute tables). */
static void wrong_size_matrix(void)
{
    static const struct { uint32_t type, size; } policy_attrs[] = {
        { IPSEC_BTNS_STANDALONE, 4 }, { IPSEC_BTNS_CHANNEL_BINDING, 4 }, { IPSEC_PRIVACY_PROTECTED, 4 },
        { IPSEC_INTEGRITY_PROTECTED, 4 }, { IPSEC_TUNNEL_MODE, 4 }, { IPSEC_COMPRESSION_AVAILABLE, 4 },
        { IPSEC_LEVEL, 4 }, { IPSEC_REQID, 4 }, { IPSEC_PRIORITY, 4 }, { IPSEC_CHANNEL_BINDING_TYPES, 4 },
    };
    ipsec_policy_t *p = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
    unsigned char bytes[80];
    memset(bytes, 0, sizeof bytes);
    bytes[0] = 1; /* 1 as a little-endian uint32 and a valid value of each policy attribute */
    for (size_t i = 0; i < sizeof policy_attrs / sizeof policy_attrs[0]; i++) {
        uint32_t t = policy_attrs[i].type, n = policy_attrs[i].size, len = 0;
        void *val = NULL;
        CHECK(ipsec_set_policy_attr(p, t, n, bytes) == 0);
        CHECK(ipsec_set_policy_attr(p, t, n - 1, bytes) == EINVAL);
        CHECK(ipsec_set_policy_attr(p, t, n + 1, bytes) == EINVAL);
        CHECK(ipsec_set_policy_attr(p, t, 0, bytes) == EINVAL);
        CHECK(ipsec_get_policy_attr(p, t, &len, &val) == 0 && len == n && memcmp(val, bytes, n) == 0);
        free(val);
    }
    /* The name: 1 to 255 octets of UTF-8. */
    char name[257];
    memset(name, 'n', sizeof name);
    CHECK(ipsec_set_policy_attr(p, IPSEC_POLICY_NAME, 255, name) == 0);
    CHECK(ipsec_set_policy_attr(p, IPSEC_POLICY_NAME, 256, name) == EINVAL);
    CHECK(ipsec_set_policy_attr(p, IPSEC_POLICY_NAME, 0, name) == EINVAL);
    CHECK(ipsec_set_policy_attr(p, IPSEC_POLICY_NAME, 2, "\xc3\x28") == EINVAL);  /* not UTF-8 */
    uint32_t len = 0;
    void *val = NULL;
    CHECK(ipsec_get_policy_attr(p, IPSEC_POLICY_NAME, &len, &val) == 0 && len == 255);
    free(val);
    CHECK(ipsec_free_policy(p) == 0);

    static const struct { uint32_t type, size; unsigned char first; } channel_attrs[] = {
        { IPSEC_CI_TLS_VERSION, 2, 3 }, { IPSEC_CI_TLS_CIPHER_SUITE, 2, 0x13 }, { IPSEC_CI_TLS_EXPORTER, 32, 1 },
        { IPSEC_CI_EXTENDED_MASTER_SECRET, 1, 1 }, { IPSEC_CI_PEER_SPKI_SHA256, 32, 1 },
        { IPSEC_CI_LOCAL_SPKI_SHA256, 32, 1 }, { IPSEC_CI_ROLE, 1, 1 }, { IPSEC_CI_CREATED_AT, 8, 1 },
        { IPSEC_CI_IPSEC_END_POINT_SHA256, 32, 1 }, { IPSEC_CI_IPSEC_SINGLE_END_POINT_SHA256, 32, 1 },
        { IPSEC_CI_IPSEC_SA_BINDING, 32, 1 }, { IPSEC_CI_IPSEC_AUTH_METHOD, 1, 1 }, { IPSEC_CI_IPSEC_PROTOCOL, 1, 50 },
        { IPSEC_CI_IPSEC_MODE, 1, 0 }, { IPSEC_CI_IPSEC_OUTBOUND_SPI, 4, 1 }, { IPSEC_CI_IPSEC_INBOUND_SPI, 4, 1 },
        { IPSEC_CI_IPSEC_REQID, 4, 1 }, { IPSEC_CI_LATCH_STATE, 1, 2 }, { IPSEC_CI_QOP_INDETERMINATE, 1, 1 },
    };
    ipsec_channel_info_t *ci = ipsec_create_channel_info();
    for (size_t i = 0; i < sizeof channel_attrs / sizeof channel_attrs[0]; i++) {
        uint32_t t = channel_attrs[i].type, n = channel_attrs[i].size;
        memset(bytes, 0x11, sizeof bytes);
        bytes[0] = channel_attrs[i].first;
        if (t == IPSEC_CI_TLS_VERSION) bytes[1] = 4;                                  /* 0x0304 */
        if (t == IPSEC_CI_TLS_CIPHER_SUITE) bytes[1] = 1;                             /* 0x1301 */
        if (t == IPSEC_CI_CREATED_AT)                                                 /* 2025-01-01, big-endian */
            for (int b = 0; b < 8; b++) bytes[b] = (unsigned char)(1735689600000ull >> (56 - 8 * b));
        int set = ipsec_set_channel_attr(ci, t, n, bytes);
        CHECK(set == 0);
        if (set != 0) fprintf(stderr, "  channel attribute %u, %u octets: %d\n", t, n, set);
        CHECK(ipsec_set_channel_attr(ci, t, n - 1, bytes) == EINVAL);
        CHECK(ipsec_set_channel_attr(ci, t, n + 1, bytes) == EINVAL);
        len = 0; val = NULL;
        CHECK(ipsec_get_channel_attr(ci, t, &len, &val) == 0 && len == n && memcmp(val, bytes, n) == 0);
        free(val);
    }
    /* Variable sizes: tls-server-end-point is 32, 48 or 64 octets; tls-unique 12 to 64; a peer ID 1 to 1024. */
    memset(bytes, 0x22, sizeof bytes);
    CHECK(ipsec_set_channel_attr(ci, IPSEC_CI_TLS_SERVER_END_POINT, 48, bytes) == 0);
    CHECK(ipsec_set_channel_attr(ci, IPSEC_CI_TLS_SERVER_END_POINT, 40, bytes) == EINVAL);
    CHECK(ipsec_set_channel_attr(ci, IPSEC_CI_TLS_UNIQUE, 12, bytes) == 0);
    CHECK(ipsec_set_channel_attr(ci, IPSEC_CI_TLS_UNIQUE, 11, bytes) == EINVAL);
    CHECK(ipsec_set_channel_attr(ci, IPSEC_CI_TLS_UNIQUE, 65, bytes) == EINVAL);
    CHECK(ipsec_set_channel_attr(ci, IPSEC_CI_IPSEC_PEER_ID, 0, bytes) == EINVAL);
    CHECK(ipsec_set_channel_attr(ci, IPSEC_CI_PEER_CERTIFICATE, 0, bytes) == EINVAL);
    len = 0; val = NULL;
    CHECK(ipsec_get_channel_attr(ci, IPSEC_CI_TLS_SERVER_END_POINT, &len, &val) == 0 && len == 48);
    free(val);
    len = 0; val = NULL;
    CHECK(ipsec_get_channel_attr(ci, IPSEC_CI_TLS_UNIQUE, &len, &val) == 0 && len == 12);
    free(val);
    CHECK(ipsec_free_channel_info(ci) == 0);
}

/* Thread safety as stated in docs/api.md: threads that create, set, read, duplicate, compare and free their own
 * handles at the same time each see only their own values. */
#define THREADS 4
#define ROUNDS 2000
static void *thread_body(void *arg)
{
    uint32_t me = (uint32_t)(uintptr_t)arg, errors = 0;
    for (uint32_t i = 0; i < ROUNDS; i++) {
        uint32_t prio = me * 100000u + i, len = 0;
        void *val = NULL;
        ipsec_policy_t *p = ipsec_create_policy(IPSEC_DEFAULT_POLICY), *d = NULL;
        ipsec_channel_info_t *c = ipsec_create_channel_info(), *e = NULL;
        unsigned char spi[4] = { (unsigned char)me, (unsigned char)(i >> 8), (unsigned char)i, 1 };
        if (p == NULL || c == NULL || ipsec_set_policy_attr(p, IPSEC_PRIORITY, sizeof prio, &prio) != 0
            || ipsec_dup_policy(p, &d) != 0 || ipsec_cmp_policy(p, d) != 0
            || ipsec_get_policy_attr(d, IPSEC_PRIORITY, &len, &val) != 0 || len != 4 || memcmp(val, &prio, 4) != 0
            || ipsec_set_channel_attr(c, IPSEC_CI_IPSEC_OUTBOUND_SPI, 4, spi) != 0 || ipsec_dup_channel_info(c, &e) != 0
            || ipsec_cmp_channel_info(c, e) != 0)
            errors++;
        free(val);
        if (ipsec_free_policy(p) != 0 || ipsec_free_policy(d) != 0 || ipsec_free_channel_info(c) != 0
            || ipsec_free_channel_info(e) != 0 || ipsec_free_policy(p) != EINVAL)
            errors++;
    }
    return (void *)(uintptr_t)errors;
}

static void thread_tests(void)
{
    pthread_t threads[THREADS];
    for (uintptr_t t = 0; t < THREADS; t++)
        CHECK(pthread_create(&threads[t], NULL, thread_body, (void *)(t + 1)) == 0);
    for (int t = 0; t < THREADS; t++) {
        void *errors = (void *)1;
        CHECK(pthread_join(threads[t], &errors) == 0 && errors == NULL);
    }
}

int main(void)
{
    policy_tests();
    channel_tests();
    msg_tests();
    bad_handle_matrix();
    wrong_size_matrix();
    thread_tests();
    if (geteuid() == 0) {
        socket_policy_tests();
        socket_channel_tests();
    } else {
        printf("skipped: socket policy tests need CAP_NET_ADMIN (run as root)\n");
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
