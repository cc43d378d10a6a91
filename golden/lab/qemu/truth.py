#!/usr/bin/env python3
"""truth.py FACTS_DIR OUT_JSON - write truth.json for one qemu-lab scenario.

FACTS_DIR is /out/<scenario>.facts as written by guest.sh inside the guest and
carried out over the serial port.  The schema is that of capture-v1.sh's
truth.json (same field names), with cgroup v2 counters instead of the v1 ones
and a few additions (pods, oom_score_adj, oom_score before the event, meminfo).
"""
import json
import os
import re
import sys

T, out = sys.argv[1], sys.argv[2]


def rd(*p, default=None):
    f = os.path.join(T, *p)
    if not os.path.exists(f):
        return default
    with open(f) as fh:
        return fh.read().strip()


def ns(x):
    return "%d.%09d" % divmod(x, 10**9)


def clocks(*p):
    v = rd(*p)
    if v is None:
        return None
    c = json.loads(v)
    return {"realtime": ns(c["realtime_ns"]), "monotonic": ns(c["monotonic_ns"]),
            "boottime": ns(c["boottime_ns"])}


def kv(text):
    r = {}
    for line in (text or "").splitlines():
        k, v = line.split()
        r[k] = int(v)
    return r


def memcg(path):
    d = "memcg" + path
    if not os.path.isdir(os.path.join(T, d)):
        return None
    raw = rd(d, "memory.max")
    r = {
        "memory_max": None if raw == "max" else int(raw),
        "memory_max_raw": raw,
        "memory_current": int(rd(d, "memory.current")),
        "memory_peak": int(rd(d, "memory.peak")) if rd(d, "memory.peak") else None,
        "memory_oom_group": int(rd(d, "memory.oom.group")),
        "memory_swap_max_raw": rd(d, "memory.swap.max"),
        "events": kv(rd(d, "memory.events")),
        "events_local": kv(rd(d, "memory.events.local")),
    }
    return r


def limit(raw):
    return int(raw) if raw else None


def meminfo(name):
    v = rd(name)
    if v is None:
        return None
    keep = ("MemTotal", "MemFree", "MemAvailable", "AnonPages", "Shmem", "SwapTotal")
    r = {}
    for line in v.splitlines():
        k, rest = line.split(":", 1)
        if k in keep:
            r[k + "_kB"] = int(rest.split()[0])
    return r


kind = rd("kind")


def kill_lines():
    """pids of the kernel's 'Killed process' records in log order (duplicates kept)."""
    f = os.path.join(os.path.dirname(os.path.abspath(out)), "kmsg.txt")
    r = []
    with open(f) as fh:
        for line in fh:
            m = re.search(r";(?:Memory cgroup out of memory|Out of memory): Killed process (\d+) ", line)
            if m:
                r.append(int(m.group(1)))
    return r


pods = {}
for name in (rd("pod_order") or "").split():
    cg = rd("pod", name, "cgroup")
    pods[name] = {
        "name": name,
        "uid": rd("pod", name, "uid"),
        "qos": rd("pod", name, "qos"),
        "cgroup_driver": rd("pod", name, "driver"),
        "memory_cgroup": cg,
        "limit_in_bytes": limit(rd("pod", name, "limit")),
        "memcg_after": memcg(cg),
    }
containers = []
cont_pod = {}
for name in rd("container_order").split():
    cg = rd("container", name, "cgroup")
    pod = rd("container", name, "pod")
    cont_pod[name] = pod
    containers.append({
        "name": name,
        "id": rd("container", name, "id"),
        "pod": pod,
        "pod_uid": pods[pod]["uid"],
        "runtime_naming": rd("container", name, "runtime"),
        "memory_cgroup": cg,
        "cpuset_cgroup": cg if "cpuset" in (rd("controllers_enabled") or "") else "/",
        "limit_in_bytes": limit(rd("container", name, "limit")),
        "memory_oom_group": int(rd("memcg" + cg, "memory.oom.group") or 0),
        "memcg_after": memcg(cg),
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
    score = rd("proc", pid, "oom_score_before_event")
    cont = rd("proc", pid, "container")
    procs.append({
        "pid": int(pid),
        "comm": os.path.basename(argv[0])[:15],
        "argv": argv,
        "container": cont,
        "pod_uid": pods[cont_pod[cont]]["uid"],
        "role": rd("proc", pid, "role"),
        "memory_cgroup": rd("proc", pid, "cgroup"),
        "oom_score_adj": int(rd("proc", pid, "oom_score_adj_set")),
        "oom_score_before_event": int(score) if score else None,
        "rss_before_event": rd("proc", pid, "rss_before_event"),
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
byp = {p["pid"]: p for p in procs}
kill_seq = [int(p) for p in deaths if p in killed]
ca = json.loads(rd("clocks_after"))
single = len(pods) == 1
vm_oom = rd("vmstat_oom_kill")
truth = {
    "scenario": rd("scenario"),
    "kernel": rd("uname_r"),
    "kernel_version": rd("proc_version"),
    "hostname": rd("hostname"),
    "boot_id": rd("boot_id"),
    "btime": int(rd("btime")),
    "timezone": rd("timezone"),
    "dmesg_version": rd("dmesg_version"),
    "cgroup_version": "v2",
    "oom_kind": "global" if kind == "global" else "memcg",
    "cgroup_driver": next(iter(pods.values()))["cgroup_driver"],
    "container_runtime_naming": containers[0]["runtime_naming"],
    "lab": "golden/lab/qemu (qemu TCG guest, kernel command line: %s)" % rd("cmdline"),
    "cgroup2_controllers_enabled": rd("controllers_enabled"),
    # single-pod scenarios: the pod; several pods (global-three-qos): null, see "pods"
    "pod": next(iter(pods.values())) if single else None,
    "pods": list(pods.values()),
    "containers": containers,
    "processes": procs,
    "killed_pids_in_order": kill_seq,
    "kills": [{"pid": p, "comm": byp[p]["comm"], "container": byp[p]["container"],
               "pod_uid": byp[p]["pod_uid"], "qos": pods[cont_pod[byp[p]["container"]]]["qos"],
               "oom_score_adj": byp[p]["oom_score_adj"]} for p in kill_seq],
    "kernel_kill_line_pids": kill_lines(),
    "clocks_before": clocks("clocks_before"),
    "clocks_after_event": clocks("clocks_after"),
    "boot_wall_from_clocks": "%.6f" % (ca["realtime_ns"] / 1e9 - ca["boottime_ns"] / 1e9),
    "date_after_event": rd("date_after"),
    "proc_uptime_after_event": rd("uptime_after").split(),
    "kmsg_seq_before": int(rd("before_seq")),
    "kmsg_seq_last": int(rd("last_seq")),
    "kernel_records_captured": int(rd("records")),
    "dmesg_lines_captured": int(rd("lines_new")),
    "vmstat_oom_kill_after": int(vm_oom.split()[1]) if vm_oom else None,
    "meminfo_start": meminfo("meminfo_start"),
    "meminfo_before_event": meminfo("meminfo_before_event"),
    "meminfo_after": meminfo("meminfo_after"),
    "duration_s": int(rd("duration_s")),
    "files": ["dmesg.txt", "dmesg-T.txt", "dmesg-r.txt", "dmesg-iso.txt", "kmsg.txt", "truth.json"],
    "notes": [
        "captured inside a qemu TCG guest (no KVM) booted from an initramfs; guest RAM 256 MiB, 1 vCPU, no swap; clock from the emulated RTC (UTC)",
        "clocks are seconds.nanoseconds strings (CLOCK_REALTIME/MONOTONIC/BOOTTIME read back to back by golden/lab/clocks)",
        "killed_pids_in_order: in the order the lab's poll saw the deaths (near-simultaneous kills, e.g. memory.oom.group, can be observed in another order than the kernel killed them); kernel_kill_line_pids: the pids of the 'Killed process' records in kmsg.txt, in log order, duplicates kept",
        "death_observed_clocks: read when the lab's 5 ms poll saw the process gone/zombie, i.e. shortly AFTER the kill",
        "date_after_event / death_observed_date_uptime use busybox date: whole seconds only",
        "oom_score_adj: the value the lab wrote to /proc/<pid>/oom_score_adj before exec (kubelet policy: Guaranteed -997, BestEffort 1000, pause -998, Burstable 1000-1000*request/256MiB)",
        "oom_score_before_event: /proc/<pid>/oom_score read just before the triggering allocation started",
        "boot_wall_from_clocks = clocks_after_event.realtime - clocks_after_event.boottime (exact boot wall time; btime is the same value truncated to whole seconds)",
        "one /dev/kmsg record can span several dmesg lines (cgroup v2 memory.stat dump): kernel_records_captured counts records, dmesg_lines_captured lines",
        "no syslog daemon or journald ran in the guest: no syslog rendering was produced",
    ],
}
with open(out, "w") as fh:
    json.dump(truth, fh, indent=2)
    fh.write("\n")
