#!/bin/sh
# gen-key.sh PREFIX: makes an ECDSA P-256 key pair for raw public key authentication:
# PREFIX.key (private key, PKCS#8 PEM) and PREFIX.pub (SubjectPublicKeyInfo PEM).
set -eu
[ $# -eq 1 ] || { echo "usage: $0 PREFIX" >&2; exit 2; }
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null
openssl pkey -in "$1.key" -pubout -out "$1.pub" 2>/dev/null
chmod 600 "$1.key"
