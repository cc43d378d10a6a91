package correlate

import (
	"cmp"
	"strings"

	"github.com/k8s-coroner/coroner/correlate/report"

	"github.com/k8s-coroner/coroner/parsers"
)

// containerIndex is what the runtimes' own lines say about container IDs, apart from any
// death: the full ID and names a container was created with (CRI-O's "Created container <id>:
// ns/pod/name", containerd's "returns container id", systemd's crio-conmon scope), and the IDs
// that are pod sandboxes (pause), whose exits are no container's death.
type containerIndex struct {
	names     map[string]containerNames // by full ID
	sandboxes map[string]bool
}

type containerNames struct{ namespace, pod, container string }

func newContainerIndex(events []parsers.Event) *containerIndex {
	x := &containerIndex{names: map[string]containerNames{}, sandboxes: map[string]bool{}}
	for _, ev := range events {
		r, ok := ev.(*parsers.RuntimeLine)
		if !ok {
			continue
		}
		switch r.Kind {
		case parsers.RuntimeCreated:
			n := x.names[r.ContainerID]
			n.namespace, n.pod, n.container = cmp.Or(n.namespace, r.Namespace), cmp.Or(n.pod, r.Pod), cmp.Or(n.container, r.Container)
			x.names[r.ContainerID] = n
		case parsers.RuntimeSandboxExit:
			x.sandboxes[r.ContainerID] = true
		}
	}
	return x
}

// resolve returns the one full ID that starts with prefix (conmon prints 20 characters).
func (x *containerIndex) resolve(prefix string) (string, bool) {
	found := ""
	for id := range x.names {
		if strings.HasPrefix(id, prefix) {
			if found != "" {
				return "", false // two containers share the prefix: a guess would be worse than none
			}
			found = id
		}
	}
	return found, found != ""
}

// prepare resolves the sightings' ID prefixes to full IDs and drops the exits of sandboxes.
func (x *containerIndex) prepare(sights []sighting) []sighting {
	out := sights[:0]
	for _, s := range sights {
		if s.idPrefix {
			if id, ok := x.resolve(s.containerID); ok {
				s.containerID, s.idPrefix = id, false
			}
		}
		if (s.kind == seenExit || s.kind == seenDied) && x.sandboxes[s.containerID] {
			continue
		}
		out = append(out, s)
	}
	return out
}

// name fills the names of a death whose container ID a runtime's create line names.
func (x *containerIndex) name(d *report.Death) {
	n, ok := x.names[d.ContainerID]
	if !ok || d.ContainerID == "" {
		return
	}
	filled := false
	for _, f := range []struct {
		dst *string
		v   string
	}{{&d.Namespace, n.namespace}, {&d.Pod, n.pod}, {&d.Container, n.container}} {
		if *f.dst == "" && f.v != "" {
			*f.dst, filled = f.v, true
		}
	}
	if filled {
		d.AddNote(report.NoteNamesFromRuntime, "the container's names come from the runtime's line that created it")
	}
}
