#!/usr/bin/env bash
# mkinitramfs.sh OUT.cpio.gz - build the lab guest's initramfs (reproducibly:
# sorted file list, mtime 0, cpio --reproducible, gzip -n).
#
# Contents: busybox-static (shell and tools), the host's bash, util-linux
# dmesg and coreutils dd with the shared libraries ldd names, the statically
# built lab binaries memhog and clocks, /init and /lab/guest.sh.
set -euo pipefail

OUTFILE=${1:?usage: mkinitramfs.sh OUT.cpio.gz}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
GO=${GO:-go}
BUSYBOX=${BUSYBOX:-/bin/busybox}

die() { echo "mkinitramfs: $*" >&2; exit 1; }
file "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' ||
  ldd "$BUSYBOX" 2>&1 | grep -q 'not a dynamic' || die "$BUSYBOX is not static (apt-get install busybox-static)"

R=$(mktemp -d /tmp/coroner-initramfs.XXXXXX)
trap 'rm -rf "$R"' EXIT
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,lab,proc,sys,dev,tmp,run,root,out,etc}

# busybox and its applets (not dmesg/dd: util-linux/coreutils ones are used)
cp "$BUSYBOX" "$R/bin/busybox"
for a in $("$BUSYBOX" --list); do
  case $a in busybox | dmesg | dd | bash) continue ;; esac
  ln -s busybox "$R/bin/$a"
done

# host binaries with their libraries
copy_with_libs() { # SRC DEST_IN_ROOT
  local src=$1 dst=$2 lib
  cp -L "$src" "$R$dst"
  for lib in $(ldd "$src" | awk '/=> \//{print $3} /^\t\/[^ ]*ld-linux/{print $1}'); do
    [[ -e $R$lib ]] && continue
    mkdir -p "$R$(dirname "$lib")"
    cp -L "$lib" "$R$lib"
  done
}
copy_with_libs "$(command -v bash)" /bin/bash
copy_with_libs /usr/bin/dmesg /usr/bin/dmesg
copy_with_libs "$(command -v dd)" /usr/bin/dd
[[ -e $R/lib64/ld-linux-x86-64.so.2 ]] || die "no dynamic loader copied"

# lab binaries, static
(cd "$REPO" && CGO_ENABLED=0 "$GO" build -trimpath -o "$R/lab/memhog" ./golden/lab/memhog)
(cd "$REPO" && CGO_ENABLED=0 "$GO" build -trimpath -o "$R/lab/clocks" ./golden/lab/clocks)
install -m 0755 "$HERE/guest.sh" "$R/lab/guest.sh"
install -m 0755 "$HERE/init" "$R/init"
echo 'root:x:0:0:root:/root:/bin/sh' >"$R/etc/passwd"
echo 'root:x:0:' >"$R/etc/group"

find "$R" -exec touch -h -d @0 {} +
(cd "$R" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --reproducible -R 0:0 --quiet) |
  gzip -n -9 >"$OUTFILE.tmp"
mv "$OUTFILE.tmp" "$OUTFILE"
echo "mkinitramfs: $OUTFILE ($(du -h "$OUTFILE" | cut -f1))" >&2
