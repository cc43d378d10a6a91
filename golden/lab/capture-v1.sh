#!/usr/bin/env bash
# capture-v1.sh - provoke REAL memory-cgroup OOM kills inside kubepods-style
# cgroup v1 hierarchies and capture the kernel's report in every dmesg format.
#
# Needs root, a cgroup v1 memory controller at /sys/fs/cgroup/memory, and the
# lab binaries (build from the repo root):
#   go build -o /tmp/memhog ./golden/lab/memhog
#   go build -o /tmp/coroner-clocks ./golden/lab/clocks
#
# Usage: capture-v1.sh [scenario...]     (default: all scenarios)
#
# Output: golden/testdata/real/<scenario>/{dmesg,dmesg-T,dmesg-r,dmesg-iso,kmsg}.txt
#         and truth.json.  Only kernel records newer than the /dev/kmsg
#         sequence number saved before the scenario are kept; every file is
#         the verbatim tail of what dmesg (or /dev/kmsg) printed.
#
# Safety rules:
#  * memory limits are small (pod 64 MiB, containers <= 48 MiB, cgroups this
#    script creates above the pod are capped at 256 MiB); before any process
#    is started the effective (hierarchical) limit of its cgroup is checked to
#    be <= 256 MiB, so only memcg OOMs can happen, never a global OOM;
#  * no sysctl, sysrq, dmesg -C or other global setting is touched;
#  * only processes this script started are ever signalled (by pid);
#  * only cgroups this script created are removed (an EXIT trap tears down);
#    pre-existing cgroups (e.g. a left-over /kubepods) are used, not changed.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT_ROOT=${OUT_ROOT:-$REPO/golden/testdata/real}
MEMHOG=${MEMHOG:-/tmp/memhog}
CLOCKS=${CLOCKS:-/tmp/coroner-clocks}
MEMCG=/sys/fs/cgroup/memory
CPUSETCG=/sys/fs/cgroup/cpuset
# runc/crun put a container into every v1 controller; the OOM summary line
# prints the allocating task's *cpuset* cgroup name, so mirror the hierarchy
# in the cpuset controller too (cpus/mems copied from the parent: no effect).
MIRROR_CPUSET=${MIRROR_CPUSET:-1}
MiB=$((1 << 20))
MAX_LIMIT=$((256 * MiB))
UNLIMITED_MIN=$((1 << 60)) # v1 "no limit" is PAGE_COUNTER_MAX*PAGE_SIZE

die() { echo "capture-v1: $*" >&2; exit 1; }
log() { echo "capture-v1: $*" >&2; }

[[ $EUID -eq 0 ]] || die "must run as root"
[[ -f $MEMCG/memory.limit_in_bytes ]] || die "no cgroup v1 memory controller at $MEMCG"
[[ -x $MEMHOG ]] || die "missing $MEMHOG (go build -o $MEMHOG ./golden/lab/memhog)"
[[ -x $CLOCKS ]] || die "missing $CLOCKS (go build -o $CLOCKS ./golden/lab/clocks)"
command -v python3 >/dev/null || die "python3 needed to write truth.json"
if [[ $MIRROR_CPUSET == 1 && ! -f $CPUSETCG/cpuset.cpus ]]; then
  log "no cpuset v1 controller; not mirroring"; MIRROR_CPUSET=0
fi
avail_kb=$(awk '/^MemAvailable:/{print $2}' /proc/meminfo)
((avail_kb > 1024 * 1024)) || die "less than 1 GiB MemAvailable; refusing to run"

# ---------------------------------------------------------------- state ----
CREATED=()          # cgroup dirs we created (absolute), parents first
STARTED=()          # pids we started
declare -A P_DONE=() # pid -> 1 once its exit status was collected
LAST_PID=""         # set by start_proc
T=""                # per-scenario scratch dir with the raw facts

alive() { # pid: running (not gone, not zombie)?
  local st
  [[ -r /proc/$1/stat ]] || return 1
  read -r _ _ st _ <"/proc/$1/stat" 2>/dev/null || return 1
  [[ $st != Z && $st != X ]]
}

# collect exit status of every started process that has died
reap() {
  local pid rc now
  for pid in "${STARTED[@]}"; do
    [[ -n ${P_DONE[$pid]:-} ]] && continue
    alive "$pid" && continue
    now=$("$CLOCKS")
    rc=0; { wait "$pid"; } 2>/dev/null || rc=$?
    P_DONE[$pid]=1
    if [[ -n $T && -d $T/proc/$pid ]]; then
      echo "$now" >"$T/proc/$pid/end_clocks"
      echo "$rc" >"$T/proc/$pid/exit_status"
      echo "$(date +%s.%N) $(cut -d' ' -f1 /proc/uptime)" >"$T/proc/$pid/end_date_uptime"
      [[ -f $T/proc/$pid/outcome ]] || echo lab-observed >"$T/proc/$pid/outcome"
      echo "$pid" >>"$T/death_order"
    fi
  done
}

teardown() {
  local pid i d try
  for pid in "${STARTED[@]}"; do
    [[ -n ${P_DONE[$pid]:-} ]] && continue
    if alive "$pid"; then
      [[ -n $T && -d $T/proc/$pid ]] && echo lab-teardown-sigterm >"$T/proc/$pid/outcome"
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for pid in "${STARTED[@]}"; do
    [[ -n ${P_DONE[$pid]:-} ]] && continue
    for try in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
  done
  reap
  for ((i = ${#CREATED[@]} - 1; i >= 0; i--)); do
    d=${CREATED[i]}
    for try in $(seq 50); do rmdir "$d" 2>/dev/null && break; sleep 0.1; done
    if [[ -d $d ]]; then log "WARNING: could not remove $d"; fi
  done
  CREATED=(); STARTED=(); P_DONE=()
}

on_exit() {
  local rc=$?
  set +e
  teardown
  [[ -n $SCRATCH && -d $SCRATCH ]] && rm -rf "$SCRATCH"
  exit $rc
}
SCRATCH=$(mktemp -d /tmp/capture-v1.XXXXXX)
trap on_exit EXIT
trap 'exit 130' INT TERM HUP

# ------------------------------------------------------------- cgroups ----
# mkcg REL [limit]: create $MEMCG/REL (and the cpuset mirror) parent by parent.
mkcg() {
  local rel=$1 limit=${2:-} part p c parts
  IFS=/ read -ra parts <<<"${rel#/}"
  p=$MEMCG c=$CPUSETCG
  for part in "${parts[@]}"; do
    p=$p/$part c=$c/$part
    if [[ ! -d $p ]]; then
      mkdir "$p"; CREATED+=("$p")
      echo "$MAX_LIMIT" >"$p/memory.limit_in_bytes" # cap; lowered below for pods/containers
    fi
    if [[ $MIRROR_CPUSET == 1 && ! -d $c ]]; then
      mkdir "$c"; CREATED+=("$c")
      cat "$(dirname "$c")/cpuset.cpus" >"$c/cpuset.cpus"
      cat "$(dirname "$c")/cpuset.mems" >"$c/cpuset.mems"
    fi
  done
  if [[ -n $limit ]]; then
    ((limit <= MAX_LIMIT)) || die "limit $limit above $MAX_LIMIT"
    echo "$limit" >"$p/memory.limit_in_bytes"
  elif [[ " ${CREATED[*]} " == *" $p "* ]]; then
    # a container without its own limit: back to "unlimited", the pod limit applies
    echo -1 >"$p/memory.limit_in_bytes"
  fi
}

# effective limit of a memcg = min over it and its ancestors
effective_limit() {
  local d=$MEMCG$1 min=-1 v
  while :; do
    v=$(cat "$d/memory.limit_in_bytes")
    if ((min < 0 || v < min)); then min=$v; fi
    [[ $d == "$MEMCG" ]] && break
    d=$(dirname "$d")
  done
  echo "$min"
}

usage_of() { cat "$MEMCG$1/memory.usage_in_bytes"; }

# ----------------------------------------------------------- processes ----
# start_proc CONTAINER ROLE -- cmd...: start cmd inside the container's cgroup
start_proc() {
  local cont=$1 role=$2 rel pid eff
  shift 2; [[ $1 == -- ]] && shift
  rel=$(cat "$T/container/$cont/cgroup")
  eff=$(effective_limit "$rel")
  ((eff <= MAX_LIMIT)) || die "refusing to start in $rel: effective limit $eff > $MAX_LIMIT"
  local before; before=$("$CLOCKS")
  (
    echo "$BASHPID" >"$MEMCG$rel/cgroup.procs"
    if [[ $MIRROR_CPUSET == 1 ]]; then echo "$BASHPID" >"$CPUSETCG$rel/cgroup.procs"; fi
    exec "$@"
  ) &
  pid=$!
  STARTED+=("$pid")
  mkdir -p "$T/proc/$pid"
  echo "$cont" >"$T/proc/$pid/container"
  echo "$role" >"$T/proc/$pid/role"
  echo "$rel" >"$T/proc/$pid/cgroup"
  printf '%s\0' "$@" >"$T/proc/$pid/argv"
  echo "$before" >"$T/proc/$pid/start_clocks"
  echo "$pid" >>"$T/start_order"
  LAST_PID=$pid # not printed: a $(...) caller would wait for the background job's stdout
}

# wait_dead PID TIMEOUT_S: poll (5 ms) until PID has died, reaping all others
wait_dead() {
  local pid=$1 deadline=$((SECONDS + $2))
  while :; do
    reap
    [[ -n ${P_DONE[$pid]:-} ]] && return 0
    ((SECONDS < deadline)) || die "pid $pid still alive after $2 s"
    sleep 0.005
  done
}

# wait_usage REL BYTES TIMEOUT_S: poll until the memcg is charged >= BYTES
wait_usage() {
  local rel=$1 want=$2 deadline=$((SECONDS + $3))
  until (($(usage_of "$rel") >= want)); do
    reap
    ((SECONDS < deadline)) || die "$rel did not reach $want bytes"
    sleep 0.01
  done
}

# ------------------------------------------------------------- capture ----
kmsg_dump() { dd if=/dev/kmsg iflag=nonblock bs=65536 status=none 2>/dev/null || true; }
kmsg_last_seq() { kmsg_dump | awk -F'[,;]' '!/^ /{s=$2} END{print s}'; }

# capture DIR: write the five renderings of all records with seq > BEFORE_SEQ
capture() {
  local dir=$1 w=$SCRATCH/cap try nrec nnew first f lines
  mkdir -p "$w"
  for try in $(seq 20); do
    kmsg_dump >"$w/k1"
    dmesg >"$w/dmesg.txt"
    dmesg -T >"$w/dmesg-T.txt"
    dmesg -r >"$w/dmesg-r.txt"
    dmesg --time-format=iso >"$w/dmesg-iso.txt"
    kmsg_dump >"$w/k2"
    cmp -s "$w/k1" "$w/k2" && break # no record arrived/vanished meanwhile
    ((try < 20)) || die "kernel log kept changing during capture"
    sleep 0.2
  done
  nrec=$(grep -vc '^ ' "$w/k1")
  first=$(awk -F'[,;]' '!/^ /{print $2; exit}' "$w/k1")
  ((first <= BEFORE_SEQ + 1)) || die "ring buffer wrapped: first seq $first > $((BEFORE_SEQ + 1))"
  nnew=$(awk -F'[,;]' -v s="$BEFORE_SEQ" '!/^ / && $2 > s {n++} END{print n+0}' "$w/k1")
  ((nnew > 0)) || die "no new kernel records"
  # dmesg prints a record holding newlines (/dev/kmsg shows them as \x0a) on several lines;
  # the tail is cut by record count, so only records before the scenario may be multi-line.
  local extra newextra
  extra=$(awk -F'[,;]' '!/^ /{n += gsub(/\\x0a/, "")} END{print n+0}' "$w/k1")
  newextra=$(awk -F'[,;]' -v s="$BEFORE_SEQ" '!/^ / && $2 > s {n += gsub(/\\x0a/, "")} END{print n+0}' "$w/k1")
  ((newextra == 0)) || die "a new record spans several lines"
  for f in dmesg.txt dmesg-T.txt dmesg-r.txt dmesg-iso.txt; do
    lines=$(wc -l <"$w/$f")
    ((lines == nrec + extra)) || die "$f has $lines lines for $nrec records and $extra embedded newlines"
    tail -n "$nnew" "$w/$f" >"$dir/$f"
  done
  # kmsg: header lines with seq > BEFORE_SEQ plus their " KEY=value" continuations
  awk -F'[,;]' -v s="$BEFORE_SEQ" '!/^ /{keep = ($2 > s)} keep' "$w/k1" >"$dir/kmsg.txt"
  awk -F'[,;]' '!/^ /{s=$2} END{print s}' "$w/k1" >"$T/last_seq"
  echo "$nnew" >"$T/records"
}

# check DIR: every rendering holds the full block; kill lines == observed kills
check() {
  local dir=$1 f pat want got pid
  want=$(sort -n "$T/killed_pids" 2>/dev/null | tr '\n' ' ')
  for f in dmesg.txt dmesg-T.txt dmesg-r.txt dmesg-iso.txt kmsg.txt; do
    for pat in 'invoked oom-killer' 'memory: usage' 'oom-kill:constraint=' \
      'Memory cgroup out of memory: Killed process'; do
      grep -q "$pat" "$dir/$f" || die "$dir/$f lacks '$pat'"
    done
    got=$(sed -n 's/.*Memory cgroup out of memory: Killed process \([0-9]*\) .*/\1/p' "$dir/$f" | sort -n | tr '\n' ' ')
    [[ $got == "$want" ]] || die "$dir/$f kill lines for pids [$got], observed SIGKILLed [$want]"
  done
  grep -q "pod$POD_UID\|pod${POD_UID//-/_}" "$dir/kmsg.txt" || die "$dir: pod UID not in log"
}

# ----------------------------------------------------------- scenarios ----
rand_cid() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }

# begin NAME DRIVER QOS RUNTIME POD_LIMIT ("" for a pod without a limit of its own)
PREFIX=${PREFIX:-}
KUBEPODS_LIMIT=${KUBEPODS_LIMIT:-}
begin() {
  SC=$1 DRIVER=$2 QOS=$3 RUNTIME=$4
  local pod_limit=$5 uid_
  OUT=$OUT_ROOT/$SC
  T=$SCRATCH/$SC
  rm -rf "$OUT" "$T"; mkdir -p "$OUT" "$T/proc" "$T/container"
  POD_UID=$(cat /proc/sys/kernel/random/uuid)
  uid_=${POD_UID//-/_}
  # PREFIX nests the whole kubepods hierarchy (kind, rootless and nested runtimes do);
  # KUBEPODS_LIMIT limits kubepods itself, as the kubelet's node allocatable enforcement does.
  case $DRIVER/$QOS in
    cgroupfs/guaranteed) POD_CG=$PREFIX/kubepods/pod$POD_UID ;;
    cgroupfs/*) POD_CG=$PREFIX/kubepods/$QOS/pod$POD_UID ;;
    systemd/guaranteed) POD_CG=$PREFIX/kubepods.slice/kubepods-pod$uid_.slice ;;
    systemd/*) POD_CG=$PREFIX/kubepods.slice/kubepods-$QOS.slice/kubepods-$QOS-pod$uid_.slice ;;
  esac
  if [[ -n $KUBEPODS_LIMIT ]]; then
    case $DRIVER in
      cgroupfs) mkcg "$PREFIX/kubepods" "$KUBEPODS_LIMIT" ;;
      systemd) mkcg "$PREFIX/kubepods.slice" "$KUBEPODS_LIMIT" ;;
    esac
  fi
  mkcg "$POD_CG" "$pod_limit"
  printf '%s\n' "$SC" "$DRIVER" "$QOS" "$RUNTIME" "$POD_UID" "$POD_CG" "$pod_limit" "$KUBEPODS_LIMIT" "$PREFIX" >"$T/scenario"
  BEFORE_SEQ=$(kmsg_last_seq)
  echo "$BEFORE_SEQ" >"$T/before_seq"
  "$CLOCKS" >"$T/clocks_before"
  T0=$SECONDS
  log "[$SC] pod $POD_UID at $POD_CG"
}

# add_container NAME [LIMIT]
add_container() {
  local name=$1 limit=${2:-} cid rel
  cid=$(rand_cid)
  case $DRIVER/$RUNTIME in
    cgroupfs/*) rel=$POD_CG/$cid ;;
    systemd/containerd) rel=$POD_CG/cri-containerd-$cid.scope ;;
    systemd/crio) rel=$POD_CG/crio-$cid.scope ;;
    systemd/docker) rel=$POD_CG/docker-$cid.scope ;;
    *) die "unknown $DRIVER/$RUNTIME" ;;
  esac
  mkcg "$rel" "$limit"
  mkdir -p "$T/container/$name"
  echo "$cid" >"$T/container/$name/id"
  echo "$rel" >"$T/container/$name/cgroup"
  echo "$name" >>"$T/container_order"
}

# finish: clocks right after the event, capture, counters, truth.json, teardown
finish() {
  local pid name rc d
  reap
  "$CLOCKS" >"$T/clocks_after"
  date +%s.%N >"$T/date_after"
  cat /proc/uptime >"$T/uptime_after"
  sleep 1 # let asynchronous oom_reaper lines land
  reap
  for pid in "${STARTED[@]}"; do
    [[ -n ${P_DONE[$pid]:-} ]] || continue
    rc=$(cat "$T/proc/$pid/exit_status")
    if ((rc == 137)); then echo "$pid" >>"$T/killed_pids"; echo oom-killed >"$T/proc/$pid/outcome"; fi
  done
  capture "$OUT"
  # memcg counters (v1 memory.oom_control "oom_kill" = kills in this memcg)
  local kp=""
  if [[ -n $KUBEPODS_LIMIT ]]; then kp=$PREFIX/kubepods; [[ $DRIVER == systemd ]] && kp=$PREFIX/kubepods.slice; fi
  for d in $kp "$POD_CG" $(cat "$T/container/"*/cgroup); do
    mkdir -p "$T/memcg$d"
    for f in memory.limit_in_bytes memory.failcnt memory.max_usage_in_bytes memory.oom_control; do
      cp "$MEMCG$d/$f" "$T/memcg$d/$f"
    done
  done
  teardown
  echo $((SECONDS - T0)) >"$T/duration_s"
  write_truth
  check "$OUT"
  log "[$SC] ok: killed $(tr '\n' ' ' <"$T/killed_pids")in $((SECONDS - T0)) s"
}

write_truth() {
  python3 - "$T" "$OUT/truth.json" "$MIRROR_CPUSET" <<'PY'
import json, os, platform, subprocess, sys
T, out, mirror = sys.argv[1], sys.argv[2], sys.argv[3] == "1"

def rd(*p, default=None):
    f = os.path.join(T, *p)
    if not os.path.exists(f):
        return default
    with open(f) as fh:
        return fh.read().strip()

def clocks(*p):
    v = rd(*p)
    if v is None:
        return None
    c = json.loads(v)
    ns = lambda x: "%d.%09d" % divmod(x, 10**9)
    return {"realtime": ns(c["realtime_ns"]), "monotonic": ns(c["monotonic_ns"]),
            "boottime": ns(c["boottime_ns"])}

def memcg(path):
    d = os.path.join(T, "memcg" + path)
    if not os.path.isdir(d):
        return None
    r = {}
    lim = int(rd("memcg" + path, "memory.limit_in_bytes"))
    r["limit_in_bytes"] = lim if lim < (1 << 60) else None
    r["limit_in_bytes_raw"] = str(lim)
    r["failcnt"] = int(rd("memcg" + path, "memory.failcnt"))
    r["max_usage_in_bytes"] = int(rd("memcg" + path, "memory.max_usage_in_bytes"))
    for line in rd("memcg" + path, "memory.oom_control").splitlines():
        k, v = line.split()
        r["oom_control_" + k] = int(v)
    return r

sc, driver, qos, runtime, uid, pod_cg, pod_limit, kubepods_limit, prefix = (rd("scenario").split("\n") + ["", ""])[:9]
containers = []
for name in rd("container_order").splitlines():
    cg = rd("container", name, "cgroup")
    m = memcg(cg)
    containers.append({
        "name": name,
        "id": rd("container", name, "id"),
        "memory_cgroup": cg,
        "cpuset_cgroup": cg if mirror else "/",
        "limit_in_bytes": m["limit_in_bytes"],
        "memcg_after": m,
    })
procs = []
order = (rd("start_order") or "").split()
deaths = (rd("death_order") or "").split()
killed = (rd("killed_pids") or "").split()
for pid in order:
    with open(os.path.join(T, "proc", pid, "argv"), "rb") as fh:
        argv = [a.decode() for a in fh.read().split(b"\0")[:-1]]
    rc = rd("proc", pid, "exit_status")
    rc = int(rc) if rc is not None else None
    du = rd("proc", pid, "end_date_uptime")
    procs.append({
        "pid": int(pid),
        "comm": os.path.basename(argv[0])[:15],
        "argv": argv,
        "container": rd("proc", pid, "container"),
        "role": rd("proc", pid, "role"),
        "memory_cgroup": rd("proc", pid, "cgroup"),
        "start_clocks": clocks("proc", pid, "start_clocks"),
        "exit_status": rc,
        "exit_status_meaning": None if rc is None else (
            "killed by SIGKILL (OOM killer)" if rc == 137 else
            "SIGTERM from lab teardown" if rc == 143 else "exited %d" % rc),
        "outcome": rd("proc", pid, "outcome"),
        "oom_killed": pid in killed,
        "death_observed_clocks": clocks("proc", pid, "end_clocks"),
        "death_observed_date_uptime": du.split() if du else None,
    })
kill_seq = [int(p) for p in deaths if p in killed]
with open("/proc/stat") as fh:
    btime = int(next(l for l in fh if l.startswith("btime")).split()[1])
dmesg_version = subprocess.run(["dmesg", "--version"], capture_output=True, text=True).stdout.strip()
truth = {
    "scenario": sc,
    "kernel": platform.release(),
    "kernel_version": open("/proc/version").read().strip(),
    "hostname": platform.node(),
    "boot_id": open("/proc/sys/kernel/random/boot_id").read().strip(),
    "btime": btime,
    "timezone": subprocess.run(["date", "+%Z %z"], capture_output=True, text=True).stdout.strip(),
    "dmesg_version": dmesg_version,
    "cgroup_version": "v1",
    "cgroup_driver": driver,
    "container_runtime_naming": runtime,
    "pod": {
        "uid": uid,
        "qos": qos,
        "memory_cgroup": pod_cg,
        "limit_in_bytes": int(pod_limit) if pod_limit else None,
        "kubepods_limit_in_bytes": int(kubepods_limit) if kubepods_limit else None,
        "prefix": prefix or None,
        "memcg_after": memcg(pod_cg),
        "kubepods_memcg_after": memcg(prefix + ("/kubepods.slice" if driver == "systemd" else "/kubepods")) if kubepods_limit else None,
    },
    "containers": containers,
    "processes": procs,
    "killed_pids_in_order": kill_seq,
    "kills": [{"pid": p, "comm": next(x["comm"] for x in procs if x["pid"] == p),
               "container": next(x["container"] for x in procs if x["pid"] == p)} for p in kill_seq],
    "clocks_before": clocks("clocks_before"),
    "clocks_after_event": clocks("clocks_after"),
    "boot_wall_from_clocks": (lambda c: "%.6f" % (float(c["realtime_ns"]) / 1e9 - c["boottime_ns"] / 1e9))(json.loads(rd("clocks_after"))),
    "date_after_event": rd("date_after"),
    "proc_uptime_after_event": rd("uptime_after").split(),
    "kmsg_seq_before": int(rd("before_seq")),
    "kmsg_seq_last": int(rd("last_seq")),
    "kernel_records_captured": int(rd("records")),
    "duration_s": int(rd("duration_s")),
    "files": ["dmesg.txt", "dmesg-T.txt", "dmesg-r.txt", "dmesg-iso.txt", "kmsg.txt", "truth.json"],
    "notes": [
        "clocks are seconds.nanoseconds strings (CLOCK_REALTIME/MONOTONIC/BOOTTIME read back to back by golden/lab/clocks)",
        "death_observed_clocks: read when the lab's 5 ms poll saw the process gone/zombie, i.e. shortly AFTER the kill",
        "printk/[secs] and the /dev/kmsg usec field are the kernel's local_clock() (tracks CLOCK_MONOTONIC on this VM, no suspend)",
        "boot_wall_from_clocks = clocks_after_event.realtime - clocks_after_event.boottime (exact boot wall time; btime is the same value truncated to whole seconds)",
        "no syslog daemon or journald ran on this host: no syslog rendering was produced",
    ],
}
with open(out, "w") as fh:
    json.dump(truth, fh, indent=2)
    fh.write("\n")
PY
}

# a/b/c/f: one container, container limit 32 MiB < pod limit 64 MiB
scenario_simple() { # name driver qos runtime
  begin "$1" "$2" "$3" "$4" $((64 * MiB))
  add_container app $((32 * MiB))
  start_proc app workload -- "$MEMHOG" -mb 100
  wait_dead "$LAST_PID" 60
  finish
}

scenario_cgroupfs_burstable() { scenario_simple cgroupfs-burstable cgroupfs burstable containerd; }
scenario_systemd_containerd_guaranteed() { scenario_simple systemd-containerd-guaranteed systemd guaranteed containerd; }
scenario_systemd_crio_besteffort() { scenario_simple systemd-crio-besteffort systemd besteffort crio; }
scenario_docker_systemd() { scenario_simple docker-systemd systemd burstable docker; }

# d: pod limit hit, the bigger bystander container is the victim
scenario_pod_limit_other_victim() {
  begin pod-limit-other-victim cgroupfs burstable containerd $((64 * MiB))
  add_container pause ""
  add_container b ""
  add_container a ""
  start_proc pause pause -- sleep infinity
  start_proc b bystander -- "$MEMHOG" -mb 44 -hold
  wait_usage "$(cat "$T/container/b/cgroup")" $((44 * MiB)) 30
  sleep 0.2
  start_proc a allocator -- "$MEMHOG" -mb 100 -step-delay 20ms
  wait_dead "$LAST_PID" 60 # a cannot fit 100 MiB in a 64 MiB pod: it dies too, sooner or later
  finish
}

# e: two separate OOM kills in the same container cgroup
scenario_two_kills_one_container() {
  begin two-kills-one-container cgroupfs burstable containerd $((64 * MiB))
  add_container app $((48 * MiB))
  local pid n
  start_proc app holder -- "$MEMHOG" -mb 30 -hold
  wait_usage "$(cat "$T/container/app/cgroup")" $((30 * MiB)) 30
  sleep 0.2
  start_proc app allocator-1 -- "$MEMHOG" -mb 100
  wait_dead "$LAST_PID" 60
  sleep 0.2; reap
  n=0
  for pid in "${STARTED[@]}"; do
    if [[ -n ${P_DONE[$pid]:-} && $(cat "$T/proc/$pid/exit_status") == 137 ]]; then n=$((n + 1)); fi
  done
  if ((n < 2)); then
    log "[$SC] only $n kill(s) so far, starting a third memhog"
    start_proc app allocator-2 -- "$MEMHOG" -mb 100
    wait_dead "$LAST_PID" 60
  fi
  finish
}

# g: node allocatable enforcement in a nested hierarchy (kind-style prefix): kubepods itself
# is limited, the BestEffort pod and its container have no limit of their own
scenario_nested_allocatable() {
  PREFIX=/coroner-lab KUBEPODS_LIMIT=$((64 * MiB))
  begin nested-allocatable cgroupfs besteffort containerd ""
  add_container app ""
  start_proc app workload -- "$MEMHOG" -mb 100
  wait_dead "$LAST_PID" 60
  finish
  PREFIX="" KUBEPODS_LIMIT=""
}

ALL=(cgroupfs-burstable systemd-containerd-guaranteed systemd-crio-besteffort
  pod-limit-other-victim two-kills-one-container docker-systemd nested-allocatable)
(($#)) || set -- "${ALL[@]}"
mkdir -p "$OUT_ROOT"
for s in "$@"; do
  fn=scenario_${s//-/_}
  declare -F "$fn" >/dev/null || die "unknown scenario $s (known: ${ALL[*]})"
  "$fn"
  sleep 2 # a gap between scenarios (dump_header's ratelimit allows 10 reports per 5 s)
done
log "all done: $*"
