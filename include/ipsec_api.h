/*
 * ipsec_api.h - the C API of draft-komu-btns-api-01 over CbbToolkit (libcbbipsec.so, NativeAOT).
 *
 * Types: ipsec_policy_t and ipsec_channel_info_t are opaque. Pointers to them come only from the create and dup
 * functions and are released only with ipsec_free_policy / ipsec_free_channel_info. They are handles, not memory:
 * a freed pointer, a pointer of the other type or one that never came from the library is detected and rejected
 * with EINVAL (never dereferenced).
 *
 * Results: 0 on success, otherwise a positive Linux errno value (docs/api.md, "Error values"): EINVAL for NULL
 * arguments, freed or foreign handles, undefined types and wrong lengths; ENOENT for an attribute that is not set;
 * ENOMEM when out of memory. The cmp functions return 0 for equal, 1 for different, EINVAL for bad handles: treat any
 * non-zero result as "not equal".
 *
 * Memory: the get functions allocate *attr_val with malloc(); the caller releases it with free(). On failure
 * *attr_len is 0 and *attr_val NULL.
 *
 * Threads: every function is thread safe. A handle may be used from several threads at once; a set is atomic
 * (readers see the old or the new value). Freeing a handle while another thread still uses it is the caller's race:
 * that thread then gets EINVAL, never a crash.
 */
#ifndef IPSEC_API_H
#define IPSEC_API_H

#include <stdint.h>
#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ssl_st;

/* Figures 2 and 8 (the draft's typedefs, written in C order). */
typedef struct ipsec_policy ipsec_policy_t;
typedef struct ipsec_channel_info ipsec_channel_info_t;

/* Table 1: policy types. */
#define IPSEC_DEFAULT_POLICY 0u

/* Table 2 (completed): policy attributes, 4 octets in host byte order unless said otherwise. */
#define IPSEC_BTNS_STANDALONE        1u  /* 0 or 1: allow unauthenticated (BTNS) SAs */
#define IPSEC_BTNS_CHANNEL_BINDING   2u  /* 0 or 1: require channel bindings */
#define IPSEC_PRIVACY_PROTECTED      3u  /* 0 any, 1 enable, 2 disable */
#define IPSEC_INTEGRITY_PROTECTED    4u  /* 0 any, 1 enable, 2 disable */
#define IPSEC_TUNNEL_MODE            5u  /* 0 or 1 */
#define IPSEC_COMPRESSION_AVAILABLE  6u  /* 0 or 1 */
#define IPSEC_LEVEL                  7u  /* 0 require, 1 use */
#define IPSEC_REQID                  8u  /* 0 = any */
#define IPSEC_PRIORITY               9u  /* lower wins, 0 = backend default */
#define IPSEC_CHANNEL_BINDING_TYPES 10u  /* flags of what ipsec_openssl_to_channel_info includes, 0x1f all */
#define IPSEC_POLICY_NAME           11u  /* 1 to 255 octets of UTF-8 */

/* Table 3 (filled in): channel attributes; multi-octet numbers are big-endian. */
#define IPSEC_CI_TLS_VERSION                    1u  /* 2 octets: 0x0303 TLS 1.2, 0x0304 TLS 1.3 */
#define IPSEC_CI_TLS_CIPHER_SUITE               2u  /* 2 octets: IANA code point */
#define IPSEC_CI_TLS_EXPORTER                   3u  /* 32 octets: tls-exporter (RFC 9266) */
#define IPSEC_CI_TLS_SERVER_END_POINT           4u  /* 32, 48 or 64 octets (RFC 5929 section 4) */
#define IPSEC_CI_TLS_UNIQUE                     5u  /* 12 to 64 octets, TLS 1.2 only */
#define IPSEC_CI_EXTENDED_MASTER_SECRET         6u  /* 1 octet: 0 or 1 */
#define IPSEC_CI_PEER_CERTIFICATE               7u  /* DER */
#define IPSEC_CI_PEER_SPKI_SHA256               8u  /* 32 octets */
#define IPSEC_CI_LOCAL_CERTIFICATE              9u  /* DER */
#define IPSEC_CI_LOCAL_SPKI_SHA256             10u  /* 32 octets */
#define IPSEC_CI_ROLE                          11u  /* 1 octet: 1 client, 2 server */
#define IPSEC_CI_CREATED_AT                    12u  /* 8 octets: Unix time in milliseconds */
#define IPSEC_CI_IPSEC_END_POINT_SHA256        32u  /* 32 octets */
#define IPSEC_CI_IPSEC_SINGLE_END_POINT_SHA256 33u  /* 32 octets */
#define IPSEC_CI_IPSEC_SA_BINDING              34u  /* 32 octets */
#define IPSEC_CI_IPSEC_PEER_ID                 35u  /* UTF-8 */
#define IPSEC_CI_IPSEC_AUTH_METHOD             36u  /* 1 octet */
#define IPSEC_CI_IPSEC_PEER_PUBLIC_KEY         37u  /* DER SubjectPublicKeyInfo */
#define IPSEC_CI_IPSEC_PROTOCOL                38u  /* 1 octet: 50 ESP, 51 AH */
#define IPSEC_CI_IPSEC_MODE                    39u  /* 1 octet: 0 transport, 1 tunnel */
#define IPSEC_CI_IPSEC_OUTBOUND_SPI            40u  /* 4 octets */
#define IPSEC_CI_IPSEC_INBOUND_SPI             41u  /* 4 octets */
#define IPSEC_CI_IPSEC_REQID                   42u  /* 4 octets */
#define IPSEC_CI_IPSEC_ALGORITHMS              43u  /* UTF-8, comma separated, names only */
#define IPSEC_CI_LATCH_STATE                   44u  /* 1 octet */
#define IPSEC_CI_QOP_INDETERMINATE             45u  /* 1 octet: 0 or 1 */

/* 2.1.1 Policy creation (Figure 3). */
ipsec_policy_t *ipsec_create_policy(uint32_t type);
int ipsec_free_policy(ipsec_policy_t *policy);

/* 2.1.2 Policy attributes (Figure 4). */
int ipsec_get_policy_attr(const ipsec_policy_t *policy, uint32_t attr_type, uint32_t *attr_len, void **attr_val);
int ipsec_set_policy_attr(ipsec_policy_t *policy, uint32_t attr_type, uint32_t attr_len, const void *attr_val);

/* 2.1.3 Connection oriented communications (Figure 5). fd: a socket descriptor of the caller's (never closed by the
 * library). set: the kernel gets a copy of the policy (IP_XFRM_POLICY / IPV6_XFRM_POLICY, both directions; needs
 * CAP_NET_ADMIN: EPERM). get: a new policy (free it) with what this library attached to that socket; ENOENT when none
 * (the kernel cannot report socket policies). A descriptor closed and reused for another socket starts empty. */
int ipsec_set_socket_policy(int fd, const ipsec_policy_t *policy);
int ipsec_get_socket_policy(int fd, ipsec_policy_t **policy);

/* 2.1.4 Datagram oriented communications (Figure 6). set writes a control message (level IPSEC_SOL_CBB, type
 * IPSEC_CMSG_POLICY) at the start of msg->msg_control, which must hold at least IPSEC_MSG_POLICY_SPACE octets
 * (EMSGSIZE otherwise); get finds it among the message's control messages (ENOENT if absent, EBADMSG if damaged).
 * Linux has no such control message: the kernel ignores it in sendmsg() and recvmsg() never returns one, so the policy
 * a datagram is sent under is the socket's (ipsec_set_socket_policy). docs/api.md, "The C API". */
#define IPSEC_SOL_CBB          0x43424200  /* cmsg_level: no protocol level of Linux */
#define IPSEC_CMSG_POLICY      1           /* cmsg_type (an int, as cmsg_type) */
#define IPSEC_MSG_POLICY_LEN   400u        /* cmsg payload octets */
#define IPSEC_MSG_POLICY_SPACE CMSG_SPACE(IPSEC_MSG_POLICY_LEN)
int ipsec_set_msg_policy(const struct msghdr *msg, const ipsec_policy_t *policy);
int ipsec_get_msg_policy(const struct msghdr *msg, ipsec_policy_t **policy);

/* 2.1.5 Other policy functions (Figure 7). */
int ipsec_cmp_policy(ipsec_policy_t *p1, ipsec_policy_t *p2);
int ipsec_dup_policy(ipsec_policy_t *p, ipsec_policy_t **p_dup);

/* 2.2.1 Channel creation (Figure 9). */
ipsec_channel_info_t *ipsec_create_channel_info(void);
int ipsec_free_channel_info(ipsec_channel_info_t *ci);

/* 2.2.2 Channel attributes (Figure 10). */
int ipsec_set_channel_attr(ipsec_channel_info_t *ci, uint32_t attr_type, uint32_t attr_len, const void *attr_val);
int ipsec_get_channel_attr(const ipsec_channel_info_t *ci, uint32_t attr_type, uint32_t *attr_len, void **attr_val);

/* 2.2.3 Connection oriented communications (Figure 11). get: a new channel (free it) describing the IPsec SA pair
 * that protects the connected socket now; ENOTCONN, and ENOENT/EACCES/EAGAIN/EPERM when it is not protected (docs/api.md).
 * set: the channel required of that socket (leap of faith); a later get fails with EKEYREJECTED when the channel's
 * peer or protection differs. EINVAL for information with none of the compared attributes. */
int ipsec_set_socket_channel_info(int fd, const ipsec_channel_info_t *ci);
int ipsec_get_socket_channel_info(int fd, ipsec_channel_info_t **ci);

/* 2.2.4 Datagram oriented communications (Figure 12; the draft's "const struct *msg_hdr" read as struct msghdr).
 * Always EOPNOTSUPP for valid arguments (EINVAL for NULL or bad handles): Linux picks the SA per packet from the
 * policy alone and reports none to recvmsg. Use a connected UDP socket and the socket functions. */
int ipsec_set_msg_channel_info(const struct msghdr *msg, const ipsec_channel_info_t *ci);
int ipsec_get_msg_channel_info(const struct msghdr *msg, ipsec_channel_info_t **ci);

/* 2.2.5 Other channel functions (Figure 13). */
int ipsec_cmp_channel_info(const ipsec_channel_info_t *ci1, const ipsec_channel_info_t *ci2);
int ipsec_dup_channel_info(const ipsec_channel_info_t *ci, ipsec_channel_info_t **ci_dup);

/* ssl: a connection of the caller's OpenSSL 3 (libssl.so.3, which must be loaded in the process: link -lssl) whose
 * handshake has completed, client or server. The channel of that TLS session by the policy's rules
 * (IPSEC_CHANNEL_BINDING_TYPES): version, cipher suite, role, created-at, extended master secret, and tls-exporter
 * (RFC 9266: label "EXPORTER-Channel-Binding", empty context, 32 octets), tls-server-end-point, tls-unique (TLS 1.2
 * with extended master secret only), certificates and SPKI hashes. 0; EINVAL (NULL ssl, policy or ci; a freed or
 * foreign policy); ENOTCONN (handshake not complete); EOPNOTSUPP (the policy requires a binding none of which is
 * defined for the session); ENOPROTOOPT (no libssl.so.3 in the process). The library cannot check that ssl is an SSL*:
 * pass only live ones. */
typedef struct ssl_st SSL;
int ipsec_openssl_to_channel_info(const SSL *ssl, const ipsec_policy_t *policy, ipsec_channel_info_t **ci);

#ifdef __cplusplus
}
#endif

#endif /* IPSEC_API_H */
