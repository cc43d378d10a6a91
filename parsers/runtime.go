package parsers

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// runtimeTriggers are words of which one is in every runtime or systemd line the runtime
// parser reads.
var runtimeTriggers = []string{
	"TaskOOM event",
	"TaskExit event",
	"OOM received",
	"OOM event received",
	"killed by the OOM killer",
	"result 'oom-kill'",
	"OOM killer killed some processes",
	"received exit event",
	"Found exit code for",
	"Created container ",
	"returns container id",
	"Started crio-conmon-",
}

// runtimeParser reads container runtime lines (containerd's CRI plugin, CRI-O's conmon) and
// systemd's unit lines about OOM kills. Each line stands alone.
type runtimeParser struct{}

func (runtimeParser) Busy() bool { return false }
func (runtimeParser) Flush(Out)  {}

func (runtimeParser) Feed(m *Message, out Out) {
	if m.Program == "kernel" {
		return
	}
	out.send(runtimeEvent(m))
}

func runtimeEvent(m *Message) (Event, *Warning) {
	text := m.Text
	switch {
	case strings.Contains(text, "TaskOOM event"), strings.Contains(text, "TaskExit event"), strings.Contains(text, "received exit event"):
		return containerdLine(m)
	case strings.Contains(text, "Found exit code for "):
		return crioExitLine(m)
	case strings.Contains(text, "Created container "), strings.Contains(text, "returns container id"),
		strings.Contains(text, "Started crio-conmon-"):
		return createdLine(m)
	case strings.Contains(text, "<ninfo>: OOM"), strings.Contains(text, "<info>: OOM"):
		return conmonLine(m)
	case strings.HasSuffix(text, ": A process of this unit has been killed by the OOM killer."),
		strings.HasSuffix(text, ": The kernel OOM killer killed some processes in this unit."),
		strings.HasSuffix(text, ": Failed with result 'oom-kill'."):
		// systemd src/core/unit.c unit_check_oom, older and newer wording (systemd ≥ 256)
		unit := text[:strings.Index(text, ": ")]
		if strings.ContainsAny(unit, " /") || !(strings.HasSuffix(unit, ".scope") || strings.HasSuffix(unit, ".slice") || strings.HasSuffix(unit, ".service")) {
			return nil, nil
		}
		return &RuntimeLine{Kind: RuntimeOOM, Source: "systemd", Host: m.Host, Unit: unit, Evidence: m.Evidence(RoleSystemdOOM),
			UnitCgroup: parseCgroup("/kubepods.slice/" + unit)}, nil // a unit name is the last part of a systemd cgroup path
	}
	return nil, nil
}

// containerd's CRI event handler logs every task event it handles (docs/formats.md §6.1):
//
//	≤ 1.6: TaskOOM event &TaskOOM{ContainerID:<id>,XXX_unrecognized:[],}
//	       TaskExit event &TaskExit{ContainerID:<id>,ID:<id>,Pid:N,ExitStatus:137,ExitedAt:2021-… +0000 UTC,…}
//	≥ 1.7: TaskOOM event container_id:"<id>"
//	       TaskExit event container_id:"<id>" id:"<id>" pid:N exit_status:137 exited_at:{seconds:S nanos:N}
//
// The message sits in logrus's msg="…" (quotes escaped) in text logs, or bare in JSON logs
// and when a framing already unquoted it. An exit of an exec'd process (id ≠ container_id)
// and a sandbox's exit ("in podsandbox handler") are not container deaths.
var (
	reCtrdContainer = regexp.MustCompile(`(?:ContainerID:|container_id:\\?")([0-9a-f]{64})`)
	reCtrdExecID    = regexp.MustCompile(`(?:,ID:|\bid:\\?")([0-9a-zA-Z_-]+)`)
	reCtrdStatus    = regexp.MustCompile(`(?:ExitStatus:|exit_status:)(\d+)`)
	reCtrdExitedOld = regexp.MustCompile(`ExitedAt:(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? [+-]\d{4}) `)
	reCtrdExitedNew = regexp.MustCompile(`exited_at:\{seconds:(\d+)(?:\s+nanos:(\d+))?\}`)
)

func containerdLine(m *Message) (Event, *Warning) {
	text := logrusMsg(m.Text)
	oom := strings.Contains(text, "TaskOOM event")
	cid := reCtrdContainer.FindStringSubmatch(text)
	if !oom && strings.Contains(text, "podsandbox") {
		// A sandbox's exit: its ID is the pod's pause, whose "received exit event" is no
		// container's death.
		if cid == nil {
			return nil, nil
		}
		return &RuntimeLine{Kind: RuntimeSandboxExit, Source: "containerd", Host: m.Host, ContainerID: cid[1], Evidence: m.Evidence(RoleContainerdSandboxExit)}, nil
	}
	if cid == nil {
		return nil, &Warning{Line: m.Line, Message: "containerd task event without a container ID, skipped"}
	}
	r := &RuntimeLine{Source: "containerd", Host: m.Host, ContainerID: cid[1]}
	if oom {
		r.Kind, r.Evidence = RuntimeOOM, m.Evidence(RoleContainerdOOM)
		return r, nil
	}
	if id := reCtrdExecID.FindStringSubmatch(text); id != nil && id[1] != cid[1] {
		return nil, nil
	}
	n := 0
	if st := reCtrdStatus.FindStringSubmatch(text); st != nil {
		n, _ = strconv.Atoi(st[1])
	} else if !strings.Contains(text, "container_id:") {
		return nil, &Warning{Line: m.Line, Message: "containerd TaskExit without an exit status, skipped"}
	} // protobuf text omits zero values: no exit_status is exit status 0
	r.Kind, r.ExitStatus, r.Evidence = RuntimeExit, &n, m.Evidence(RoleContainerdExit)
	if sm := reCtrdExitedOld.FindStringSubmatch(text); sm != nil {
		r.ExitedAt, _ = time.Parse("2006-01-02 15:04:05.999999999 -0700", sm[1])
	} else if sm := reCtrdExitedNew.FindStringSubmatch(text); sm != nil {
		s, _ := strconv.ParseInt(sm[1], 10, 64)
		ns, _ := strconv.ParseInt(sm[2], 10, 64)
		r.ExitedAt = time.Unix(s, ns).UTC()
	}
	return r, nil
}

// logrusMsg returns the unquoted msg="…" of a logrus text line, or the text itself.
func logrusMsg(text string) string {
	i := strings.Index(text, `msg="`)
	if i < 0 {
		return text
	}
	q, err := strconv.QuotedPrefix(text[i+4:])
	if err != nil {
		return text
	}
	s, _ := strconv.Unquote(q)
	return s
}

// conmon, run by CRI-O with --syslog, logs "conmon <first 20 chars of the ID> <ninfo>: OOM
// received" (containers/conmon src/utils.h, src/cgroup.c) — as the text of a "conmon"
// syslog line, or with the "conmon" word when the identifier was lost.
var reConmon = regexp.MustCompile(`(?:^|conmon )([0-9a-f]{12,64}) <n?info>: OOM (?:event )?received`)

func conmonLine(m *Message) (Event, *Warning) {
	sm := reConmon.FindStringSubmatch(m.Text)
	if sm == nil {
		return nil, nil
	}
	return &RuntimeLine{Kind: RuntimeOOM, Source: "conmon", Host: m.Host, ContainerID: sm[1], IDPrefix: len(sm[1]) < 64,
		Evidence: m.Evidence(RoleConmonOOM)}, nil
}

// CRI-O's exit watcher, debug level: Found exit code for <id>: 137 (internal/oci/runtime_oci.go).
var reCrioExit = regexp.MustCompile(`Found exit code for ([0-9a-f]{64}): (-?\d+)`)

func crioExitLine(m *Message) (Event, *Warning) {
	sm := reCrioExit.FindStringSubmatch(logrusMsg(m.Text))
	if sm == nil {
		return nil, nil
	}
	n, _ := strconv.Atoi(sm[2])
	return &RuntimeLine{Kind: RuntimeExit, Source: "cri-o", Host: m.Host, ContainerID: sm[1], ExitStatus: &n,
		Evidence: m.Evidence(RoleCrioExit)}, nil
}

// Lines that name a container when it is created, so its full ID and names are known to
// the deaths that only have one of them:
//
//	CRI-O:      Created container <id>: <namespace>/<pod>/<container>
//	containerd: CreateContainer within sandbox "<sid>" for &ContainerMetadata{Name:<name>,Attempt:0,} returns container id "<id>"
//	            (2.x: for container name:"<name>" … returns container id "<id>")
//	systemd:    Started crio-conmon-<id>.scope.
var (
	reCrioCreated = regexp.MustCompile(`Created container ([0-9a-f]{64}): ([^/\s"]+)/([^/\s"]+)/([^/\s"]+)`)
	reCtrdCreated = regexp.MustCompile(`(?:ContainerMetadata\{Name:|name:\\?")([^,"\\}]+).*returns container id \\?"([0-9a-f]{64})`)
	reConmonScope = regexp.MustCompile(`Started crio-conmon-([0-9a-f]{64})\.scope`)
)

func createdLine(m *Message) (Event, *Warning) {
	text := logrusMsg(m.Text)
	r := &RuntimeLine{Kind: RuntimeCreated, Host: m.Host, Evidence: m.Evidence(RoleRuntimeCreated)}
	switch {
	case reCrioCreated.MatchString(text):
		sm := reCrioCreated.FindStringSubmatch(text)
		r.Source, r.ContainerID, r.Namespace, r.Pod, r.Container = "cri-o", sm[1], sm[2], sm[3], sm[4]
	case reCtrdCreated.MatchString(text):
		sm := reCtrdCreated.FindStringSubmatch(text)
		r.Source, r.Container, r.ContainerID = "containerd", sm[1], sm[2]
	case reConmonScope.MatchString(text):
		r.Source, r.ContainerID = "systemd", reConmonScope.FindStringSubmatch(text)[1]
	default:
		return nil, nil
	}
	return r, nil
}
