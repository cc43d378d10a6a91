package parsers

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// kubeletTriggers are words of which one is in every kubelet line the kubelet parser reads.
// "viction manager" matches both the printf ("eviction manager:") and the structured
// ("Eviction manager:") eras.
var kubeletTriggers = []string{
	"viction manager",
	"Evicting pod",
	"Killing container",
	// Only liveness and startup probes kill; readiness failures (a busy kubelet logs many) are
	// left to the prefilter.
	`probeType="Liveness"`,
	`probeType="Startup"`,
	`"probeType":"Liveness"`,
	`"probeType":"Startup"`,
	"Liveness probe for",
	"Startup probe for",
	"ContainerDied",
	"(PLEG): container finished",
	"sys oom event",
	"Preempting pod",
	"Shutdown manager killing pod",
	"Container Manager object",
	"to admit pod",
	"Event occurred",
	"Event(v1.ObjectReference",
}

// kubeletParser reads kubelet lines: from journalctl -u kubelet, /var/log/messages, a kubelet
// log file or --logging-format=json. Each line stands alone.
type kubeletParser struct {
	repeats repeats
}

func (*kubeletParser) Busy() bool  { return false }
func (p *kubeletParser) Flush(Out) { p.repeats = nil }

func (p *kubeletParser) Feed(m *Message, out Out) {
	if m.Program == "kernel" {
		return
	}
	k, ok := parseKlog(m.Text)
	if !ok {
		return
	}
	ev, w := kubeletEvent(m, &k)
	if l, ok := ev.(*KubeletLine); ok && w == nil && p.repeats.fold(l) {
		return
	}
	out.send(ev, w)
}

// kubeletEvent dispatches on the message; nil and nil when the line is none of ours.
func kubeletEvent(m *Message, k *klogLine) (Event, *Warning) {
	msg := k.Msg
	lower := strings.ToLower(msg)
	switch {
	case strings.HasPrefix(lower, "eviction manager:"):
		return evictionLine(m, k, strings.TrimSpace(msg[len("eviction manager:"):]))
	case msg == "Evicting pod":
		return kubeletLine(m, KubeletEvicting, func(l *KubeletLine) bool {
			l.Pod = kvPod(k.KV)
			l.Message = k.KV["message"]
			return l.Pod.Name != ""
		})
	case strings.HasPrefix(msg, "Failed to admit pod "):
		// printf: Failed to admit pod name_ns(uid) - node has conditions: [MemoryPressure]
		return kubeletLine(m, KubeletAdmitRejected, func(l *KubeletLine) bool {
			l.Pod, l.Message = kvPod(k.KV), k.KV["nodeCondition"]
			if !k.Structured {
				l.Pod = printfPod(between(msg, "Failed to admit pod ", " - "))
				l.Message = between(msg+"$", "conditions: ", "$")
			}
			l.ConditionResources = conditionResources(l.Message)
			return l.Pod.Name != "" && l.Message != ""
		})
	case strings.HasPrefix(msg, "Killing container"), strings.HasPrefix(msg, "Killing unwanted container"):
		return killingLine(m, k)
	case msg == "Probe failed" || strings.Contains(msg, " probe for "):
		return probeLine(m, k)
	case strings.HasPrefix(msg, "SyncLoop (PLEG)"):
		return plegLine(m, k)
	case strings.HasPrefix(msg, "Generic (PLEG): container finished"):
		return plegFinishedLine(m, k)
	case strings.HasPrefix(msg, "Got sys oom event"):
		return sysOOMLine(m, k)
	case strings.HasPrefix(msg, "Preempting pod"):
		return kubeletLine(m, KubeletPreempting, func(l *KubeletLine) bool {
			l.Pod, l.Message = kvPod(k.KV), k.KV["insufficientResources"]
			if !k.Structured {
				l.Pod = printfPod(between(msg, "Preempting pod ", " to free"))
			}
			return l.Pod.Name != ""
		})
	case strings.HasPrefix(msg, "Shutdown manager killing pod"):
		return shutdownLine(m, k)
	case strings.HasPrefix(msg, "Creating Container Manager object based on Node Config"):
		return thresholdsLine(m, k)
	case msg == "Event occurred" || strings.HasPrefix(msg, "Event(v1.ObjectReference{"):
		return eventLine(m, k)
	}
	return nil, nil
}

// kubeletLine builds a line of the given kind; fill reads the fields and says whether the
// line was fully understood. A line that was not is a Warning, never evidence.
func kubeletLine(m *Message, kind string, fill func(*KubeletLine) bool) (Event, *Warning) {
	l := &KubeletLine{Kind: kind, Host: m.Host, Evidence: m.Evidence(KubeletRole(kind))}
	if !fill(l) {
		return nil, &Warning{Line: m.Line, Message: "kubelet " + kind + " line not understood, skipped"}
	}
	return l, nil
}

// evictionLine reads one eviction-manager line of either era (docs/formats.md §5.3).
func evictionLine(m *Message, k *klogLine, rest string) (Event, *Warning) {
	lower := strings.ToLower(rest)
	resource := func(prefix string) string {
		if r := k.KV["resourceName"]; r != "" {
			return r
		}
		f := strings.Fields(rest[len(prefix):])
		if len(f) == 0 { // "attempting to reclaim" with no resource after it (FuzzKubelet)
			return ""
		}
		return strings.TrimSuffix(f[0], ".")
	}
	switch {
	case strings.HasPrefix(lower, "attempting to reclaim"):
		return kubeletLine(m, KubeletReclaim, func(l *KubeletLine) bool {
			l.Resource = resource("attempting to reclaim")
			return l.Resource != ""
		})
	case strings.HasPrefix(lower, "must evict pod(s) to reclaim"):
		return kubeletLine(m, KubeletMustEvict, func(l *KubeletLine) bool {
			l.Resource = resource("must evict pod(s) to reclaim")
			return l.Resource != ""
		})
	case strings.HasPrefix(lower, "able to reduce"):
		return kubeletLine(m, KubeletReclaimedNoPod, func(l *KubeletLine) bool {
			l.Resource = k.KV["resourceName"]
			if l.Resource == "" {
				l.Resource = between(rest, "able to reduce ", " pressure")
			}
			return l.Resource != ""
		})
	case strings.HasPrefix(lower, "pods ranked for eviction"):
		return kubeletLine(m, KubeletRanked, func(l *KubeletLine) bool {
			l.Pods = podList(k, rest, "pods ranked for eviction:")
			return len(l.Pods) > 0
		})
	case strings.HasPrefix(lower, "pod is evicted successfully"),
		strings.HasPrefix(lower, "pod ") && strings.HasSuffix(lower, " evicted successfully"):
		// 1.4–1.6 "pod %s evicted successfully", later "pod %s is evicted successfully"
		return kubeletLine(m, KubeletEvicted, func(l *KubeletLine) bool {
			name := strings.TrimSuffix(strings.TrimSuffix(rest, " evicted successfully"), " is")
			l.Pod = onePod(k, strings.TrimPrefix(name, "pod "))
			return l.Pod.Name != ""
		})
	case strings.HasPrefix(lower, "pods evicted, waiting for pod"),
		strings.HasPrefix(lower, "pods ") && strings.Contains(lower, " evicted, waiting for pod"):
		// printf "pods %s evicted, waiting for pod to be cleaned up", structured with pods=[…]:
		// the eviction of every pod it names.
		return kubeletLine(m, KubeletEvicted, func(l *KubeletLine) bool {
			l.Pods = podList(k, between(rest, "pods ", " evicted, waiting"), "")
			if !k.Structured {
				l.Pods = parsePodList(between(rest, "pods ", " evicted, waiting"))
			}
			if len(l.Pods) > 0 {
				l.Pod = l.Pods[0]
			}
			return len(l.Pods) > 0
		})
	case strings.HasPrefix(lower, "pod failed to evict"),
		strings.HasPrefix(lower, "pod ") && strings.Contains(lower, " failed to evict"):
		return kubeletLine(m, KubeletEvictFailed, func(l *KubeletLine) bool {
			l.Pod = onePod(k, between(rest, "pod ", " failed to evict"))
			l.Message = k.KV["err"]
			return l.Pod.Name != ""
		})
	case strings.HasPrefix(lower, "cannot evict a critical pod"), strings.HasPrefix(lower, "cannot evict a critical static pod"):
		return kubeletLine(m, KubeletCriticalPod, func(l *KubeletLine) bool {
			name := strings.TrimPrefix(strings.TrimPrefix(rest[len("cannot evict a critical "):], "static "), "pod")
			l.Pod = onePod(k, strings.TrimSpace(name))
			return l.Pod.Name != ""
		})
	case strings.HasPrefix(lower, "eviction thresholds have been met, but no pods are active"):
		return kubeletLine(m, KubeletNoPodsToEvict, func(*KubeletLine) bool { return true })
	case strings.HasPrefix(lower, "unable to evict any pods"):
		return kubeletLine(m, KubeletUnableToEvict, func(*KubeletLine) bool { return true })
	case strings.HasPrefix(lower, "pods successfully cleaned up"),
		strings.HasPrefix(lower, "pods ") && strings.HasSuffix(lower, " successfully cleaned up"),
		strings.HasPrefix(lower, "timed out waiting for pods"):
		return kubeletLine(m, KubeletCleanedUp, func(l *KubeletLine) bool {
			l.Pods = podList(k, between(rest, "pods ", " "), "")
			if !k.Structured {
				l.Pods = parsePodList(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(rest, "timed out waiting for "), "pods "),
					" successfully cleaned up"))
			}
			return true
		})
	}
	return nil, nil
}

// podList reads the pods of a structured line's "pods" value, or of a printf line after
// prefix.
func podList(k *klogLine, rest, prefix string) []PodRef {
	if v, ok := k.KV["pods"]; ok {
		return parsePodList(v)
	}
	if prefix != "" && len(rest) >= len(prefix) {
		return parsePodList(rest[len(prefix):])
	}
	return nil
}

func parsePodList(v string) []PodRef {
	// format.Pods joins "name_ns(uid)" with ", "; a UID never holds a comma or a space.
	var out []PodRef
	if v = strings.TrimSpace(v); strings.HasPrefix(v, "[{") { // --logging-format=json: KObjSlice as objects
		var refs []struct{ Name, Namespace, UID string }
		if json.Unmarshal([]byte(v), &refs) == nil {
			for _, r := range refs {
				if r.Name != "" {
					out = append(out, PodRef{Namespace: r.Namespace, Name: r.Name, UID: r.UID})
				}
			}
		}
		return out
	}
	for _, f := range listValue(strings.TrimSuffix(strings.TrimSpace(v), " to be cleaned up")) {
		if p := anyPod(f); p.Name != "" {
			out = append(out, p)
		}
	}
	return out
}

// onePod reads the pod of a line: the "pod" key of a structured line, else printf text.
func onePod(k *klogLine, printf string) PodRef {
	if k.Structured {
		return kvPod(k.KV)
	}
	return anyPod(strings.Trim(printf, `"`))
}

// kvPod reads "pod"="ns/name" and "podUID".
func kvPod(kv map[string]string) PodRef {
	p := anyPod(kv["pod"])
	if uid := kv["podUID"]; uid != "" {
		p.UID = uid
	}
	return p
}

// anyPod reads "ns/name", "name_ns(uid)" or, from --logging-format=json, the object
// {"name":"web-0","namespace":"default"} (klog.KObj marshals to it).
func anyPod(s string) PodRef {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "{") {
		var ref struct{ Name, Namespace, UID string }
		if json.Unmarshal([]byte(s), &ref) != nil || ref.Name == "" {
			return PodRef{}
		}
		return validPod(PodRef{Namespace: ref.Namespace, Name: ref.Name, UID: ref.UID})
	}
	if p := printfPod(s); p.Name != "" {
		return p
	}
	ns, name, ok := strings.Cut(s, "/")
	if !ok || ns == "" || name == "" || strings.ContainsAny(s, " ()") {
		return PodRef{}
	}
	return validPod(PodRef{Namespace: ns, Name: name})
}

// printfPod reads format.Pod's "name_namespace(uid)". Pod names and namespaces are DNS
// labels or subdomains, so they hold no '_'.
func printfPod(s string) PodRef {
	s = strings.Trim(s, `"`)
	open := strings.IndexByte(s, '(')
	if open < 0 || !strings.HasSuffix(s, ")") {
		return PodRef{}
	}
	name, ns, ok := strings.Cut(s[:open], "_")
	if !ok || name == "" || ns == "" || strings.Contains(ns, "_") {
		return PodRef{}
	}
	return validPod(PodRef{Namespace: ns, Name: name, UID: s[open+1 : len(s)-1]})
}

// between returns the text of s between the first before and the following after; "" when
// either is missing.
func between(s, before, after string) string {
	i := strings.Index(s, before)
	if i < 0 {
		return ""
	}
	s = s[i+len(before):]
	j := strings.Index(s, after)
	if j < 0 {
		return ""
	}
	return s[:j]
}

// printf eras of the kill line, oldest first:
//
//	Killing container "<id> <container> <ns>/<pod>" with 30 second grace period (dockertools)
//	Killing container {"docker" "<id>"}, but using 0 second grace period override
//	Killing container "docker://<id>" with 30 second grace period
var (
	reKillingPrintf = regexp.MustCompile(`^Killing (?:unwanted )?container (?:\{"([a-z-]+)" "([0-9a-f]{12,})"\}|"(?:([a-z-]+)://)?([0-9a-f]{12,})(?: ([^ "]+) ([^ "/]+)/([^ "]+))?")`)
	reGrace         = regexp.MustCompile(`(?:with|using) (\d+) second grace period`)
)

func killingLine(m *Message, k *klogLine) (Event, *Warning) {
	return kubeletLine(m, KubeletKilling, func(l *KubeletLine) bool {
		if k.Structured {
			l.Pod, l.Container = kvPod(k.KV), k.KV["containerName"]
			l.Runtime, l.ContainerID = splitContainerID(k.KV["containerID"])
			if g, err := strconv.ParseInt(k.KV["gracePeriod"], 10, 64); err == nil {
				l.GracePeriod = &g
			}
			return l.Pod.Name != "" && (l.Container != "" || l.ContainerID != "")
		}
		sm := reKillingPrintf.FindStringSubmatch(k.Msg)
		if sm == nil {
			return false
		}
		l.Runtime, l.ContainerID = sm[1]+sm[3], sm[2]+sm[4]
		if sm[5] != "" {
			l.Container, l.Pod = sm[5], PodRef{Namespace: sm[6], Name: sm[7]}
		}
		if g := reGrace.FindStringSubmatch(k.Msg); g != nil {
			n, _ := strconv.ParseInt(g[1], 10, 64)
			l.GracePeriod = &n
		}
		return true
	})
}

// splitContainerID splits kubelet's "<runtime>://<id>".
func splitContainerID(s string) (runtime, id string) {
	r, i, ok := strings.Cut(s, "://")
	if !ok {
		return "", s
	}
	return r, i
}

// printf era: Liveness probe for "name_ns(uid):container" failed (failure): output
var reProbePrintf = regexp.MustCompile(`^(Liveness|Readiness|Startup) probe for "([^"]+):([^":]+)" failed \(([^)]*)\): ?(.*)$`)

func probeLine(m *Message, k *klogLine) (Event, *Warning) {
	if !k.Structured && !reProbePrintf.MatchString(k.Msg) {
		return nil, nil // "probe for" also occurs in unrelated lines
	}
	ev, w := kubeletLine(m, KubeletProbeFailed, func(l *KubeletLine) bool {
		if k.Structured {
			l.Pod, l.Container, l.ProbeType = kvPod(k.KV), k.KV["containerName"], k.KV["probeType"]
			l.Message = k.KV["output"]
			if l.Message == "<" {
				l.Message = ""
			}
			return l.Pod.Name != "" && l.Container != "" && l.ProbeType != ""
		}
		sm := reProbePrintf.FindStringSubmatch(k.Msg)
		l.ProbeType, l.Pod, l.Container, l.Message = sm[1], printfPod(sm[2]), sm[3], sm[5]
		return l.Pod.Name != ""
	})
	// Only liveness and startup failures kill. A readiness failure is no evidence of a
	// death or of pressure, and the prefilter never passes one: taking those that arrive
	// while a report is open would make the result depend on how long reports stay open.
	if l, ok := ev.(*KubeletLine); ok && l.ProbeType != "Liveness" && l.ProbeType != "Startup" {
		return nil, nil
	}
	return ev, w
}

// PLEG events: structured `event=&{ID:<uid> Type:ContainerDied Data:<id>}`, printf
// `&pleg.PodLifecycleEvent{ID:"<uid>", Type:"ContainerDied", Data:"<id>"}`.
// Since 1.26 the event is printed as JSON: event={"ID":"<uid>","Type":"ContainerDied","Data":"<id>"}.
var rePLEG = regexp.MustCompile(`"?ID"?:\s*"?([0-9a-fA-F-]{8,})"?,?\s*"?Type"?:\s*"?ContainerDied"?,?\s*"?Data"?:\s*"?([0-9a-f]{12,})`)

// The generic PLEG's relist (1.27+) logs each exit with its code: "Generic (PLEG): container
// finished" podID="<uid>" containerID="<id>" exitCode=137.
func plegFinishedLine(m *Message, k *klogLine) (Event, *Warning) {
	return kubeletLine(m, KubeletContainerDied, func(l *KubeletLine) bool {
		l.Pod = kvPod(k.KV)
		if l.Pod.UID == "" {
			l.Pod.UID = k.KV["podID"]
		}
		l.Runtime, l.ContainerID = splitContainerID(k.KV["containerID"])
		if n, err := strconv.Atoi(k.KV["exitCode"]); err == nil {
			l.ExitCode = &n
		}
		// A paste may put placeholders where the IDs were ("<containerid...>").
		return isHexID(l.ContainerID) && (isUID(l.Pod.UID) || l.Pod.Name != "")
	})
}

func plegLine(m *Message, k *klogLine) (Event, *Warning) {
	if !strings.Contains(k.Msg+k.KV["event"], "ContainerDied") {
		return nil, nil
	}
	return kubeletLine(m, KubeletContainerDied, func(l *KubeletLine) bool {
		sm := rePLEG.FindStringSubmatch(k.Msg + " " + k.KV["event"])
		if sm == nil {
			return false
		}
		if k.Structured {
			l.Pod = kvPod(k.KV)
		} else {
			l.Pod = printfPod(between(k.Msg, `(PLEG): "`, `"`))
		}
		l.Pod.UID, l.ContainerID = sm[1], sm[2]
		return true
	})
}

// The OOM watcher's cadvisor OomInstance printed with %v: &{Pid:… ProcessName:… …}.
var reSysOOM = regexp.MustCompile(`Pid:(\d+) ProcessName:(\S*)`)

func sysOOMLine(m *Message, k *klogLine) (Event, *Warning) {
	return kubeletLine(m, KubeletSystemOOM, func(l *KubeletLine) bool {
		if sm := reSysOOM.FindStringSubmatch(k.Msg + " " + k.KV["event"]); sm != nil {
			l.VictimPID, _ = strconv.Atoi(sm[1])
			l.Victim = sm[2]
		}
		return true
	})
}

// printf era: Shutdown manager killing pod "name_ns(uid)" with gracePeriod: 30 seconds
func shutdownLine(m *Message, k *klogLine) (Event, *Warning) {
	return kubeletLine(m, KubeletShutdownKill, func(l *KubeletLine) bool {
		l.Pod = onePod(k, between(k.Msg, "killing pod ", " with"))
		g := k.KV["gracePeriod"]
		if !k.Structured {
			g = strings.TrimSuffix(strings.TrimSpace(between(k.Msg+"$", "gracePeriod: ", "$")), " seconds")
		}
		if n, err := strconv.ParseInt(g, 10, 64); err == nil {
			l.GracePeriod = &n
		}
		return l.Pod.Name != ""
	})
}

// The node config printed with %+v holds the hard eviction thresholds:
// {Signal:memory.available Operator:LessThan Value:{Quantity:100Mi Percentage:0} GracePeriod:0s MinReclaim:<nil>}
var reThreshold = regexp.MustCompile(`\{Signal:([\w.]+) Operator:(\w+) Value:\{Quantity:(<nil>|[^ ]*) Percentage:([\d.]+)\} GracePeriod:(\S+) `)

func thresholdsLine(m *Message, k *klogLine) (Event, *Warning) {
	return kubeletLine(m, KubeletThresholds, func(l *KubeletLine) bool {
		for _, sm := range reThreshold.FindAllStringSubmatch(k.Msg+" "+k.KV["nodeConfig"], -1) {
			t := Threshold{Signal: sm[1], Operator: sm[2], Value: sm[3]}
			if t.Value == "<nil>" || t.Value == "" {
				p, _ := strconv.ParseFloat(sm[4], 64)
				t.Value = strconv.FormatFloat(p*100, 'f', -1, 64) + "%"
			}
			t.Grace, _ = time.ParseDuration(sm[5])
			l.Thresholds = append(l.Thresholds, t)
		}
		return len(l.Thresholds) > 0
	})
}

// isHexID: a container ID as runtimes print it, in full or its 12-character short form.
func isHexID(s string) bool {
	if len(s) < 12 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// isUID: a pod UID (a UUID, or a static pod's 32-hex hash).
func isUID(s string) bool {
	h := strings.ReplaceAll(s, "-", "")
	return (len(s) == 36 || len(s) == 32) && isHexID(h) && len(h) == 32
}
