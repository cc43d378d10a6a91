package correlate

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
)

// ruling is what the judge tables pin of a death: the mechanism, how sure, what killed it
// when not memory, and the eviction's resource.
type ruling struct {
	Mechanism  report.Mechanism
	Confidence string
	Kill       string // the kill's reason, "" without a kill
	Resource   string // the eviction's resource, "" without an eviction
}

func verdictOf(d report.Death) ruling {
	v := ruling{Mechanism: d.Mechanism, Confidence: d.Confidence}
	if d.Kill != nil {
		v.Kill = d.Kill.Reason
	}
	if d.Eviction != nil {
		v.Resource = d.Eviction.Resource
	}
	return v
}

const (
	livenessKilling = "Container app failed liveness probe, will be restarted"
	startupKilling  = "Container app failed startup probe, will be restarted"
)

// TestJudge: which evidence decides the mechanism of a death no kernel report explains. The
// order is the point: an eviction wins over everything, an OOM kill over a probe, and a
// SIGKILL with no memory evidence is never taken for memory.
func TestJudge(t *testing.T) {
	tests := []struct {
		reason string
		seen   []sighting
		want   ruling
		note   string // a note the verdict must carry, "" for none checked
	}{
		{"OOMKilled with a limit and nothing node-wide: its own limit, but no kernel report to say so",
			[]sighting{status("st", oomKilled("512Mi"))}, ruling{report.CgroupOOM, "low", "", ""}, ""},
		{"an eviction is an eviction even when the container was OOM-killed around it",
			[]sighting{status("st", oomKilled("512Mi")), sight(seenEvicted, "ev", byKubelet(), evict("memory", parsers.EvictionScopeNode))},
			ruling{report.KubeletEviction, "high", "", "memory"}, "also OOM-killed"},
		{"the kubelet's Killing names the failed liveness probe: a probe kill, and sure of it",
			[]sighting{status("st", sigkilled()), sight(seenKilling, "kill", msg(livenessKilling))}, ruling{report.NotMemory, "high", "liveness-probe", ""}, ""},
		{"a liveness failure before a SIGKILL, the kill itself not seen: likely the probe",
			[]sighting{status("st", sigkilled()), sight(seenProbe, "probe", probeOf("Liveness"), at(-20*time.Second))}, ruling{report.NotMemory, "medium", "liveness-probe", ""}, ""},
		{"an OOM kill outranks a probe that failed around it: the probe is the lead-up",
			[]sighting{status("st", oomKilled("512Mi")), sight(seenProbe, "probe", probeOf("Liveness"), at(-20*time.Second))}, ruling{report.CgroupOOM, "low", "", ""}, ""},
		{"preempted to admit a critical pod: not memory",
			[]sighting{status("st", sigkilled()), sight(seenPreempted, "pre")}, ruling{report.NotMemory, "high", "preemption", ""}, ""},
		{"killed by the graceful node shutdown: not memory",
			[]sighting{status("st", sigkilled()), sight(seenShutdown, "down")}, ruling{report.NotMemory, "high", "node-shutdown", ""}, ""},
		{"the kubelet's own reason, preemption, outranks a liveness probe that failed around it",
			[]sighting{status("st", sigkilled()), sight(seenPreempted, "pre"), sight(seenProbe, "probe", probeOf("Liveness"), at(-20*time.Second))},
			ruling{report.NotMemory, "high", "preemption", ""}, ""},
		{"a node shutdown outranks a liveness probe that failed as the node went down",
			[]sighting{status("st", sigkilled()), sight(seenShutdown, "down"), sight(seenProbe, "probe", probeOf("Liveness"), at(-20*time.Second))},
			ruling{report.NotMemory, "high", "node-shutdown", ""}, ""},
		{"the kubelet stopped it (Killing, no probe) and it outlived its grace: SIGKILL, not memory",
			[]sighting{status("st", sigkilled()), sight(seenKilling, "kill", msg("Stopping container app"), at(-30*time.Second))},
			ruling{report.NotMemory, "medium", "stopped", ""}, "before it died"},
		{"exit 137 in pod status and no memory evidence at all: unknown, never memory",
			[]sighting{status("st", sigkilled())}, ruling{report.Unknown, "low", "", ""}, "exit code 137"},
		{"exit 137 seen only by the runtime: unknown, never memory",
			[]sighting{sight(seenExit, "exit", cid("c1"), exit(137))}, ruling{report.Unknown, "low", "", ""}, "exit code 137"},
		{"the runtime's OOM event alone: an OOM kill, but whose limit is not known",
			[]sighting{sight(seenRuntimeOOM, "oom", cid("c1"))}, ruling{report.Unknown, "low", "", ""}, ""},
		{"an eviction the evidence gives no resource for is not taken for memory",
			[]sighting{status("st", evictedStatus()), sight(seenEvicted, "ev")}, ruling{report.Unknown, "low", "eviction", ""}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			c := caseOf(tt.seen...)
			judge(c, sceneOf())
			if diff := cmp.Diff(tt.want, verdictOf(c.d)); diff != "" {
				t.Errorf("%s: verdict (-want +got):\n%s", tt.reason, diff)
			}
			if tt.note != "" && !hasNote(c.d, tt.note) {
				t.Errorf("%s: no note saying %q in %q", tt.reason, tt.note, c.d.Notes)
			}
		})
	}
}

// TestJudgeEviction: for which resource the kubelet evicted, where that is read from, and how
// sure it is. Only a named memory eviction is a memory death.
func TestJudgeEviction(t *testing.T) {
	reclaimIn := func(inputName, resource string) nodeFact {
		f := kubeletFact(parsers.KubeletReclaim, "n1", 0, resource)
		f.at, f.ev.Input = time.Time{}, inputName
		return f
	}
	tests := []struct {
		reason string
		seen   []sighting
		facts  []nodeFact
		want   ruling
	}{
		{"the kubelet's own line names memory: sure", []sighting{sight(seenEvicted, "ev", byKubelet(), evict("memory", parsers.EvictionScopeNode))}, nil,
			ruling{report.KubeletEviction, "high", "", "memory"}},
		{"only an Evicted Event names memory, no kubelet log: less sure",
			[]sighting{sight(seenEvicted, "ev", evict("memory", parsers.EvictionScopeNode))}, nil, ruling{report.KubeletEviction, "medium", "", "memory"}},
		{"the Event's starved_resource annotation names memory when no message does",
			[]sighting{sight(seenEvicted, "ev", starved("memory"))}, nil, ruling{report.KubeletEviction, "medium", "", "memory"}},
		{"the annotation names the resource and the kubelet's line confirms the eviction: sure",
			[]sighting{sight(seenEvicted, "kl", byKubelet()), sight(seenEvicted, "ev", starved("memory"))}, nil, ruling{report.KubeletEviction, "high", "", "memory"}},
		{"no resource in the message: the node's episode reclaimed memory at the time",
			[]sighting{sight(seenEvicted, "ev", byKubelet())}, []nodeFact{kubeletFact(parsers.KubeletReclaim, "n1", -30*time.Second, "memory")},
			ruling{report.KubeletEviction, "high", "", "memory"}},
		{"the episode reclaimed two resources: no guess between them",
			[]sighting{sight(seenEvicted, "ev", byKubelet())},
			[]nodeFact{kubeletFact(parsers.KubeletReclaim, "n1", -30*time.Second, "memory"), kubeletFact(parsers.KubeletReclaim, "n1", -20*time.Second, "ephemeral-storage")},
			ruling{report.Unknown, "low", "eviction", ""}},
		{"another node's pressure says nothing of this node's eviction",
			[]sighting{sight(seenEvicted, "ev", byKubelet())}, []nodeFact{kubeletFact(parsers.KubeletReclaim, "n2", -30*time.Second, "memory")},
			ruling{report.Unknown, "low", "eviction", ""}},
		{"a pressure episode long before the eviction is not its episode",
			[]sighting{sight(seenEvicted, "ev", byKubelet())}, []nodeFact{kubeletFact(parsers.KubeletReclaim, "n1", -time.Hour, "memory")},
			ruling{report.Unknown, "low", "eviction", ""}},
		{"a timeless eviction line takes the one resource its own paste reclaimed",
			[]sighting{sight(seenEvicted, "ev", byKubelet(), timeless(), input("paste"))}, []nodeFact{reclaimIn("paste", "memory")},
			ruling{report.KubeletEviction, "high", "", "memory"}},
		{"another paste's timeless reclaim line is not this eviction's",
			[]sighting{sight(seenEvicted, "ev", byKubelet(), timeless(), input("paste"))}, []nodeFact{reclaimIn("other", "memory")},
			ruling{report.Unknown, "low", "eviction", ""}},
		{"the node short of ephemeral-storage, said by the kubelet: not memory, sure",
			[]sighting{sight(seenEvicted, "ev", byKubelet(), evict("ephemeral-storage", parsers.EvictionScopeNode))}, nil,
			ruling{report.NotMemory, "high", "eviction", "ephemeral-storage"}},
		{"the node short of ephemeral-storage, only from an Event: not memory, less sure",
			[]sighting{sight(seenEvicted, "ev", evict("ephemeral-storage", parsers.EvictionScopeNode))}, nil,
			ruling{report.NotMemory, "medium", "eviction", "ephemeral-storage"}},
		{"a container over its own storage limit is named by the kubelet's message even in an Event: sure",
			[]sighting{sight(seenEvicted, "ev", evict("ephemeral-storage", parsers.EvictionScopeContainer))}, nil,
			ruling{report.NotMemory, "high", "eviction", "ephemeral-storage"}},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			c := caseOf(tt.seen...)
			judgeEviction(c, sceneOf(tt.facts...))
			if diff := cmp.Diff(tt.want, verdictOf(c.d)); diff != "" {
				t.Errorf("%s: verdict (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

// TestJudgeOOM: an OOM kill with no kernel report in the inputs is put on the container's
// limit or the node from what else is known: a node-wide OOM near it, a CgroupOOM Event, the
// container's limit.
func TestJudgeOOM(t *testing.T) {
	withEvents := func(sc *scene) *scene { sc.events = true; return sc }
	withKubelet := func(sc *scene) *scene { sc.kubeletOn["n1"] = true; return sc }
	oom := sight(seenRuntimeOOM, "oom", cid("c1"))
	tests := []struct {
		reason string
		seen   []sighting
		sc     *scene
		want   ruling
		victim int // the PID the death names, 0 for none
	}{
		{"OOMKilled with a limit, only pod status: its own limit, weakly", []sighting{status("st", oomKilled("512Mi"))}, sceneOf(), ruling{report.CgroupOOM, "low", "", ""}, 0},
		{"the runtime saw the OOM too, and Events are in the inputs: a node OOM would have shown",
			[]sighting{status("st", oomKilled("512Mi")), oom}, withEvents(sceneOf()), ruling{report.CgroupOOM, "medium", "", ""}, 0},
		{"the runtime saw the OOM too, and the node's kubelet log is in the inputs",
			[]sighting{status("st", oomKilled("512Mi")), oom}, withKubelet(sceneOf()), ruling{report.CgroupOOM, "medium", "", ""}, 0},
		{"the runtime saw it, but nothing that would show a node OOM is in the inputs",
			[]sighting{status("st", oomKilled("512Mi")), oom}, sceneOf(), ruling{report.CgroupOOM, "low", "", ""}, 0},
		{"OOMKilled with no limit of its own: its cgroup could not OOM, the node did",
			[]sighting{status("st", oomKilled(""))}, sceneOf(), ruling{report.KernelOOM, "low", "", ""}, 0},
		{"OOMKilled but the status does not show the spec: the limit is unknown, so is whose",
			[]sighting{status("st", statusDeath{reason: "OOMKilled", exitCode: 137, limitUnknown: true})}, sceneOf(), ruling{report.Unknown, "low", "", ""}, 0},
		{"only the runtime's OOM event: whose limit is not known", []sighting{oom}, sceneOf(), ruling{report.Unknown, "low", "", ""}, 0},
		{"the OOM watcher's node-wide OOM on the node at the time outweighs the limit",
			[]sighting{status("st", oomKilled("512Mi"))}, sceneOf(kubeletFact(parsers.KubeletSystemOOM, "n1", 10*time.Second, "")), ruling{report.KernelOOM, "medium", "", ""}, 0},
		{"a SystemOOM Event on the node at the time: node-wide",
			[]sighting{status("st", oomKilled(""))}, sceneOf(eventFact("SystemOOM", "n1", -10*time.Second)), ruling{report.KernelOOM, "medium", "", ""}, 0},
		{"a node-wide OOM outside the window is another episode: the limit stands",
			[]sighting{status("st", oomKilled("512Mi"))}, sceneOf(eventFact("SystemOOM", "n1", -10*time.Minute)), ruling{report.CgroupOOM, "low", "", ""}, 0},
		{"a node-wide OOM on another node says nothing of this one",
			[]sighting{status("st", oomKilled("512Mi"))}, sceneOf(kubeletFact(parsers.KubeletSystemOOM, "n2", 0, "")), ruling{report.CgroupOOM, "low", "", ""}, 0},
		{"a CgroupOOM Event: the kill was inside a memory cgroup, and it names the victim",
			[]sighting{sight(seenRuntimeOOM, "ev", memcg(&parsers.OOMVictim{Comm: "java", PID: 4242}))}, sceneOf(), ruling{report.CgroupOOM, "medium", "", ""}, 4242},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			c := caseOf(tt.seen...)
			judgeOOM(c, tt.sc, latestStatus(c))
			if diff := cmp.Diff(tt.want, verdictOf(c.d)); diff != "" {
				t.Errorf("%s: verdict (-want +got):\n%s", tt.reason, diff)
			}
			got := 0
			if c.d.Victim != nil {
				got = c.d.Victim.PID
			}
			if got != tt.victim {
				t.Errorf("%s: victim PID %d, want %d", tt.reason, got, tt.victim)
			}
		})
	}
}

// TestNodeOOMNear: which node-wide OOM counts as near a death: the same node, within the
// window, and only the OOM watcher's or a SystemOOM Event, not other pressure.
func TestNodeOOMNear(t *testing.T) {
	sys := func(node string, off time.Duration) nodeFact {
		return kubeletFact(parsers.KubeletSystemOOM, node, off, "")
	}
	tests := []struct {
		reason string
		facts  []nodeFact
		node   string
		when   time.Time
		want   bool
	}{
		{"the OOM watcher's line on the node, in the window", []nodeFact{sys("n1", 30*time.Second)}, "n1", t0, true},
		{"a SystemOOM Event on the node, in the window", []nodeFact{eventFact("SystemOOM", "n1", -30*time.Second)}, "n1", t0, true},
		{"another node's OOM", []nodeFact{sys("n2", 0)}, "n1", t0, false},
		{"the same node, outside the window", []nodeFact{sys("n1", win+time.Second)}, "n1", t0, false},
		{"exactly at the window's edge still counts", []nodeFact{sys("n1", -win)}, "n1", t0, true},
		{"the death's time is unknown: an OOM on its node cannot be ruled out", []nodeFact{sys("n1", time.Hour)}, "n1", time.Time{}, true},
		{"the OOM's time is unknown: it cannot be ruled out", []nodeFact{{node: "n1", kubelet: &parsers.KubeletLine{Kind: parsers.KubeletSystemOOM}}}, "n1", t0, true},
		{"the kernel's short host name is the kubelet's FQDN node", []nodeFact{sys("n1.example.com", 0)}, "N1", t0, true},
		{"an eviction-manager line is pressure, not a node OOM", []nodeFact{kubeletFact(parsers.KubeletReclaim, "n1", 0, "memory")}, "n1", t0, false},
		{"an EvictionThresholdMet Event is not a node OOM", []nodeFact{eventFact("EvictionThresholdMet", "n1", 0)}, "n1", t0, false},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			sc := sceneOf(tt.facts...)
			if got := nodeOOMNear(sc, tt.node, tt.when) != nil; got != tt.want {
				t.Errorf("%s: node OOM found %v, want %v", tt.reason, got, tt.want)
			}
		})
	}
}

// TestEvictionCause: what the kill message says was over, by the eviction's scope.
func TestEvictionCause(t *testing.T) {
	tests := []struct {
		reason string
		ev     report.Eviction
		want   string
	}{
		{"the node was low on the resource", report.Eviction{Resource: "pid", Scope: parsers.EvictionScopeNode}, "pid (the node was low on it)"},
		{"no scope is the node's pressure too", report.Eviction{Resource: "nodefs"}, "nodefs (the node was low on it)"},
		{"the pod over its containers' storage limits together", report.Eviction{Resource: "ephemeral-storage", Scope: parsers.EvictionScopePod, Limit: "2Gi"},
			"ephemeral-storage: the pod used more local storage than its containers' limits together (2Gi)"},
		{"a container over its own limit, named by the offenders",
			report.Eviction{Resource: "ephemeral-storage", Scope: parsers.EvictionScopeContainer, Limit: "1Gi", Usage: []report.Usage{{Container: "app"}}},
			"ephemeral-storage: container app exceeded its local storage limit 1Gi"},
		{"a container over its own limit, no offender named", report.Eviction{Resource: "ephemeral-storage", Scope: parsers.EvictionScopeContainer, Limit: "1Gi"},
			"ephemeral-storage: a container exceeded its local storage limit 1Gi"},
		{"an emptyDir over its sizeLimit", report.Eviction{Resource: "ephemeral-storage", Scope: parsers.EvictionScopeEmptyDir, Volume: "cache", Limit: "500Mi"},
			"ephemeral-storage: emptyDir volume cache exceeded its sizeLimit 500Mi"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, evictionCause(&tt.ev)); diff != "" {
				t.Errorf("%s: cause (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

// TestProbeKill: when a failed probe explains a kill, and what the kill then says.
func TestProbeKill(t *testing.T) {
	component := func(c string) opt { return func(s *sighting) { s.component = c } }
	tests := []struct {
		reason string
		seen   []sighting
		want   *report.Kill
	}{
		{"the kubelet's Killing names the liveness probe", []sighting{sight(seenKilling, "k", msg(livenessKilling))},
			&report.Kill{Reason: "liveness-probe", Message: livenessKilling, By: "kubelet"}},
		{"the kubelet's Killing names the startup probe", []sighting{sight(seenKilling, "k", msg(startupKilling))},
			&report.Kill{Reason: "startup-probe", Message: startupKilling, By: "kubelet"}},
		{"an ordinary stop names no probe", []sighting{sight(seenKilling, "k", msg("Stopping container app"))}, nil},
		{"a liveness failure, its output on one line, by its reporter",
			[]sighting{sight(seenProbe, "p", probeOf("Liveness"), msg("Liveness probe failed:\n  HTTP 503"), component("kubelet-events"))},
			&report.Kill{Reason: "liveness-probe", Message: "Liveness probe failed: HTTP 503", By: "kubelet-events"}},
		{"a startup failure with no output still says which probe", []sighting{sight(seenProbe, "p", probeOf("Startup"))},
			&report.Kill{Reason: "startup-probe", Message: "Startup probe failed", By: "kubelet"}},
		{"an ordinary stop after a probe failure: the probe explains it",
			[]sighting{sight(seenKilling, "k", msg("Stopping container app")), sight(seenProbe, "p", probeOf("Liveness"), at(-10*time.Second))},
			&report.Kill{Reason: "liveness-probe", Message: "Liveness probe failed", By: "kubelet"}},
		{"the kubelet's word beats the probe's own line",
			[]sighting{sight(seenProbe, "p", probeOf("Startup"), at(-10*time.Second)), sight(seenKilling, "k", msg(livenessKilling))},
			&report.Kill{Reason: "liveness-probe", Message: livenessKilling, By: "kubelet"}},
		{"no probe, no kill: nothing", []sighting{status("st", sigkilled())}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, probeKill(caseOf(tt.seen...))); diff != "" {
				t.Errorf("%s: kill (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

// TestRoundGap: a clock disagreement is shown as a size, to the second.
func TestRoundGap(t *testing.T) {
	tests := []struct {
		reason string
		gap    time.Duration
		want   time.Duration
	}{
		{"node logs behind the API: the size, not the sign", -3 * time.Hour, 3 * time.Hour},
		{"sub-second noise is not shown", 2*time.Minute + 29*time.Second + 400*time.Millisecond, 2*time.Minute + 29*time.Second},
		{"half a second and more rounds up", -(90*time.Second + 600*time.Millisecond), 91 * time.Second},
		{"no gap", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			if got := roundGap(tt.gap); got != tt.want {
				t.Errorf("%s: roundGap(%s) = %s, want %s", tt.reason, tt.gap, got, tt.want)
			}
		})
	}
}

// TestBetterMoment: which of two sightings dates a death: the closer kind of witness, then the
// earlier; a probe failure only when nothing else is there.
func TestBetterMoment(t *testing.T) {
	s := func(kind sightKind, tag string, off time.Duration) *sighting {
		v := sight(kind, tag, at(off))
		return &v
	}
	tests := []struct {
		reason  string
		best, s *sighting
		want    string // the tag of the sighting kept
	}{
		{"the first sighting is the best so far", nil, s(seenTerminated, "st", 0), "st"},
		{"the runtime's exit dates a death closer than pod status, even later", s(seenTerminated, "st", 0), s(seenExit, "exit", time.Second), "exit"},
		{"pod status does not displace the runtime's OOM event", s(seenRuntimeOOM, "oom", time.Second), s(seenTerminated, "st", 0), "oom"},
		{"a probe failure is lead-up, not the death's time", s(seenKilling, "kill", 0), s(seenProbe, "probe", -time.Minute), "kill"},
		{"any witness of the death displaces a probe failure", s(seenProbe, "probe", -time.Minute), s(seenEvicted, "ev", 0), "ev"},
		{"of one kind, the earlier", s(seenTerminated, "late", time.Second), s(seenTerminated, "early", 0), "early"},
		{"of one kind, a later one does not displace", s(seenTerminated, "early", 0), s(seenTerminated, "late", time.Second), "early"},
		{"two probe failures: the earlier", s(seenProbe, "p2", 0), s(seenProbe, "p1", -time.Minute), "p1"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			if got := betterMoment(tt.best, tt.s).ev.Text; got != tt.want {
				t.Errorf("%s: kept %q, want %q", tt.reason, got, tt.want)
			}
		})
	}
}
