/* Figure 15 of draft-komu-btns-api-01 (Appendix A), runnable: a TLS client over a socket whose IPsec policy asks for
 * channel binding; the first connection stores the TLS channel (ipsec_openssl_to_channel_info), later ones must match.
 * Usage: hello_tls_conn_client ADDRESS PORT HOSTNAME CAFILE [PORT...]   (IPv4; CAP_NET_ADMIN and an IKE daemon for
 * the SAs). Two connections to PORT; with more PORTs, the later connections go to those, one each (a server with
 * another certificate there is refused).
 * Prints each connection's tls-exporter in hex (compare: openssl s_server -keymatexport EXPORTER-Channel-Binding
 * -keymatexportlen 32). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "ipsec_api.h"

/* The IKE daemon's reqid for this traffic, from IPSEC_REQID in the environment (0 when unset): Linux matches a socket
 * policy to an SA only when their reqids are equal, and IKE daemons number their child SAs from 1. */
static int set_reqid_from_env(ipsec_policy_t *policy)
{
    const char *text = getenv("IPSEC_REQID");
    uint32_t reqid = text ? (uint32_t)strtoul(text, NULL, 10) : 0;
    return reqid ? ipsec_set_policy_attr(policy, IPSEC_REQID, sizeof(reqid), &reqid) : 0;
}

static void print_exporter(const ipsec_channel_info_t *ci)
{
    uint32_t len = 0;
    void *val = NULL;
    if (ipsec_get_channel_attr(ci, IPSEC_CI_TLS_EXPORTER, &len, &val) != 0) {
        printf("tls-exporter: none\n");
        return;
    }
    printf("tls-exporter: ");
    for (uint32_t i = 0; i < len; i++)
        printf("%02X", ((unsigned char *)val)[i]);
    printf("\n");
    free(val);
}

static int hello_tls_conn_client(const char *hostname, int domain, int type, int protocol, const struct sockaddr *sockaddr,
                                 socklen_t sockaddr_len, SSL_CTX *ctx, ipsec_channel_info_t **old_channel)
{
    int sockfd, err;
    uint32_t on = 1;
    ipsec_channel_info_t *channel_info = NULL;
    ipsec_policy_t *policy = NULL;
    const char *hello = "hello world\n";
    int hello_len = (int)strlen(hello);
    SSL *ssl = NULL;

    sockfd = socket(domain, type, protocol);
    if (sockfd < 0)
        return -1;

    /* BTNS in channel binding mode: TLS with certificates authenticates the peer, so IPsec need not. */
    policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
    if (policy == NULL) {
        err = -1;
        goto out;
    }
    err = ipsec_set_policy_attr(policy, IPSEC_BTNS_CHANNEL_BINDING, sizeof(on), &on);
    if (err)
        goto out;
    err = set_reqid_from_env(policy);
    if (err)
        goto out;
    err = ipsec_set_socket_policy(sockfd, policy);
    if (err)
        goto out;

    err = connect(sockfd, sockaddr, sockaddr_len);
    if (err)
        goto out;

    /* TLS over the socket; the server's certificate is verified for hostname (the draft's verify_server_cert). */
    err = -1;
    ssl = SSL_new(ctx);
    if (ssl == NULL || SSL_set_fd(ssl, sockfd) != 1 || SSL_set1_host(ssl, hostname) != 1
        || SSL_set_tlsext_host_name(ssl, hostname) != 1)
        goto out;
    if (SSL_connect(ssl) != 1 || SSL_get_verify_result(ssl) != X509_V_OK)
        goto out;

    /* The TLS channel by the policy's rules; the first one is stored, later ones must be the same server. */
    err = ipsec_openssl_to_channel_info(ssl, policy, &channel_info);
    if (err)
        goto out;
    print_exporter(channel_info);
    if (*old_channel == NULL) {
        err = ipsec_dup_channel_info(channel_info, old_channel);
        if (err)
            goto out;
    } else {
        /* A new connection has its own tls-exporter: the server is the same when its certificate is. */
        uint32_t l1 = 0, l2 = 0;
        void *v1 = NULL, *v2 = NULL;
        err = ipsec_get_channel_attr(channel_info, IPSEC_CI_PEER_SPKI_SHA256, &l1, &v1);
        if (!err)
            err = ipsec_get_channel_attr(*old_channel, IPSEC_CI_PEER_SPKI_SHA256, &l2, &v2);
        if (!err && (l1 != l2 || memcmp(v1, v2, l1) != 0))
            err = -1; /* another server */
        free(v1);
        free(v2);
        if (err)
            goto out;
    }

    err = SSL_write(ssl, hello, hello_len) == hello_len ? 0 : -1;

out:
    if (channel_info)
        ipsec_free_channel_info(channel_info);
    if (ssl) {
        SSL_shutdown(ssl);
        SSL_free(ssl);
    }
    close(sockfd);
    if (policy)
        ipsec_free_policy(policy);
    return err;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: %s ADDRESS PORT HOSTNAME CAFILE [PORT...]\n", argv[0]);
        return 2;
    }
    struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2])) };
    if (inet_pton(AF_INET, argv[1], &peer.sin_addr) != 1) {
        fprintf(stderr, "%s: not an IPv4 address\n", argv[1]);
        return 2;
    }
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (ctx == NULL || SSL_CTX_load_verify_locations(ctx, argv[4], NULL) != 1) {
        fprintf(stderr, "%s: cannot load\n", argv[4]);
        return 2;
    }
    ipsec_channel_info_t *channel = NULL;
    int err = 0;
    int connections = argc > 5 ? 1 + (argc - 5) : 2;
    for (int i = 1; i <= connections && err == 0; i++) {
        if (i > 1 && argc > 5)
            peer.sin_port = htons((uint16_t)atoi(argv[5 + i - 2]));
        err = hello_tls_conn_client(argv[3], AF_INET, SOCK_STREAM, 0, (struct sockaddr *)&peer, sizeof peer, ctx, &channel);
        printf("connection %d: %s (%d)\n", i, err == 0 ? "sent" : "failed", err);
    }
    if (channel)
        ipsec_free_channel_info(channel);
    SSL_CTX_free(ctx);
    return err == 0 ? 0 : 1;
}
