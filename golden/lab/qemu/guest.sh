#!/bin/bash
# guest.sh SCENARIO - runs INSIDE the qemu guest of golden/lab/qemu/run.sh
# (never on the host: it refuses to run unless PID 1 is the lab's /init).
#
# Creates kubepods-style cgroup v2 hierarchies, starts processes in them with
# the oom_score_adj the kubelet would give, provokes a real OOM kill (memcg or
# global), and writes into /out:
#   /out/<scenario>/{dmesg,dmesg-T,dmesg-r,dmesg-iso,kmsg}.txt   verbatim
#   /out/<scenario>.facts/...   raw facts for truth.json (written on the host)
# Only kernel records whose /dev/kmsg sequence number is above the one saved
# before the scenario are kept.  The logic mirrors golden/lab/capture-v1.sh.
set -euo pipefail

SC=${1:?usage: guest.sh SCENARIO}
[[ $(cat /proc/1/cmdline | tr '\0' ' ') == "/bin/busybox sh /init "* && -f /lab/guest.sh ]] ||
  { echo "guest.sh: not inside the coroner lab guest; refusing" >&2; exit 1; }

MEMHOG=/lab/memhog
CLOCKS=/lab/clocks
CG=/sys/fs/cgroup
MiB=$((1 << 20))
OUT=/out/$SC
T=/out/$SC.facts
W=/tmp/cap
mkdir -p "$OUT" "$T/proc" "$T/container" "$T/pod" "$W"

die() {
  echo "guest: $*" >&2; echo "$*" >"$T/error"
  [[ -d $W ]] && cp -r "$W" "$T/capture-debug" # the raw renderings, for a look on the host
  exit 1
}
log() { echo "guest: [$SC] $*" >&2; }

[[ -f $CG/cgroup.controllers ]] || die "no cgroup2 at $CG"
grep -qw memory "$CG/cgroup.controllers" || die "memory controller not available on cgroup2"
# Like the kubelet/runc on cgroup v2, enable cpuset too: the OOM summary line
# prints the allocating task's cpuset cgroup name (empty cpuset.cpus/mems in a
# v2 child = the parent's, so this changes nothing else).
CTRLS="+cpuset +memory"
grep -qw cpuset "$CG/cgroup.controllers" || CTRLS="+memory"
enable_ctrls() { # DIR
  local c
  for c in $CTRLS; do
    grep -qw "${c#+}" "$1/cgroup.subtree_control" || echo "$c" >"$1/cgroup.subtree_control"
  done
}
enable_ctrls "$CG"

# ---------------------------------------------------------------- state ----
STARTED=()
declare -A P_DONE=()
LAST_PID=""

alive() {
  local st
  [[ -r /proc/$1/stat ]] || return 1
  read -r _ _ st _ <"/proc/$1/stat" 2>/dev/null || return 1
  [[ $st != Z && $st != X ]]
}

reap() {
  local pid rc now
  for pid in "${STARTED[@]}"; do
    [[ -n ${P_DONE[$pid]:-} ]] && continue
    alive "$pid" && continue
    now=$("$CLOCKS")
    rc=0; { wait "$pid"; } 2>/dev/null || rc=$?
    P_DONE[$pid]=1
    echo "$now" >"$T/proc/$pid/end_clocks"
    echo "$rc" >"$T/proc/$pid/exit_status"
    echo "$(date +%s) $(cut -d' ' -f1 /proc/uptime)" >"$T/proc/$pid/end_date_uptime"
    [[ -f $T/proc/$pid/outcome ]] || echo lab-observed >"$T/proc/$pid/outcome"
    echo "$pid" >>"$T/death_order"
  done
}

teardown() {
  local pid try
  for pid in "${STARTED[@]}"; do
    [[ -n ${P_DONE[$pid]:-} ]] && continue
    if alive "$pid"; then
      echo lab-teardown-sigterm >"$T/proc/$pid/outcome"
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for pid in "${STARTED[@]}"; do
    [[ -n ${P_DONE[$pid]:-} ]] && continue
    for try in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
  done
  reap
}

# ------------------------------------------------------------- cgroups ----
# mkcg REL [LIMIT]: create $CG/REL parent by parent, enabling +memory in
# every parent's cgroup.subtree_control (and +cpuset); LIMIT (bytes) goes to memory.max.
mkcg() {
  local rel=$1 limit=${2:-} part p parts
  IFS=/ read -ra parts <<<"${rel#/}"
  p=$CG
  for part in "${parts[@]}"; do
    enable_ctrls "$p"
    p=$p/$part
    [[ -d $p ]] || mkdir "$p"
  done
  [[ -n $limit ]] && echo "$limit" >"$p/memory.max"
  return 0
}

current_of() { cat "$CG$1/memory.current"; }

# ------------------------------------------------------------ pods etc ----
rand_cid() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }

# new_pod NAME DRIVER QOS [POD_LIMIT]: create the pod cgroup, make it current
new_pod() {
  local name=$1 driver=$2 qos=$3 limit=${4:-} uid uid_ pcg
  uid=$(cat /proc/sys/kernel/random/uuid)
  uid_=${uid//-/_}
  case $driver/$qos in
    cgroupfs/guaranteed) pcg=/kubepods/pod$uid ;;
    cgroupfs/*) pcg=/kubepods/$qos/pod$uid ;;
    systemd/guaranteed) pcg=/kubepods.slice/kubepods-pod$uid_.slice ;;
    systemd/*) pcg=/kubepods.slice/kubepods-$qos.slice/kubepods-$qos-pod$uid_.slice ;;
    *) die "unknown $driver/$qos" ;;
  esac
  mkcg "$pcg" "$limit"
  mkdir -p "$T/pod/$name"
  printf '%s\n' "$uid" >"$T/pod/$name/uid"
  printf '%s\n' "$driver" >"$T/pod/$name/driver"
  printf '%s\n' "$qos" >"$T/pod/$name/qos"
  printf '%s\n' "$pcg" >"$T/pod/$name/cgroup"
  printf '%s\n' "$limit" >"$T/pod/$name/limit"
  echo "$name" >>"$T/pod_order"
  POD=$name POD_CG=$pcg DRIVER=$driver
  log "pod $name $uid at $pcg"
}

# add_container NAME RUNTIME [LIMIT] [OOM_GROUP]: in the current pod
add_container() {
  local name=$1 runtime=$2 limit=${3:-} group=${4:-0} cid rel
  cid=$(rand_cid)
  case $DRIVER/$runtime in
    cgroupfs/crio) rel=$POD_CG/crio-$cid ;;
    cgroupfs/*) rel=$POD_CG/$cid ;;
    systemd/containerd) rel=$POD_CG/cri-containerd-$cid.scope ;;
    systemd/crio) rel=$POD_CG/crio-$cid.scope ;;
    systemd/docker) rel=$POD_CG/docker-$cid.scope ;;
    *) die "unknown $DRIVER/$runtime" ;;
  esac
  mkcg "$rel" "$limit"
  echo "$group" >"$CG$rel/memory.oom.group"
  mkdir -p "$T/container/$name"
  echo "$cid" >"$T/container/$name/id"
  echo "$rel" >"$T/container/$name/cgroup"
  echo "$POD" >"$T/container/$name/pod"
  echo "$runtime" >"$T/container/$name/runtime"
  echo "$limit" >"$T/container/$name/limit"
  echo "$name" >>"$T/container_order"
}

# ----------------------------------------------------------- processes ----
# start_proc CONTAINER ROLE OOM_SCORE_ADJ -- cmd...
start_proc() {
  local cont=$1 role=$2 adj=$3 rel pid before
  shift 3; [[ $1 == -- ]] && shift
  rel=$(cat "$T/container/$cont/cgroup")
  before=$("$CLOCKS")
  (
    echo "$BASHPID" >"$CG$rel/cgroup.procs"
    echo "$adj" >/proc/self/oom_score_adj
    exec "$@"
  ) &
  pid=$!
  STARTED+=("$pid")
  mkdir -p "$T/proc/$pid"
  echo "$cont" >"$T/proc/$pid/container"
  echo "$role" >"$T/proc/$pid/role"
  echo "$rel" >"$T/proc/$pid/cgroup"
  echo "$adj" >"$T/proc/$pid/oom_score_adj_set"
  printf '%s\0' "$@" >"$T/proc/$pid/argv"
  echo "$before" >"$T/proc/$pid/start_clocks"
  echo "$pid" >>"$T/start_order"
  LAST_PID=$pid
}

# snap_scores: oom_score_adj/oom_score of every live started process, now
snap_scores() {
  local pid
  for pid in "${STARTED[@]}"; do
    alive "$pid" || continue
    cat "/proc/$pid/oom_score_adj" >"$T/proc/$pid/oom_score_adj_read" 2>/dev/null || true
    cat "/proc/$pid/oom_score" >"$T/proc/$pid/oom_score_before_event" 2>/dev/null || true
    grep -E '^(VmRSS|RssAnon):' "/proc/$pid/status" >"$T/proc/$pid/rss_before_event" 2>/dev/null || true
  done
  cp /proc/meminfo "$T/meminfo_before_event"
}

wait_dead() {
  local pid=$1 deadline=$((SECONDS + $2))
  while :; do
    reap
    [[ -n ${P_DONE[$pid]:-} ]] && return 0
    ((SECONDS < deadline)) || die "pid $pid still alive after $2 s"
    sleep 0.005
  done
}

wait_current() {
  local rel=$1 want=$2 deadline=$((SECONDS + $3))
  until (($(current_of "$rel") >= want)); do
    reap
    ((SECONDS < deadline)) || die "$rel did not reach $want bytes"
    sleep 0.01
  done
}

# wait_rss PID KIB TIMEOUT_S: poll until the process has >= KIB resident
wait_rss() {
  local pid=$1 want=$2 deadline=$((SECONDS + $3)) r
  while :; do
    r=$(awk '/^VmRSS:/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    ((${r:-0} >= want)) && return 0
    alive "$pid" || die "pid $pid died while waiting for it to allocate"
    ((SECONDS < deadline)) || die "pid $pid did not reach $want KiB RSS"
    sleep 0.01
  done
}

# ------------------------------------------------------------- capture ----
kmsg_dump() { /usr/bin/dd if=/dev/kmsg iflag=nonblock bs=65536 status=none 2>/dev/null || true; }
kmsg_last_seq() { kmsg_dump | awk -F'[,;]' '!/^ /{s=$2} END{print s}'; }

capture() {
  local try nnew first f lines lall lnew
  for try in $(seq 20); do
    kmsg_dump >"$W/k1"
    /usr/bin/dmesg >"$W/dmesg.txt"
    /usr/bin/dmesg -T >"$W/dmesg-T.txt"
    /usr/bin/dmesg -r >"$W/dmesg-r.txt"
    /usr/bin/dmesg --time-format=iso >"$W/dmesg-iso.txt"
    kmsg_dump >"$W/k2"
    cmp -s "$W/k1" "$W/k2" && break
    ((try < 20)) || die "kernel log kept changing during capture"
    sleep 0.2
  done
  first=$(awk -F'[,;]' '!/^ /{print $2; exit}' "$W/k1")
  ((first <= BEFORE_SEQ + 1)) || die "ring buffer wrapped: first seq $first > $((BEFORE_SEQ + 1))"
  nnew=$(awk -F'[,;]' -v s="$BEFORE_SEQ" '!/^ / && $2 > s {n++} END{print n+0}' "$W/k1")
  ((nnew > 0)) || die "no new kernel records"
  # A record can hold several lines: /dev/kmsg escapes each embedded newline
  # as \x0a, dmesg prints it as a line break (the cgroup v2 memory.stat dump
  # of a memcg OOM is ONE record). Lines = records + escaped newlines.
  read -r lall lnew < <(awk -F'[,;]' -v s="$BEFORE_SEQ" '
    !/^ / { n = 1 + gsub(/\\x0a/, "&"); all += n; if ($2 > s) new += n }
    END { print all + 0, new + 0 }' "$W/k1")
  echo "$lnew" >"$T/lines_new"
  for f in dmesg.txt dmesg-T.txt dmesg-r.txt dmesg-iso.txt; do
    lines=$(wc -l <"$W/$f")
    ((lines == lall)) || die "$f has $lines lines, /dev/kmsg says $lall (records with embedded newlines counted)"
    tail -n "$lnew" "$W/$f" >"$OUT/$f"
  done
  awk -F'[,;]' -v s="$BEFORE_SEQ" '!/^ /{keep = ($2 > s)} keep' "$W/k1" >"$OUT/kmsg.txt"
  awk -F'[,;]' '!/^ /{s=$2} END{print s}' "$W/k1" >"$T/last_seq"
  echo "$nnew" >"$T/records"
}

# check: the report markers are in every file; kill lines == observed kills
# (as a set: with memory.oom.group the first victim is named twice)
check() {
  local f pat want got pats
  want=$(sort -n "$T/killed_pids" 2>/dev/null | tr '\n' ' ')
  if [[ $KIND == global ]]; then
    pats=('invoked oom-killer' 'Mem-Info:' 'oom-kill:constraint=CONSTRAINT_NONE' 'global_oom' 'Out of memory: Killed process')
  else
    pats=('invoked oom-killer' 'memory: usage' 'oom-kill:constraint=CONSTRAINT_MEMCG' 'oom_memcg=' 'Memory cgroup out of memory: Killed process')
  fi
  for f in dmesg.txt dmesg-T.txt dmesg-r.txt dmesg-iso.txt kmsg.txt; do
    for pat in "${pats[@]}"; do
      grep -q "$pat" "$OUT/$f" || die "$OUT/$f lacks '$pat'"
    done
    got=$(sed -n 's/.*[Oo]ut of memory: Killed process \([0-9]*\) .*/\1/p' "$OUT/$f" | sort -nu | tr '\n' ' ')
    [[ $got == "$want" ]] || die "$OUT/$f kill lines for pids [$got], observed SIGKILLed [$want]"
  done
}

# ---------------------------------------------------------- scenario io ----
begin() { # KIND (memcg|global)
  KIND=$1
  echo "$SC" >"$T/scenario"
  echo "$KIND" >"$T/kind"
  echo "$CTRLS" >"$T/controllers_enabled"
  uname -r >"$T/uname_r"
  cat /proc/version >"$T/proc_version"
  hostname >"$T/hostname"
  cat /proc/sys/kernel/random/boot_id >"$T/boot_id"
  date '+%Z %z' >"$T/timezone"
  /usr/bin/dmesg --version >"$T/dmesg_version"
  cat /proc/cmdline >"$T/cmdline"
  cp /proc/meminfo "$T/meminfo_start"
  BEFORE_SEQ=$(kmsg_last_seq)
  echo "$BEFORE_SEQ" >"$T/before_seq"
  "$CLOCKS" >"$T/clocks_before"
  T0=$SECONDS
}

finish() {
  local pid rc d f name
  reap
  "$CLOCKS" >"$T/clocks_after"
  date +%s >"$T/date_after"
  cat /proc/uptime >"$T/uptime_after"
  sleep 1 # let asynchronous oom_reaper lines land
  reap
  : >"$T/killed_pids"
  for pid in "${STARTED[@]}"; do
    [[ -n ${P_DONE[$pid]:-} ]] || continue
    rc=$(cat "$T/proc/$pid/exit_status")
    if ((rc == 137)); then echo "$pid" >>"$T/killed_pids"; echo oom-killed >"$T/proc/$pid/outcome"; fi
  done
  capture
  grep -E '^oom_kill ' /proc/vmstat >"$T/vmstat_oom_kill" || true
  cp /proc/meminfo "$T/meminfo_after"
  for d in $(cat "$T/pod/"*/cgroup "$T/container/"*/cgroup); do
    mkdir -p "$T/memcg$d"
    for f in memory.max memory.current memory.peak memory.events memory.events.local memory.oom.group memory.swap.max; do
      [[ -f $CG$d/$f ]] && cp "$CG$d/$f" "$T/memcg$d/$f"
    done
  done
  teardown
  echo $((SECONDS - T0)) >"$T/duration_s"
  grep '^btime ' /proc/stat | cut -d' ' -f2 >"$T/btime"
  check
  log "ok: killed $(tr '\n' ' ' <"$T/killed_pids")in $((SECONDS - T0)) s"
}

# kubelet's oom_score_adj by QoS (formats.md 5.6): Guaranteed -997,
# BestEffort 1000, pod infra (pause) -998, Burstable
# 1000 - 1000*request/capacity; here capacity = 256 MiB (the guest's RAM):
# a 16 MiB request gives 938, no request 1000 -> 999.
ADJ_G=-997 ADJ_BE=1000 ADJ_PAUSE=-998 ADJ_B16=938 ADJ_B0=999

# --------------------------------------------------------- scenarios ----
scenario_simple() { # driver qos runtime adj
  begin memcg
  new_pod pod "$1" "$2" $((64 * MiB))
  add_container app "$3" $((32 * MiB))
  start_proc app workload "$4" -- "$MEMHOG" -mb 100
  wait_dead "$LAST_PID" 180
  finish
}

scenario_v2_cgroupfs_burstable() { scenario_simple cgroupfs burstable containerd $ADJ_B16; }
scenario_v2_systemd_containerd_guaranteed() { scenario_simple systemd guaranteed containerd $ADJ_G; }
scenario_v2_systemd_crio_besteffort() { scenario_simple systemd besteffort crio $ADJ_BE; }

# d: pod limit 64 MiB, containers without limits; B holds 44 MiB, A grows
scenario_v2_pod_limit_other_victim() {
  begin memcg
  new_pod pod cgroupfs burstable $((64 * MiB))
  add_container pause containerd
  add_container b containerd
  add_container a containerd
  start_proc pause pause $ADJ_PAUSE -- sleep 100000
  start_proc b bystander $ADJ_B0 -- "$MEMHOG" -mb 44 -hold
  wait_current "$(cat "$T/container/b/cgroup")" $((44 * MiB)) 60
  sleep 0.2
  snap_scores
  start_proc a allocator $ADJ_B0 -- "$MEMHOG" -mb 100 -step-delay 20ms
  wait_dead "$LAST_PID" 180 # 100 MiB never fits in a 64 MiB pod: A dies too, sooner or later
  finish
}

# e: pod limit 96 MiB; main holds 50 MiB at -997, sidecar 10 MiB at 999;
# a second main process pushes the pod over: the small sidecar should die.
scenario_v2_sidecar_oom_score_adj() {
  local cur need
  begin memcg
  new_pod pod cgroupfs burstable $((96 * MiB))
  add_container pause containerd
  add_container main containerd
  add_container sidecar containerd
  start_proc pause pause $ADJ_PAUSE -- sleep 100000
  start_proc main holder $ADJ_G -- "$MEMHOG" -mb 50 -hold
  wait_current "$(cat "$T/container/main/cgroup")" $((50 * MiB)) 60
  start_proc sidecar sidecar 999 -- "$MEMHOG" -mb 10 -hold
  wait_current "$(cat "$T/container/sidecar/cgroup")" $((10 * MiB)) 60
  sleep 0.2
  # allocate what is left in the pod plus 6 MiB: over the limit with the
  # sidecar, under it once the sidecar (~12 MiB charged) is gone
  cur=$(current_of "$POD_CG")
  need=$(((96 * MiB - cur + MiB - 1) / MiB + 6))
  echo "$cur" >"$T/pod_current_before_push"
  snap_scores
  start_proc main pusher $ADJ_G -- "$MEMHOG" -mb "$need" -hold -step-delay 20ms
  local pusher=$LAST_PID deadline=$((SECONDS + 180)) pid n
  while :; do # until the first OOM kill, then 3 s more for follow-ups
    reap; n=0
    for pid in "${STARTED[@]}"; do [[ -n ${P_DONE[$pid]:-} ]] && n=$((n + 1)); done
    ((n > 0)) && break
    ((SECONDS < deadline)) || die "no death within 180 s"
    sleep 0.005
  done
  for pid in $(seq 300); do reap; sleep 0.01; done
  [[ -n ${P_DONE[$pusher]:-} ]] || echo "pusher $pusher alive after the kill" >"$T/pusher_state"
  finish
}

# f: memory.oom.group=1 on a 48 MiB container with an allocator and two holders
scenario_v2_oom_group() {
  begin memcg
  new_pod pod cgroupfs burstable $((64 * MiB))
  add_container app containerd $((48 * MiB)) 1
  start_proc app holder $ADJ_B16 -- "$MEMHOG" -mb 12 -hold
  wait_current "$(cat "$T/container/app/cgroup")" $((12 * MiB)) 60
  start_proc app helper $ADJ_B16 -- sleep 100000
  sleep 0.2
  snap_scores
  start_proc app allocator $ADJ_B16 -- "$MEMHOG" -mb 100
  wait_dead "$LAST_PID" 180
  for n in $(seq 300); do reap; sleep 0.01; done
  finish
}

# g: one BestEffort hog, no limits anywhere: a global OOM
scenario_global_single_hog() {
  begin global
  new_pod pod cgroupfs besteffort
  add_container app containerd
  snap_scores
  start_proc app hog $ADJ_BE -- "$MEMHOG" -mb 1024
  wait_dead "$LAST_PID" 300
  finish
}

# h: Guaranteed / Burstable / BestEffort pods hold memory, a Guaranteed
# batch process then allocates until the guest runs out
scenario_global_three_qos() {
  begin global
  new_pod g cgroupfs guaranteed
  add_container g-pause containerd
  add_container g-app containerd
  add_container g-batch containerd
  new_pod b cgroupfs burstable
  add_container b-pause containerd
  add_container b-cache containerd
  new_pod be cgroupfs besteffort
  add_container be-pause containerd
  add_container be-scratch containerd
  start_proc g-pause pause $ADJ_PAUSE -- sleep 100000
  start_proc b-pause pause $ADJ_PAUSE -- sleep 100000
  start_proc be-pause pause $ADJ_PAUSE -- sleep 100000
  start_proc g-app hog $ADJ_G -- "$MEMHOG" -mb "$H_G" -hold
  wait_current "$(cat "$T/container/g-app/cgroup")" $((H_G * MiB)) 60
  start_proc b-cache holder 500 -- "$MEMHOG" -mb "$H_B" -hold
  wait_current "$(cat "$T/container/b-cache/cgroup")" $((H_B * MiB)) 60
  start_proc be-scratch holder $ADJ_BE -- "$MEMHOG" -mb "$H_BE" -hold
  wait_current "$(cat "$T/container/be-scratch/cgroup")" $((H_BE * MiB)) 60
  sleep 0.5
  snap_scores
  start_proc g-batch pusher $ADJ_G -- "$MEMHOG" -mb 1024 -step-delay 5ms
  wait_dead "$LAST_PID" 300
  for n in $(seq 300); do reap; sleep 0.01; done
  finish
}
H_G=${H_G:-60} H_B=${H_B:-60} H_BE=${H_BE:-40}

fn=scenario_${SC//-/_}
declare -F "$fn" >/dev/null || die "unknown scenario $SC"
"$fn"
