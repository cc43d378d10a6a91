#!/usr/bin/env bash
# capture-tmpfs-v1.sh - a REAL memcg OOM whose limit is filled by tmpfs, not heap: dd writes
# into a tmpfs (as an emptyDir with medium: Memory is) from inside a 32 MiB kubepods-style
# container cgroup of cgroup v1, until the memcg OOM killer kills it. The kernel's report
# then shows shmem filling the limit, which coroner must tell from a heap (anon) OOM.
#
# Needs root and cgroup v1's memory controller. Same safety rules as capture-v1.sh: a 32 MiB
# limit under a 64 MiB parent of our own (coroner-lab), only our own processes, and our
# cgroups and the tmpfs are removed on exit.
# Output: golden/testdata/real/tmpfs-memcg-v1/dmesg.txt (scenario.json beside it is written by hand)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$REPO/golden/testdata/real/tmpfs-memcg-v1
MEMCG=/sys/fs/cgroup/memory
POD=7b1c5e2a-4f3d-4c8e-9a6b-2d4f6a8c0e1f
CID=3c5e7a9b1d2f4a6c8e0b2d4f6a8c0e1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b
TOP=$MEMCG/coroner-lab
CG=$TOP/kubepods/burstable/pod$POD/$CID
FS=$(mktemp -d /tmp/coroner-tmpfs.XXXX)
cleanup() {
  umount "$FS" 2>/dev/null || true
  rmdir "$FS" 2>/dev/null || true
  for d in "$CG" "$TOP/kubepods/burstable/pod$POD" "$TOP/kubepods/burstable" "$TOP/kubepods" "$TOP"; do
    rmdir "$d" 2>/dev/null || true
  done
}
trap cleanup EXIT
mkdir -p "$CG"
echo $((64 << 20)) > "$TOP/memory.limit_in_bytes"
echo $((32 << 20)) > "$CG/memory.limit_in_bytes"
mount -t tmpfs -o size=48m tmpfs "$FS"
# The writer joins the container's cgroup, then fills the tmpfs: its pages are charged to
# the cgroup, cannot be reclaimed without swap, and the memcg OOM killer kills the writer.
sh -c "echo \$\$ > $CG/cgroup.procs; exec dd if=/dev/zero of=$FS/fill bs=1M count=40 status=none" || true
sleep 1
mkdir -p "$OUT"
# The report runs from dd's "invoked oom-killer" header to the end (the ring buffer may have
# wrapped, so lines are not counted from before the run).
dmesg | awk '/ dd invoked oom-killer:/ { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' > "$OUT/dmesg.txt"
# scenario.json, not truth.json: the lab's clocks are not recorded here, so TestLabTruth
# (which checks times against them) does not read it; the golden case checks the report.
echo "scenario: pod $POD container $CID, limit 32 MiB; see $OUT/dmesg.txt for the killed pid"
echo "captured $(wc -l < "$OUT/dmesg.txt") lines into $OUT"
