#!/usr/bin/env bash
# run.sh [scenario...] - real cgroup v2 and global OOM kills, captured inside
# a qemu (TCG) guest running an older Debian kernel. See ../README.md.
#
# The host only downloads/unpacks a kernel package (never installed into
# /boot), builds an initramfs and boots it once per scenario; every cgroup,
# limit and OOM lives inside the throw-away 256 MiB guest. Nothing on the
# host (sysctls, cgroups, processes other than the qemu it starts) is touched.
#
# Output: golden/testdata/real/<scenario>/{dmesg,dmesg-T,dmesg-r,dmesg-iso,kmsg}.txt
#         + truth.json, written only when the guest and the host checks pass.
#
# Environment: CACHE (kernel cache, /var/cache/coroner-lab), KERNEL_PKG
# (default: the image linux-image-cloud-amd64 depends on), GUEST_MEM (MiB,
# 256), BOOT_TIMEOUT (s per boot, 600), OUT_ROOT, KEEP_WORK=1.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
OUT_ROOT=${OUT_ROOT:-$REPO/golden/testdata/real}
CACHE=${CACHE:-/var/cache/coroner-lab}
KERNEL_PKG=${KERNEL_PKG:-}
GUEST_MEM=${GUEST_MEM:-256}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-600}
KEEP_WORK=${KEEP_WORK:-0}

ALL=(v2-cgroupfs-burstable v2-systemd-containerd-guaranteed v2-systemd-crio-besteffort
  v2-pod-limit-other-victim v2-sidecar-oom-score-adj v2-oom-group
  global-single-hog global-three-qos)

die() { echo "qemu-lab: $*" >&2; exit 1; }
log() { echo "qemu-lab: $*" >&2; }

(($#)) || set -- "${ALL[@]}"
for s in "$@"; do
  [[ " ${ALL[*]} " == *" $s "* ]] || die "unknown scenario $s (known: ${ALL[*]})"
done

# ------------------------------------------------------------ host tools ----
APT_UPDATED=0
apt_install() {
  [[ $EUID -eq 0 ]] || die "missing $*; run as root or: apt-get install $*"
  if ((APT_UPDATED == 0)); then apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
pkgs=()
command -v qemu-system-x86_64 >/dev/null || pkgs+=(qemu-system-x86)
[[ -x /bin/busybox ]] && file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' || pkgs+=(busybox-static)
command -v cpio >/dev/null || pkgs+=(cpio)
command -v file >/dev/null || pkgs+=(file)
command -v python3 >/dev/null || pkgs+=(python3)
[[ -x /usr/bin/dmesg ]] || pkgs+=(util-linux)
((${#pkgs[@]} == 0)) || { log "installing ${pkgs[*]}"; apt_install "${pkgs[@]}"; }
command -v go >/dev/null || die "go not found (needed to build memhog/clocks)"

# ---------------------------------------------------------------- kernel ----
mkdir -p "$CACHE"
if [[ -z $KERNEL_PKG ]]; then
  KERNEL_PKG=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
  if [[ -z $KERNEL_PKG && $EUID -eq 0 ]]; then
    apt-get update -qq; APT_UPDATED=1
    KERNEL_PKG=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-/{print $2; exit}')
  fi
  [[ -n $KERNEL_PKG ]] || die "cannot resolve linux-image-cloud-amd64 (apt-get update?)"
fi
KDIR=$CACHE/$KERNEL_PKG
VMLINUZ=$(ls "$KDIR"/boot/vmlinuz-* 2>/dev/null | head -1 || true)
if [[ -z $VMLINUZ ]]; then
  log "fetching $KERNEL_PKG (apt-get download + dpkg -x into $KDIR; nothing is installed)"
  mkdir -p "$CACHE/deb"
  (cd "$CACHE/deb" && apt-get download "$KERNEL_PKG" 2>&1 | grep -v 'unsandboxed' || true)
  deb=$(ls -t "$CACHE/deb/${KERNEL_PKG}_"*.deb 2>/dev/null | head -1 || true)
  [[ -n $deb ]] || die "apt-get download $KERNEL_PKG failed"
  rm -rf "$KDIR.tmp"; dpkg -x "$deb" "$KDIR.tmp"; mv "$KDIR.tmp" "$KDIR"
  VMLINUZ=$(ls "$KDIR"/boot/vmlinuz-* | head -1)
fi
KCONFIG=$(ls "$KDIR"/boot/config-* | head -1)
for opt in CONFIG_MEMCG=y CONFIG_SERIAL_8250=y CONFIG_DEVTMPFS=y CONFIG_BLK_DEV_INITRD=y CONFIG_RD_GZIP=y; do
  grep -qx "$opt" "$KCONFIG" || die "$VMLINUZ: needs $opt built in"
done
log "kernel $VMLINUZ"

# ------------------------------------------------------------- initramfs ----
WORK=$(mktemp -d /tmp/coroner-qemu.XXXXXX)
QEMU_PID=""
cleanup() {
  local rc=$?
  if [[ -n $QEMU_PID ]] && kill -0 "$QEMU_PID" 2>/dev/null; then kill "$QEMU_PID" 2>/dev/null || true; fi
  if ((rc == 0 && KEEP_WORK == 0)); then rm -rf "$WORK"; else log "work dir kept: $WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
"$HERE/mkinitramfs.sh" "$WORK/initrd.cpio.gz"

# ----------------------------------------------------------------- verify ----
# verify DIR KIND: markers in every file; kill lines == truth; line counts
verify() {
  local dir=$1 kind=$2 f pat want got pats
  if [[ $kind == global ]]; then
    pats=('invoked oom-killer' 'Mem-Info:' 'oom-kill:constraint=CONSTRAINT_NONE' 'global_oom' 'Out of memory: Killed process')
  else
    pats=('invoked oom-killer' 'memory: usage' 'oom-kill:constraint=CONSTRAINT_MEMCG' 'oom_memcg=' 'Memory cgroup out of memory: Killed process')
  fi
  want=$(python3 -c 'import json,sys; print(" ".join(map(str, sorted(json.load(open(sys.argv[1]))["killed_pids_in_order"]))))' "$dir/truth.json")
  [[ -n $want ]] || { log "$dir: no OOM kill observed"; return 1; }
  for f in dmesg.txt dmesg-T.txt dmesg-r.txt dmesg-iso.txt kmsg.txt; do
    [[ -s $dir/$f ]] || { log "$dir/$f missing"; return 1; }
    for pat in "${pats[@]}"; do
      grep -q "$pat" "$dir/$f" || { log "$dir/$f lacks '$pat'"; return 1; }
    done
    got=$(sed -n 's/.*[Oo]ut of memory: Killed process \([0-9]*\) .*/\1/p' "$dir/$f" | sort -nu | tr '\n' ' ')
    [[ $got == "$want " ]] || { log "$dir/$f kill lines [$got] vs truth [$want]"; return 1; }
  done
  python3 - "$dir" <<'PY' || return 1
import json, sys, os
d = sys.argv[1]
t = json.load(open(os.path.join(d, "truth.json")))
def lines(f):
    with open(os.path.join(d, f), "rb") as fh:
        return fh.read().count(b"\n")
recs = sum(1 for l in open(os.path.join(d, "kmsg.txt"), "rb") if not l.startswith(b" "))
assert recs == t["kernel_records_captured"], ("kmsg records", recs, t["kernel_records_captured"])
for f in ("dmesg.txt", "dmesg-T.txt", "dmesg-r.txt", "dmesg-iso.txt"):
    assert lines(f) == t["dmesg_lines_captured"], (f, lines(f), t["dmesg_lines_captured"])
kmsg = open(os.path.join(d, "kmsg.txt")).read()
for p in t["pods"]:
    if p["uid"] not in kmsg and p["uid"].replace("-", "_") not in kmsg:
        # a pod none of whose tasks is named in the report is fine only if nothing of it died
        assert not any(k["pod_uid"] == p["uid"] for k in t["kills"]), ("pod not in log", p["uid"])
PY
}

# ------------------------------------------------------------------- boot ----
run_one() {
  local sc=$1 w=$WORK/$1 rc=0 t0=$SECONDS
  mkdir -p "$w/x"
  log "[$sc] booting (qemu TCG, ${GUEST_MEM} MiB, timeout ${BOOT_TIMEOUT}s)"
  timeout --kill-after=10 "$BOOT_TIMEOUT" qemu-system-x86_64 \
    -accel tcg -m "$GUEST_MEM" -smp 1 -nodefaults -nographic -no-reboot \
    -kernel "$VMLINUZ" -initrd "$WORK/initrd.cpio.gz" \
    -append "console=ttyS0 panic=-1 coroner.scenario=$sc" \
    -serial "file:$w/console.log" -serial "file:$w/data.log" </dev/null >"$w/qemu.out" 2>&1 &
  QEMU_PID=$!
  wait "$QEMU_PID" || rc=$?
  QEMU_PID=""
  ((rc == 0)) || { log "[$sc] qemu exited $rc (124 = timeout); see $w/console.log"; return 1; }
  grep -q "^=====END coroner-lab $sc rc=" "$w/data.log" || { log "[$sc] no END marker; see $w/console.log"; return 1; }
  sed -n "/^=====BEGIN coroner-lab $sc=====/,/^=====END coroner-lab $sc rc=/p" "$w/data.log" |
    sed '1d;$d' | tr -d '\r' | base64 -d | tar -xz -C "$w/x"
  if [[ $(cat "$w/x/guest_rc") != 0 ]]; then
    log "[$sc] guest failed:"; sed 's/^/    /' "$w/x/guest.log" >&2; return 1
  fi
  python3 "$HERE/truth.py" "$w/x/$sc.facts" "$w/x/$sc/truth.json"
  verify "$w/x/$sc" "$(cat "$w/x/$sc.facts/kind")" || { log "[$sc] host verification failed"; return 1; }
  rm -rf "${OUT_ROOT:?}/$sc"
  mkdir -p "$OUT_ROOT/$sc"
  cp "$w/x/$sc"/{dmesg.txt,dmesg-T.txt,dmesg-r.txt,dmesg-iso.txt,kmsg.txt,truth.json} "$OUT_ROOT/$sc/"
  log "[$sc] ok in $((SECONDS - t0)) s: $(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
print("; ".join("killed %d (%s, %s, adj %d)" % (k["pid"], k["comm"], k["container"], k["oom_score_adj"]) for k in t["kills"]))
' "$OUT_ROOT/$sc/truth.json")"
}

failed=()
for s in "$@"; do
  run_one "$s" || failed+=("$s")
done
((${#failed[@]} == 0)) || { KEEP_WORK=1; die "failed: ${failed[*]}"; }
log "all done: $*"
