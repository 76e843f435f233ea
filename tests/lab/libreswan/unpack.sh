#!/bin/bash
# unpack.sh [DIR]: makes libreswan 4.x runnable from DIR (default /var/cache/cbb/libreswan) without installing it.
#
# Why not apt-get install: Debian's libreswan conflicts with strongswan-libcharon/-starter, and apt would remove the
# strongSwan the other lab tests use (docs/lab.md, "libreswan"). So: apt-get download the packages, dpkg-deb -x them into
# DIR/root, and run the binaries with LD_LIBRARY_PATH=DIR/root/usr/lib/x86_64-linux-gnu. Library packages that libreswan
# and certutil need and this machine lacks are unpacked beside them (first alternative of each Depends, recursively).
# Idempotent: when DIR/ready names the unpacked packages and every binary still finds its libraries, it returns at once.
# Needs root only when DIR is not writable or the .debs must be downloaded. Prints DIR/root on stdout.
set -euo pipefail

dir=${1:-/var/cache/cbb/libreswan}
root=$dir/root
binaries=(usr/libexec/ipsec/pluto usr/libexec/ipsec/whack usr/libexec/ipsec/addconn usr/bin/certutil)
wanted=(libreswan libnss3-tools)

die() { echo "unpack.sh: $*" >&2; exit 1; }

# Prints the sonames a binary of the unpacked tree cannot find (nothing when all resolve).
missing_libraries() {
    local b
    for b in "${binaries[@]}"; do
        [ -x "$root/$b" ] || { echo "(no $b)"; continue; }
        LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu" ldd "$root/$b" | awk '/not found/ { print $1 }'
    done | sort -u
}

if [ -f "$dir/ready" ] && [ -z "$(missing_libraries)" ]; then
    echo "$root"
    exit 0
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# The library packages a package depends on (first alternative, no versions, arch qualifiers dropped).
library_depends() {
    apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n 's/^\(Pre-\)\{0,1\}Depends: //p' | tr ',' '\n' |
        sed 's/|.*//; s/(.*)//; s/:any//; s/[[:space:]]//g' | grep -E '^(lib|zlib)' || true
}

# Closure: what we want, plus every library dependency that is not installed here.
declare -A seen=()
queue=("${wanted[@]}" libevent-pthreads-2.1-7 libldns3)
packages=()
while [ ${#queue[@]} -gt 0 ]; do
    p=${queue[0]}; queue=("${queue[@]:1}")
    [ -z "${seen[$p]:-}" ] || continue
    seen[$p]=1
    if [[ " ${wanted[*]} " != *" $p "* ]] && installed "$p"; then
        continue
    fi
    apt-cache show --no-all-versions "$p" >/dev/null 2>&1 || die "apt knows no package $p (run apt-get update)"
    packages+=("$p")
    mapfile -t -O "${#queue[@]}" queue < <(library_depends "$p")
done

mkdir -p "$dir/debs" || die "cannot create $dir (run as root, or give a writable folder)"
echo "unpack.sh: downloading ${packages[*]}" >&2
(cd "$dir/debs" && rm -f ./*.deb && apt-get download -q -o APT::Sandbox::User=root "${packages[@]}" >/dev/null) ||
    die "apt-get download ${packages[*]} failed"

rm -rf "$root.new"
mkdir -p "$root.new"
for deb in "$dir"/debs/*.deb; do
    dpkg-deb -x "$deb" "$root.new"
done
rm -rf "$root"
mv "$root.new" "$root"
rm -f "$dir/ready"

missing=$(missing_libraries)
[ -z "$missing" ] || die "unpacked libreswan still lacks: $(echo $missing)"
# The unpacked .debs, one a line: what the lab reports as the libreswan it ran.
(cd "$dir/debs" && ls ./*.deb | sed 's|^\./||') >"$dir/ready"
echo "$root"
