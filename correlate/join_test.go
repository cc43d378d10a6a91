package correlate

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// kernelDeath is a death from a kernel report, of the container with the ID (full, or a
// prefix when prefix is set), with its evidence tagged.
func kernelDeath(tag, id string, prefix bool, off time.Duration) report.Death {
	t := t0.Add(off)
	d := report.Death{Node: "n1", Time: &t, Kernel: &report.Kernel{}, Evidence: []report.Evidence{{Input: "dmesg", Text: tag}}}
	if prefix {
		d.ContainerIDPrefix = id
	} else {
		d.ContainerID = id
	}
	return d
}

// TestAssemble: which sightings become one case, one per container instance, and which make
// a case on their own.
func TestAssemble(t *testing.T) {
	tests := []struct {
		reason string
		kernel []report.Death
		seen   []sighting
		want   []string // each case's sighting tags (see casesOf)
	}{
		{"a shared container ID joins pod status to the kernel's death, whatever the times say",
			[]report.Death{kernelDeath("k", "c1", false, 0)}, []sighting{status("st", oomKilled("512Mi"), cid("c1"), at(3*time.Hour))}, []string{"K:st"}},
		{"conmon's 20-character ID is the start of the kernel death's full ID",
			[]report.Death{kernelDeath("k", "c1aaaaaaaa", false, 0)}, []sighting{sight(seenRuntimeOOM, "oom", cidPrefix("c1aaa"))}, []string{"K:oom"}},
		{"pod status and the runtime's OOM of one ID are one death",
			nil, []sighting{status("st", oomKilled("512Mi"), cid("c1")), sight(seenRuntimeOOM, "oom", cid("c1"), at(time.Second))}, []string{"oom+st"}},
		{"a restarted container has a new ID: its OOM joins the instance it belongs to",
			nil, []sighting{status("st1", oomKilled("512Mi"), cid("c1"), at(-10*time.Minute)), status("st2", oomKilled("512Mi"), cid("c2")),
				sight(seenRuntimeOOM, "oom2", cid("c2"), at(time.Second))}, []string{"oom2+st2", "st1"}},
		{"without IDs, the kubelet's kill of the pod's container within the window joins",
			nil, []sighting{status("st", sigkilled()), sight(seenKilling, "kill", msg("Stopping container app"), at(-30*time.Second))}, []string{"kill+st"}},
		{"the same kill outside the window is another death's: it joins nothing and makes nothing",
			nil, []sighting{status("st", sigkilled()), sight(seenKilling, "kill", msg("Stopping container app"), at(-10*time.Minute))}, []string{"st"}},
		{"an eviction is about every container of the pod",
			nil, []sighting{status("app", evictedStatus()), status("side", evictedStatus(), ctr("sidecar")), sight(seenEvicted, "ev", byKubelet())},
			[]string{"app+ev", "ev+side"}},
		{"an eviction nothing else saw is a death of its own",
			nil, []sighting{sight(seenEvicted, "ev", byKubelet())}, []string{"ev"}},
		{"a SIGKILL the runtime saw is a death to explain, even alone",
			nil, []sighting{sight(seenExit, "exit", cid("c1"), exit(137))}, []string{"exit"}},
		{"an ordinary exit, alone, is no death to explain",
			nil, []sighting{sight(seenExit, "exit", cid("c1"), exit(0)), sight(seenDied, "died", exit(1))}, []string{}},
		{"the kubelet's kill for a failed liveness probe is a death of its own",
			nil, []sighting{sight(seenKilling, "kill", msg(livenessKilling))}, []string{"kill"}},
		{"a probe failure and the kubelet's plain kill after it, nothing else: a probe-kill case",
			nil, []sighting{sight(seenProbe, "probe", probeOf("Liveness"), at(-20*time.Second)), sight(seenKilling, "kill", msg("Stopping container app"))},
			[]string{"kill+probe"}},
		{"the same pod name in another namespace is another pod",
			nil, []sighting{status("st", oomKilled("512Mi")), sight(seenKilling, "kill", ns("other"), msg(livenessKilling))}, []string{"kill", "st"}},
		{"a container that died twice without IDs: the sighting joins the nearer death",
			nil, []sighting{status("st1", sigkilled(), at(-10*time.Minute)), status("st2", sigkilled()), sight(seenKilling, "kill", msg("Stopping container app"), at(-9*time.Minute))},
			[]string{"kill+st1", "st2"}},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			got := casesOf(assemble(tt.kernel, tt.seen, win))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s: cases (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

// TestBestContainer: the case of a container-level sighting: by ID when both have one, by
// ID prefix for conmon, else by pod, container name and node, the nearest in time.
func TestBestContainer(t *testing.T) {
	kc := func(id string, prefix bool) *caseFile { return &caseFile{d: kernelDeath("k", id, prefix, 0)} }
	tests := []struct {
		reason string
		cases  []*caseFile
		s      sighting
		want   int // the index of the case it joins, -1 for none
	}{
		{"one full ID on both sides joins across hours", []*caseFile{caseOf(status("st", sigkilled(), cid("c1")))}, sight(seenExit, "exit", cid("c1"), at(3*time.Hour)), 0},
		{"different IDs are different instances, even of the same pod, name and time",
			[]*caseFile{caseOf(status("st", sigkilled(), cid("c1")))}, sight(seenExit, "exit", cid("c2")), -1},
		{"a prefix that starts the case's full ID", []*caseFile{kc("c1aaaaaa", false)}, sight(seenRuntimeOOM, "oom", cidPrefix("c1aa")), 0},
		{"a prefix that does not start the case's full ID", []*caseFile{kc("c1aaaaaa", false)}, sight(seenRuntimeOOM, "oom", cidPrefix("c2aa")), -1},
		{"conmon's two OOM lines of one container: prefix against prefix, either way",
			[]*caseFile{kc("c1aaaa", true)}, sight(seenRuntimeOOM, "oom", cidPrefix("c1aaaaaaaa")), 0},
		{"a full ID that begins like another container's is not it", []*caseFile{kc("c1aa", false)}, sight(seenExit, "exit", cid("c1aaaa")), -1},
		{"no ID in the case: the pod, container name and time decide",
			[]*caseFile{caseOf(status("st", sigkilled()))}, sight(seenExit, "exit", cid("c1"), at(30*time.Second)), 0},
		{"the pod and name agree but the time is outside the window",
			[]*caseFile{caseOf(status("st", sigkilled()))}, sight(seenKilling, "kill", at(-5*time.Minute)), -1},
		{"another container of the same pod", []*caseFile{caseOf(status("st", sigkilled()))}, sight(seenKilling, "kill", ctr("sidecar")), -1},
		{"a sighting that names no container can be any of the pod's", []*caseFile{caseOf(status("st", sigkilled()))}, sight(seenKilling, "kill", ctr("")), 0},
		{"the same pod name on another node", []*caseFile{caseOf(status("st", sigkilled()))}, sight(seenKilling, "kill", on("n2")), -1},
		{"a recreated pod keeps its name but not its UID", []*caseFile{caseOf(status("st", sigkilled(), uid("u1")))}, sight(seenKilling, "kill", uid("u2")), -1},
		{"a pasted line without the namespace: the name decides", []*caseFile{caseOf(status("st", sigkilled()))}, sight(seenKilling, "kill", ns("")), 0},
		{"a restarting container: the nearer of two deaths",
			[]*caseFile{caseOf(status("st1", sigkilled(), at(-time.Minute))), caseOf(status("st2", sigkilled(), at(time.Minute)))}, sight(seenKilling, "kill", at(50*time.Second)), 1},
		{"an ID no case has: the cases without an ID decide by pod and time, those of other IDs never",
			[]*caseFile{kc("c2", false), caseOf(status("st", sigkilled()))}, sight(seenExit, "exit", cid("c1"), at(30*time.Second)), 1},
		{"two cases of one ID (the container's kill and conmon's): the first",
			[]*caseFile{kc("c1", false), kc("c1", false)}, sight(seenExit, "exit", cid("c1")), 0},
		{"two deaths equally near: the first keeps it, the same on every run",
			[]*caseFile{caseOf(status("st1", sigkilled(), at(-time.Minute))), caseOf(status("st2", sigkilled(), at(time.Minute)))}, sight(seenKilling, "kill"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			got := -1
			if c := bestContainer(tt.cases, &tt.s, win); c != nil {
				for i := range tt.cases {
					if tt.cases[i] == c {
						got = i
					}
				}
			}
			if got != tt.want {
				t.Errorf("%s: joined case %d, want %d", tt.reason, got, tt.want)
			}
			// the index assemble uses finds the same case
			idx := caseIndex{byID: map[string]*caseFile{}}
			for _, c := range tt.cases {
				idx.add(c)
			}
			want := bestContainer(tt.cases, &tt.s, win)
			if c := idx.best(tt.cases, &tt.s, win); c != want {
				t.Errorf("%s: the case index finds another case than the scan", tt.reason)
			}
		})
	}
}

// TestSamePod: whether a pod-level sighting (an eviction, a preemption) is about the case's
// pod.
func TestSamePod(t *testing.T) {
	preempting := func() statusDeath { st := sigkilled(); st.podReason = "Preempting"; return st }
	ev := func(opts ...opt) sighting { return sight(seenEvicted, "ev", opts...) }
	tests := []struct {
		reason string
		c      *caseFile
		s      sighting
		want   bool
	}{
		{"the same pod UID joins whatever the times", caseOf(status("st", sigkilled(), uid("u1"))), ev(uid("u1"), at(5*time.Hour)), true},
		{"another UID is another pod, though the name agrees", caseOf(status("st", sigkilled(), uid("u1"))), ev(uid("u2")), false},
		{"namespace and name, in the window", caseOf(status("st", sigkilled())), ev(at(time.Minute)), true},
		{"namespace and name, outside the window", caseOf(status("st", sigkilled())), ev(at(10 * time.Minute)), false},
		{"pod status says Evicted: a pod is evicted once, so a node log in local time still joins",
			caseOf(status("st", evictedStatus())), ev(at(-5 * time.Hour)), true},
		{"pod status says Preempting: likewise", caseOf(status("st", preempting())), sight(seenPreempted, "pre", at(2*time.Hour)), true},
		{"pod status says Evicted, but on another node", caseOf(status("st", evictedStatus())), ev(on("n2")), false},
		{"a message that does not show the namespace: the name decides", caseOf(status("st", sigkilled())), ev(ns("")), true},
		{"another namespace", caseOf(status("st", sigkilled())), ev(ns("other")), false},
		{"the eviction's time unknown: it cannot be ruled out", caseOf(status("st", sigkilled())), ev(timeless()), true},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			if got := samePod(tt.c, &tt.s, win); got != tt.want {
				t.Errorf("%s: samePod = %v, want %v", tt.reason, got, tt.want)
			}
		})
	}
}

// TestSameID: container IDs are compared whole, or as a prefix when the sighting carries only
// conmon's start of it.
func TestSameID(t *testing.T) {
	tests := []struct {
		reason string
		a, b   string
		prefix bool
		want   bool
	}{
		{"the same full ID", "abc123", "abc123", false, true},
		{"a full ID is not its own prefix's match unless marked a prefix", "abc123", "abc", false, false},
		{"a prefix starts the full ID", "abc123", "abc", true, true},
		{"a prefix that starts another ID", "abd123", "abc", true, false},
		{"a prefix longer than the ID cannot start it", "abc", "abc123", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			if got := sameID(tt.a, tt.b, tt.prefix); got != tt.want {
				t.Errorf("%s: sameID(%q, %q, %v) = %v, want %v", tt.reason, tt.a, tt.b, tt.prefix, got, tt.want)
			}
		})
	}
}

// TestTimeGap: how far a sighting lies from a case: a repeated event covers its span, and an
// unknown time matches at the window's edge.
func TestTimeGap(t *testing.T) {
	atCase := caseOf(status("st", sigkilled()))
	tests := []struct {
		reason string
		c      *caseFile
		s      sighting
		gap    time.Duration
		ok     bool
	}{
		{"the same moment", atCase, sight(seenKilling, "k"), 0, true},
		{"a sighting after the death", atCase, sight(seenKilling, "k", at(30*time.Second)), 30 * time.Second, true},
		{"a sighting before the death", atCase, sight(seenKilling, "k", at(-30*time.Second)), 30 * time.Second, true},
		{"exactly the window away still joins", atCase, sight(seenKilling, "k", at(-win)), win, true},
		{"beyond the window", atCase, sight(seenKilling, "k", at(win+time.Second)), win + time.Second, false},
		{"a repeated event whose span covers the death", atCase, sight(seenProbe, "p", spanFrom(-10*time.Minute), at(time.Minute)), 0, true},
		{"a repeated event that began after the death: the gap is to its first time",
			atCase, sight(seenProbe, "p", spanFrom(90*time.Second), at(10*time.Minute)), 90 * time.Second, true},
		{"a span that ended long before the death", atCase, sight(seenProbe, "p", spanFrom(-time.Hour), at(-10*time.Minute)), 10 * time.Minute, false},
		{"a first time after the last is ignored", atCase, sight(seenProbe, "p", spanFrom(time.Hour), at(time.Minute)), time.Minute, true},
		{"the sighting's time unknown: at the window's edge", atCase, sight(seenKilling, "k", timeless()), win, true},
		{"the case's time unknown: at the window's edge", caseOf(status("st", sigkilled(), timeless())), sight(seenKilling, "k"), win, true},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			gap, ok := timeGap(tt.c, &tt.s, win)
			if gap != tt.gap || ok != tt.ok {
				t.Errorf("%s: timeGap = %s, %v; want %s, %v", tt.reason, gap, ok, tt.gap, tt.ok)
			}
		})
	}
}

// TestProbeKills: a failed liveness or startup probe that the kubelet's kill or the
// container's death followed, when nothing else made a case of it.
func TestProbeKills(t *testing.T) {
	probe := func(tag string, off time.Duration, opts ...opt) sighting {
		return sight(seenProbe, tag, append([]opt{probeOf("Liveness"), at(off)}, opts...)...)
	}
	kill := func(tag string, off time.Duration, opts ...opt) sighting {
		return sight(seenKilling, tag, append([]opt{msg("Stopping container app"), at(off)}, opts...)...)
	}
	tests := []struct {
		reason string
		left   []sighting
		want   []string
	}{
		{"a probe failure, then the kubelet's kill", []sighting{probe("p", 0), kill("k", 20*time.Second)}, []string{"k+p"}},
		{"a probe failure, then the PLEG's ContainerDied", []sighting{probe("p", 0), sight(seenDied, "d", at(20*time.Second))}, []string{"d+p"}},
		{"a kill before the probe failed is not for it", []sighting{probe("p", 0), kill("k", -20*time.Second)}, []string{}},
		{"a kill beyond the window is not for it", []sighting{probe("p", 0), kill("k", win+time.Second)}, []string{}},
		{"a kill of another container", []sighting{probe("p", 0), kill("k", 20*time.Second, ctr("sidecar"))}, []string{}},
		{"a kill on another node", []sighting{probe("p", 0), kill("k", 20*time.Second, on("n2"))}, []string{}},
		{"a probe failure alone kills nothing", []sighting{probe("p", 0)}, []string{}},
		{"a back-off is not a kill", []sighting{probe("p", 0), sight(seenBackOff, "b", at(20*time.Second))}, []string{}},
		{"repeated failures of one probe join the one kill they led to",
			[]sighting{probe("p1", 0), probe("p2", 10*time.Second), kill("k", 20*time.Second)}, []string{"k+p1+p2"}},
		{"a kill is one death: a second container's probe does not claim it again",
			[]sighting{probe("app", 0), probe("side", 5*time.Second, ctr("sidecar")), kill("k", 20*time.Second, ctr(""))}, []string{"app+k"}},
		{"two kills an hour apart are two deaths",
			[]sighting{probe("p1", 0), kill("k1", 20*time.Second), probe("p2", time.Hour), kill("k2", time.Hour+20*time.Second)}, []string{"k1+p1", "k2+p2"}},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			got := casesOf(probeKills(tt.left, win))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s: cases (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

// TestJoinedProbe: a further failure of a probe joins the probe-kill case of its container
// whose time it falls near; the case's first sighting (its probe) names the container.
func TestJoinedProbe(t *testing.T) {
	probeCase := func(opts ...opt) *caseFile {
		return caseOf(sight(seenProbe, "p", append([]opt{probeOf("Liveness")}, opts...)...), sight(seenKilling, "k", at(20*time.Second)))
	}
	probe := func(opts ...opt) sighting {
		return sight(seenProbe, "p2", append([]opt{probeOf("Liveness")}, opts...)...)
	}
	tests := []struct {
		reason string
		cases  []*caseFile
		p      sighting
		want   int // the index of the case joined, -1 for none
	}{
		{"another failure of the same probe near the kill", []*caseFile{probeCase()}, probe(at(10 * time.Second)), 0},
		{"a failure long after the kill is the next instance's", []*caseFile{probeCase()}, probe(at(time.Hour)), -1},
		{"another container's probe", []*caseFile{probeCase()}, probe(at(10*time.Second), ctr("sidecar")), -1},
		{"the same container on another node is another pod's", []*caseFile{probeCase()}, probe(at(10*time.Second), on("n2")), -1},
		{"IDs on both sides decide: the same ID", []*caseFile{probeCase(cid("c1"))}, probe(at(10*time.Second), cid("c1")), 0},
		{"IDs on both sides decide: a restarted instance's ID", []*caseFile{probeCase(cid("c1"))}, probe(at(10*time.Second), cid("c2")), -1},
		{"the second of two cases, the one the time falls near",
			[]*caseFile{probeCase(), caseOf(sight(seenProbe, "q", probeOf("Liveness"), at(time.Hour)), sight(seenKilling, "k2", at(time.Hour+20*time.Second)))},
			probe(at(time.Hour + 10*time.Second)), 1},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			got := -1
			if c := joinedProbe(tt.cases, &tt.p, win); c != nil {
				for i := range tt.cases {
					if tt.cases[i] == c {
						got = i
					}
				}
			}
			if got != tt.want {
				t.Errorf("%s: joined case %d, want %d", tt.reason, got, tt.want)
			}
		})
	}
}
