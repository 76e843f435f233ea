/* ipsec_openssl_to_channel_info on real TLS connections over 127.0.0.1 between two SSL* of this program (OpenSSL 3,
 * the libssl.so.3 the library resolves too): each end's channel information against what OpenSSL itself says
 * (SSL_export_keying_material on the peer, the negotiated version and cipher suite, the certificates), plus NULL,
 * freed and unfinished arguments. Prints "N passed, N failed" and exits non-zero on any failure. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "ipsec_api.h"

static int passed, failed;

#define CHECK(cond) do { if (cond) { passed++; } else { failed++; fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } } while (0)

/* A self-signed ECDSA P-256 certificate for the server. */
static X509 *self_signed(EVP_PKEY *key)
{
    X509 *cert = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME *name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"cbb-c-test", -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509_sign(cert, key, EVP_sha256());
    return cert;
}

static void loopback_pair(int *client, int *server)
{
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof addr;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(listener, 1) != 0
        || getsockname(listener, (struct sockaddr *)&addr, &len) != 0) {
        perror("listen");
        exit(2);
    }
    *client = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(*client, (struct sockaddr *)&addr, sizeof addr) != 0 || (*server = accept(listener, NULL, NULL)) < 0) {
        perror("connect");
        exit(2);
    }
    close(listener);
}

static void *accept_tls(void *ssl)
{
    return (void *)(intptr_t)SSL_accept(ssl);
}

/* Both ends of one handshake at the given version; exits on failure (nothing else could be tested). */
static void handshake(SSL_CTX *server_ctx, SSL_CTX *client_ctx, SSL **server, SSL **client, int fds[2])
{
    loopback_pair(&fds[0], &fds[1]);
    *client = SSL_new(client_ctx);
    *server = SSL_new(server_ctx);
    SSL_set_fd(*client, fds[0]);
    SSL_set_fd(*server, fds[1]);
    pthread_t thread;
    void *accepted = NULL;
    pthread_create(&thread, NULL, accept_tls, *server);
    int connected = SSL_connect(*client);
    pthread_join(thread, &accepted);
    if (connected != 1 || (intptr_t)accepted != 1) {
        fprintf(stderr, "TLS handshake failed: connect %d accept %d\n", connected, (int)(intptr_t)accepted);
        exit(2);
    }
}

/* The attribute's value, or NULL (len 0) when absent; the caller frees it. */
static unsigned char *attr(const ipsec_channel_info_t *ci, uint32_t type, uint32_t *len)
{
    void *val = NULL;
    *len = 0;
    return ipsec_get_channel_attr(ci, type, len, &val) == 0 ? val : NULL;
}

static int attr_equals(const ipsec_channel_info_t *ci, uint32_t type, const void *want, uint32_t want_len)
{
    uint32_t len;
    unsigned char *v = attr(ci, type, &len);
    int same = v != NULL && len == want_len && memcmp(v, want, len) == 0;
    free(v);
    return same;
}

/* The same attribute in two channels: present in both and equal. */
static int attrs_agree(const ipsec_channel_info_t *a, uint32_t ta, const ipsec_channel_info_t *b, uint32_t tb)
{
    uint32_t la, lb;
    unsigned char *va = attr(a, ta, &la), *vb = attr(b, tb, &lb);
    int same = va != NULL && vb != NULL && la == lb && memcmp(va, vb, la) == 0;
    free(va);
    free(vb);
    return same;
}

static void connection_tests(SSL_CTX *server_ctx, SSL_CTX *client_ctx, int version)
{
    SSL *server, *client;
    int fds[2];
    handshake(server_ctx, client_ctx, &server, &client, fds);
    CHECK(SSL_version(client) == version && SSL_version(server) == version);

    ipsec_policy_t *policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
    ipsec_channel_info_t *c = NULL, *s = NULL;
    CHECK(ipsec_openssl_to_channel_info(client, policy, &c) == 0 && c != NULL);
    CHECK(ipsec_openssl_to_channel_info(server, policy, &s) == 0 && s != NULL);

    /* tls-exporter: what OpenSSL exports on the PEER's end for RFC 9266's label and empty context. */
    unsigned char from_server[32], from_client[32];
    static const char label[] = "EXPORTER-Channel-Binding";
    CHECK(SSL_export_keying_material(server, from_server, 32, label, strlen(label), NULL, 0, 1) == 1);
    CHECK(SSL_export_keying_material(client, from_client, 32, label, strlen(label), NULL, 0, 1) == 1);
    CHECK(memcmp(from_server, from_client, 32) == 0);
    CHECK(attr_equals(c, IPSEC_CI_TLS_EXPORTER, from_server, 32));
    CHECK(attr_equals(s, IPSEC_CI_TLS_EXPORTER, from_client, 32));

    unsigned char wire[2] = { (unsigned char)(version >> 8), (unsigned char)version };
    CHECK(attr_equals(c, IPSEC_CI_TLS_VERSION, wire, 2) && attr_equals(s, IPSEC_CI_TLS_VERSION, wire, 2));
    uint16_t suite = SSL_CIPHER_get_protocol_id(SSL_get_current_cipher(client));
    unsigned char suite_be[2] = { (unsigned char)(suite >> 8), (unsigned char)suite };
    CHECK(attr_equals(c, IPSEC_CI_TLS_CIPHER_SUITE, suite_be, 2) && attr_equals(s, IPSEC_CI_TLS_CIPHER_SUITE, suite_be, 2));
    unsigned char client_role = 1, server_role = 2, one = 1;
    CHECK(attr_equals(c, IPSEC_CI_ROLE, &client_role, 1) && attr_equals(s, IPSEC_CI_ROLE, &server_role, 1));
    CHECK(attr_equals(c, IPSEC_CI_EXTENDED_MASTER_SECRET, &one, 1));

    /* Certificates: the client's peer is the server's local one, DER as OpenSSL encodes it. */
    unsigned char *der = NULL;
    int der_len = i2d_X509(SSL_get_certificate(server), &der);
    CHECK(der_len > 0 && attr_equals(c, IPSEC_CI_PEER_CERTIFICATE, der, (uint32_t)der_len));
    CHECK(attr_equals(s, IPSEC_CI_LOCAL_CERTIFICATE, der, (uint32_t)der_len));
    OPENSSL_free(der);
    CHECK(attrs_agree(c, IPSEC_CI_PEER_SPKI_SHA256, s, IPSEC_CI_LOCAL_SPKI_SHA256));
    CHECK(attrs_agree(c, IPSEC_CI_TLS_SERVER_END_POINT, s, IPSEC_CI_TLS_SERVER_END_POINT));
    uint32_t len;
    unsigned char *v = attr(c, IPSEC_CI_TLS_SERVER_END_POINT, &len);
    CHECK(v != NULL && len == 32);                                                 /* ecdsa-with-SHA256: SHA-256 */
    free(v);
    v = attr(c, IPSEC_CI_LOCAL_CERTIFICATE, &len);
    CHECK(v == NULL);                                                              /* the client sent none */
    if (version == TLS1_2_VERSION) {
        CHECK(attrs_agree(c, IPSEC_CI_TLS_UNIQUE, s, IPSEC_CI_TLS_UNIQUE));        /* EMS is on: defined */
        unsigned char finished[64];
        size_t flen = SSL_get_finished(client, finished, sizeof finished);         /* the client's Finished is first */
        CHECK(flen == 12 && attr_equals(c, IPSEC_CI_TLS_UNIQUE, finished, (uint32_t)flen));
    } else {
        v = attr(c, IPSEC_CI_TLS_UNIQUE, &len);
        CHECK(v == NULL);                                                          /* undefined on TLS 1.3 */
    }

    /* The policy selects what is included: tls-exporter only. */
    uint32_t exporter_only = 1;
    ipsec_channel_info_t *e = NULL;
    CHECK(ipsec_set_policy_attr(policy, IPSEC_CHANNEL_BINDING_TYPES, 4, &exporter_only) == 0);
    CHECK(ipsec_openssl_to_channel_info(client, policy, &e) == 0);
    CHECK(attr_equals(e, IPSEC_CI_TLS_EXPORTER, from_server, 32));
    v = attr(e, IPSEC_CI_PEER_CERTIFICATE, &len);
    CHECK(v == NULL);
    CHECK(ipsec_free_channel_info(e) == 0);

    /* A policy that requires a binding and selects none that is defined: refused, nothing allocated. */
    uint32_t none = 0, on = 1;
    CHECK(ipsec_set_policy_attr(policy, IPSEC_CHANNEL_BINDING_TYPES, 4, &none) == 0);
    CHECK(ipsec_set_policy_attr(policy, IPSEC_BTNS_CHANNEL_BINDING, 4, &on) == 0);
    e = c;
    CHECK(ipsec_openssl_to_channel_info(client, policy, &e) == EOPNOTSUPP && e == NULL);

    /* A new connection: another tls-exporter. */
    SSL *server2, *client2;
    int fds2[2];
    handshake(server_ctx, client_ctx, &server2, &client2, fds2);
    ipsec_policy_t *all = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
    ipsec_channel_info_t *c2 = NULL;
    CHECK(ipsec_openssl_to_channel_info(client2, all, &c2) == 0);
    CHECK(!attrs_agree(c, IPSEC_CI_TLS_EXPORTER, c2, IPSEC_CI_TLS_EXPORTER));
    CHECK(attrs_agree(c, IPSEC_CI_TLS_SERVER_END_POINT, c2, IPSEC_CI_TLS_SERVER_END_POINT));

    CHECK(ipsec_free_channel_info(c2) == 0);
    CHECK(ipsec_free_channel_info(c) == 0);
    CHECK(ipsec_free_channel_info(s) == 0);
    CHECK(ipsec_free_policy(all) == 0);
    CHECK(ipsec_free_policy(policy) == 0);
    SSL *to_free[] = { client, server, client2, server2 };
    for (int i = 0; i < 4; i++) SSL_free(to_free[i]);
    close(fds[0]); close(fds[1]); close(fds2[0]); close(fds2[1]);
}

static void argument_tests(SSL_CTX *client_ctx)
{
    ipsec_policy_t *policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
    ipsec_channel_info_t *ci = NULL;
    SSL *unfinished = SSL_new(client_ctx);                                         /* no handshake yet */
    CHECK(ipsec_openssl_to_channel_info(unfinished, policy, &ci) == ENOTCONN && ci == NULL);
    CHECK(ipsec_openssl_to_channel_info(NULL, policy, &ci) == EINVAL && ci == NULL);
    CHECK(ipsec_openssl_to_channel_info(unfinished, NULL, &ci) == EINVAL);
    CHECK(ipsec_openssl_to_channel_info(unfinished, policy, NULL) == EINVAL);
    ipsec_channel_info_t *other = ipsec_create_channel_info();
    CHECK(ipsec_openssl_to_channel_info(unfinished, (ipsec_policy_t *)other, &ci) == EINVAL);
    CHECK(ipsec_free_channel_info(other) == 0);
    CHECK(ipsec_free_policy(policy) == 0);
    CHECK(ipsec_openssl_to_channel_info(unfinished, policy, &ci) == EINVAL);       /* freed policy */
    SSL_free(unfinished);
}

/* A free port on 127.0.0.1 now (the caller handles losing it to someone else before s_server binds it). */
static int free_port(void)
{
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        perror("bind");
        exit(2);
    }
    close(fd);
    return ntohs(addr.sin_port);
}

/* Starts `openssl s_server -keymatexport EXPORTER-Channel-Binding -keymatexportlen 32` on a free port; returns its
 * pid with its stdin (kept open: s_server quits at EOF) and stdout, once it printed ACCEPT; 0 when it could not bind. */
static pid_t start_s_server(const char *cert, const char *key, int port, int *in, FILE **out)
{
    int to[2], from[2];
    if (pipe(to) != 0 || pipe(from) != 0) exit(2);
    pid_t pid = fork();
    if (pid == 0) {
        char accept[32];
        snprintf(accept, sizeof accept, "127.0.0.1:%d", port);
        dup2(to[0], 0);
        dup2(from[1], 1);
        dup2(from[1], 2);
        close(to[1]);
        close(from[0]);
        execlp("openssl", "openssl", "s_server", "-accept", accept, "-cert", cert, "-key", key, "-tls1_3", "-naccept", "1",
               "-keymatexport", "EXPORTER-Channel-Binding", "-keymatexportlen", "32", (char *)NULL);
        _exit(127);
    }
    close(to[0]);
    close(from[1]);
    *in = to[1];
    *out = fdopen(from[0], "r");
    char line[512];
    while (fgets(line, sizeof line, *out)) {
        if (strncmp(line, "ACCEPT", 6) == 0) return pid;
    }
    /* It exited before listening (the port was taken, or no openssl): reap it. */
    close(*in);
    fclose(*out);
    waitpid(pid, NULL, 0);
    return 0;
}

/* The C client against openssl s_server: our tls-exporter equals what s_server -keymatexport prints. */
static void s_server_tests(EVP_PKEY *key, X509 *cert, SSL_CTX *client_ctx)
{
    char dir[] = "/tmp/cbb-tls-test-XXXXXX", cert_path[64], key_path[64];
    if (!mkdtemp(dir)) exit(2);
    snprintf(cert_path, sizeof cert_path, "%s/cert.pem", dir);
    snprintf(key_path, sizeof key_path, "%s/key.pem", dir);
    FILE *f = fopen(cert_path, "w");
    PEM_write_X509(f, cert);
    fclose(f);
    f = fopen(key_path, "w");
    PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
    fclose(f);

    int in = -1, port = 0;
    FILE *out = NULL;
    pid_t pid = 0;
    for (int attempt = 0; attempt < 5 && pid == 0; attempt++) {
        port = free_port();
        pid = start_s_server(cert_path, key_path, port, &in, &out);
    }
    CHECK(pid > 0);
    if (pid > 0) {
        struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        SSL *ssl = SSL_new(client_ctx);
        CHECK(connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0);
        SSL_set_fd(ssl, fd);
        CHECK(SSL_connect(ssl) == 1);
        ipsec_policy_t *policy = ipsec_create_policy(IPSEC_DEFAULT_POLICY);
        ipsec_channel_info_t *ci = NULL;
        CHECK(ipsec_openssl_to_channel_info(ssl, policy, &ci) == 0);
        CHECK(SSL_write(ssl, "hello\n", 6) == 6);                                 /* s_server echoes it: all printed */

        char line[512], printed[65] = "";
        while (fgets(line, sizeof line, out)) {
            if (sscanf(line, " Keying material: %64s", printed) == 1) break;
        }
        unsigned char want[32];
        int parsed = strlen(printed) == 64;
        for (int i = 0; parsed && i < 32; i++) parsed = sscanf(printed + 2 * i, "%2hhx", &want[i]) == 1;
        CHECK(parsed && attr_equals(ci, IPSEC_CI_TLS_EXPORTER, want, 32));
        if (!parsed) fprintf(stderr, "  s_server printed no keying material\n");

        CHECK(ipsec_free_channel_info(ci) == 0);
        CHECK(ipsec_free_policy(policy) == 0);
        SSL_shutdown(ssl);
        SSL_free(ssl);
        close(fd);
        close(in);                                                                 /* EOF: s_server quits */
        while (fgets(line, sizeof line, out)) { }
        fclose(out);
        waitpid(pid, NULL, 0);
    }
    unlink(cert_path);
    unlink(key_path);
    rmdir(dir);
}

static SSL_CTX *context(const SSL_METHOD *method, int version, EVP_PKEY *key, X509 *cert)
{
    SSL_CTX *ctx = SSL_CTX_new(method);
    SSL_CTX_set_min_proto_version(ctx, version);
    SSL_CTX_set_max_proto_version(ctx, version);
    if (cert && (SSL_CTX_use_certificate(ctx, cert) != 1 || SSL_CTX_use_PrivateKey(ctx, key) != 1)) {
        fprintf(stderr, "cannot use the test certificate\n");
        exit(2);
    }
    return ctx;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    alarm(120); /* a deadline, generous for a loaded machine: a hang fails instead of blocking the run */
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *cert = self_signed(key);
    const int versions[] = { TLS1_3_VERSION, TLS1_2_VERSION };
    for (int i = 0; i < 2; i++) {
        SSL_CTX *server_ctx = context(TLS_server_method(), versions[i], key, cert);
        SSL_CTX *client_ctx = context(TLS_client_method(), versions[i], NULL, NULL);
        connection_tests(server_ctx, client_ctx, versions[i]);
        if (i == 0) {
            argument_tests(client_ctx);
            s_server_tests(key, cert, client_ctx);
        }
        SSL_CTX_free(server_ctx);
        SSL_CTX_free(client_ctx);
    }
    X509_free(cert);
    EVP_PKEY_free(key);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
