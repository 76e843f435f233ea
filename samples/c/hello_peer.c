/* The peer of Figures 14 and 16 (hello_conn_client, hello_msg_client): receives COUNT hellos over TCP or UDP and, for
 * each TCP connection, prints the IPsec channel that protects it as the server sees it (ipsec_get_socket_channel_info
 * on the accepted socket; no socket policy here: the system's, e.g. the IKE daemon's, covers the flow).
 * Usage: hello_peer tcp|udp ADDRESS PORT COUNT   (IPv4). Prints "listening" once bound, then one line per hello. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipsec_api.h"

static uint32_t spi_of(const ipsec_channel_info_t *ci, uint32_t type)
{
    uint32_t len = 0, spi = 0;
    void *val = NULL;
    if (ipsec_get_channel_attr(ci, type, &len, &val) == 0 && len == 4)
        spi = ntohl(*(uint32_t *)val); /* network order, as on the wire */
    free(val);
    return spi;
}

static void print_channel(int fd)
{
    ipsec_channel_info_t *ci = NULL;
    int err = ipsec_get_socket_channel_info(fd, &ci);
    if (err) {
        printf("channel: none (%d)\n", err);
        return;
    }
    printf("channel: outbound-spi 0x%08x inbound-spi 0x%08x\n", spi_of(ci, IPSEC_CI_IPSEC_OUTBOUND_SPI),
           spi_of(ci, IPSEC_CI_IPSEC_INBOUND_SPI));
    ipsec_free_channel_info(ci);
}

int main(int argc, char **argv)
{
    if (argc != 5 || (strcmp(argv[1], "tcp") != 0 && strcmp(argv[1], "udp") != 0)) {
        fprintf(stderr, "usage: %s tcp|udp ADDRESS PORT COUNT\n", argv[0]);
        return 2;
    }
    int tcp = strcmp(argv[1], "tcp") == 0, count = atoi(argv[4]);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[3])) };
    if (inet_pton(AF_INET, argv[2], &addr.sin_addr) != 1) {
        fprintf(stderr, "%s: not an IPv4 address\n", argv[2]);
        return 2;
    }
    int one = 1, fd = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0
        || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || (tcp && listen(fd, 4) != 0)) {
        perror("hello_peer");
        return 1;
    }
    printf("listening\n");
    fflush(stdout);

    for (int i = 1; i <= count; i++) {
        char buf[64] = { 0 };
        ssize_t n;
        if (tcp) {
            int conn = accept(fd, NULL, NULL);
            if (conn < 0) {
                perror("accept");
                return 1;
            }
            print_channel(conn);
            n = recv(conn, buf, sizeof buf - 1, MSG_WAITALL); /* until the client closes */
            close(conn);
        } else {
            n = recv(fd, buf, sizeof buf - 1, 0);
        }
        buf[n > 0 ? n : 0] = '\0';
        buf[strcspn(buf, "\n")] = '\0';
        printf("hello %d: %s\n", i, buf);
        fflush(stdout);
    }
    close(fd);
    return 0;
}
