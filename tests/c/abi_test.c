/* ABI tests of libcbbipsec.so through include/ipsec_api.h: NULL arguments, wrong lengths, freed, foreign and
 * other-kind handles, malloc'd results. Prints "N passed, N failed" and exits non-zero on any failure. */
#include <errno.h>
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

int main(void)
{
    policy_tests();
    channel_tests();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
