package render

import (
	"path"
	"sort"
	"strings"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// maxProof is how many proof lines a death shows by default: enough for the kill, the limit
// or the threshold, and one witness of another kind; -v shows every line.
const maxProof = 3

// proofOrder ranks the decisive roles per mechanism, the line that settles the verdict
// first: the kill itself, then what made it that mechanism (the memcg usage at its limit,
// the constraint, the node's memory picture, the eviction message), then other witnesses.
// The roles are parsers.Roles (this package reads the report alone); proof_test.go checks
// each is one.
var proofOrder = map[report.Mechanism][]report.Role{
	report.CgroupOOM:       {"kill", "memcg-usage", "summary", "containerd-oom", "conmon-oom", "systemd-oom", "event-oomkilling", "task-in"},
	report.KernelOOM:       {"kill", "summary", "meminfo", "event-systemoom", "kubelet-system-oom", "event-oomkilling"},
	report.KubeletEviction: {"kubelet-evicting", "event-evicted", "pod-status", "kubelet-evicted"},
}

// proof is the short form of a death's evidence: its decisive lines, each kind once, with
// the other inputs that hold the same kind of line (the same kill copied into dmesg,
// dmesg -T and messages), and how many lines it leaves out.
type proof struct {
	lines   []report.Evidence
	alsoIn  []string // inputs whose lines repeat the shown ones
	omitted int
}

func selectProof(d *report.Death) proof {
	var p proof
	rank := map[report.Role]int{}
	for i, r := range proofOrder[d.Mechanism] {
		rank[r] = i + 1
	}
	// One line per role, best role first; among lines of a role, the first in the report.
	best := map[report.Role]int{}
	for i, e := range d.Evidence {
		if !e.Decisive {
			continue
		}
		if j, seen := best[e.Role]; !seen || better(e, d.Evidence[j]) {
			best[e.Role] = i
		}
	}
	roles := make([]report.Role, 0, len(best))
	for r := range best {
		roles = append(roles, r)
	}
	order := func(r report.Role) int {
		if n := rank[r]; n > 0 {
			return n
		}
		return 100 + best[r] // unranked roles keep the report's order, after the ranked ones
	}
	sort.SliceStable(roles, func(i, j int) bool { return order(roles[i]) < order(roles[j]) })
	if len(roles) == 0 && len(d.Evidence) > 0 { // nothing decisive: the first lines say what is known
		for i := 0; i < len(d.Evidence) && i < maxProof; i++ {
			p.lines = append(p.lines, d.Evidence[i])
		}
		p.omitted = len(d.Evidence) - len(p.lines)
		return p
	}
	shownRoles := map[report.Role]bool{}
	shownInputs := map[string]bool{}
	for _, r := range roles {
		if len(p.lines) == maxProof {
			break
		}
		e := d.Evidence[best[r]]
		p.lines = append(p.lines, e)
		shownRoles[r] = true
		shownInputs[e.Input] = true
	}
	seenAlso := map[string]bool{}
	for _, e := range d.Evidence {
		if shownRoles[e.Role] && !shownInputs[e.Input] && !seenAlso[e.Input] {
			seenAlso[e.Input] = true
			p.alsoIn = append(p.alsoIn, e.Input)
		}
	}
	p.omitted = len(d.Evidence) - len(p.lines)
	return p
}

// better says whether a line of a role proves more than the one chosen so far: of the node's
// Mem-Info, a zone's watermark line (free against min) says the node ran out, while the
// "Mem-Info:" heading that comes first says nothing.
func better(e, chosen report.Evidence) bool {
	if e.Role == "meminfo" {
		return strings.Contains(e.Text, " min:") && !strings.Contains(chosen.Text, " min:")
	}
	return false
}

// shortNames names each input by its last path element (dmesg, dmesg_-T, events.yaml), or
// whole where two inputs of one death's evidence would share that name.
func shortNames(ev []report.Evidence) map[string]string {
	byBase := map[string][]string{}
	seen := map[string]bool{}
	for _, e := range ev {
		if seen[e.Input] {
			continue
		}
		seen[e.Input] = true
		b := baseName(e.Input)
		byBase[b] = append(byBase[b], e.Input)
	}
	out := map[string]string{}
	for b, names := range byBase {
		for _, n := range names {
			if len(names) == 1 {
				out[n] = b
			} else {
				out[n] = n
			}
		}
	}
	return out
}

// baseName is an input's last path element, inside an archive (a:b/c) or not.
func baseName(name string) string {
	if i := strings.LastIndexByte(name, ':'); i >= 0 && i < len(name)-1 {
		name = name[i+1:]
	}
	return path.Base(strings.ReplaceAll(name, "\\", "/"))
}
