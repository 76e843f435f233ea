#!/bin/sh
# gen-key.sh PREFIX [ID]: makes an ECDSA P-256 key pair for raw public key authentication:
# PREFIX.key (private key, PKCS#8 PEM) and PREFIX.pub (SubjectPublicKeyInfo PEM).
# With ID, also PREFIX.crt: a self-signed X.509 certificate for the key, subject C=CH, O=CbbToolkit Lab, CN=ID and
# subjectAltName DNS:ID (for gen-peer.sh --auth x509).
set -eu
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 PREFIX [ID]" >&2; exit 2; }
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null
openssl pkey -in "$1.key" -pubout -out "$1.pub" 2>/dev/null
chmod 600 "$1.key"
if [ $# -eq 2 ]; then
  openssl req -new -x509 -key "$1.key" -out "$1.crt" -days 30 -subj "/C=CH/O=CbbToolkit Lab/CN=$2" \
    -addext "subjectAltName=DNS:$2" -addext "basicConstraints=critical,CA:FALSE" 2>/dev/null
fi
