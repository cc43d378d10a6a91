package report

import "slices"

// A NoteCode names a caveat, so that programs (the correlator's own later phases, a batch
// job's alerting, a test) tell notes apart without reading their prose, which may change.
// The JSON keeps the sentences in notes and puts the codes beside them, index for index, in
// noteCodes.
type NoteCode string

// The codes of every note the correlator writes, by the phase that writes it.
const (
	// Reading the kernel's report.
	NoteConstraintContradicts NoteCode = "constraint-contradicts-memcg" // CONSTRAINT_NONE, yet the summary names an oom_memcg
	NoteOtherConstraint       NoteCode = "other-constraint"             // a cpuset or mempolicy constrained the OOM
	NoteScopeUnknown          NoteCode = "scope-unknown"                // a kill, but not whether a cgroup or the node ran out
	NoteCgroupInferred        NoteCode = "cgroup-inferred"              // the victim's cgroup is inferred from the hierarchy
	NoteVictimFromSummary     NoteCode = "victim-from-summary"          // no kill line; the oom-kill summary names the victim
	NoteVictimFromReaper      NoteCode = "victim-from-reaper"           // no kill line; the oom_reaper line names the victim
	NoteVictimFromSelection   NoteCode = "victim-from-selection"        // no kill line; the selection names the victim or a child
	NoteVictimFromTaskIn      NoteCode = "victim-from-task-in"          // no kill line; "Task in" names only the cgroup
	NoteOOMGroupOnly          NoteCode = "oom-group-only"               // only the memory.oom.group line is in the log
	NoteConmonCgroup          NoteCode = "conmon-cgroup"                // the victim was CRI-O's conmon, not the container
	NotePodCgroupOnly         NoteCode = "pod-cgroup-only"              // the cgroup names the pod but no container
	NoteYearGuessed           NoteCode = "year-guessed"                 // a year-less log was read with another year than a dated one
	NoteInputsDisagree        NoteCode = "inputs-disagree"              // two inputs stamp one kill apart: a zone or a clock
	NoteMixedMechanisms       NoteCode = "mixed-mechanisms"             // another kill of the container had another mechanism
	NotePodProcess            NoteCode = "pod-process"                  // no cgroup, but the victim was a pod's process
	NoteCgroupUnknown         NoteCode = "cgroup-unknown"               // no cgroup: the container is unknown
	NoteOneProcess            NoteCode = "one-process"                  // the kernel killed a process, maybe not the main one

	// Joining the Kubernetes side.
	NoteKubectlText       NoteCode = "kubectl-text"        // read from kubectl's text, which leaves out facts
	NoteNodeAllocatable   NoteCode = "node-allocatable"    // the node's capacity and allocatable memory
	NoteTimeFromAPI       NoteCode = "time-from-api"       // the kernel gave time since boot only; the time comes from elsewhere
	NoteClocksDisagree    NoteCode = "clocks-disagree"     // node logs and the API disagree about the time
	NoteNamesFromRuntime  NoteCode = "names-from-runtime"  // the container's names come from the runtime's create line
	NoteMatchedByTime     NoteCode = "matched-by-time"     // a kill without cgroup matched to the only OOM-killed container
	NoteSystemOOMRecorded NoteCode = "system-oom-recorded" // the kubelet recorded the kill as a SystemOOM
	NoteSystemOOMOnly     NoteCode = "system-oom-only"     // only the kubelet's SystemOOM record shows the kill

	// Judging the mechanism.
	NoteNoMemoryEvidence        NoteCode = "no-memory-evidence"        // no OOM kill, OOMKilled status or eviction
	NoteKubeletKilledFirst      NoteCode = "kubelet-killed-first"      // the kubelet stopped the container before it died
	NoteKilledWithoutPressure   NoteCode = "killed-without-pressure"   // killed, and nothing shows memory pressure
	NoteMemoryVolume            NoteCode = "memory-volume"             // emptyDir volumes with medium: Memory
	NoteEvictionResourceUnknown NoteCode = "eviction-resource-unknown" // evicted, but not for which resource
	NoteEvictionResourceFrom    NoteCode = "eviction-resource-from"    // where the eviction's resource was read
	NoteOOMKilledToo            NoteCode = "oom-killed-too"            // OOM-killed around the eviction too
	NoteNoMemoryRequest         NoteCode = "no-memory-request"         // no memory request: all usage counts
	NoteWatcherSystemOOM        NoteCode = "watcher-system-oom"        // the OOM watcher saw a node-wide OOM
	NoteWatcherCgroupOOM        NoteCode = "watcher-cgroup-oom"        // the OOM watcher recorded a CgroupOOM Event
	NoteOwnLimitLikely          NoteCode = "own-limit-likely"          // OOM-killed with a limit and no node-wide OOM
	NoteLimitUnknown            NoteCode = "limit-unknown"             // OOMKilled, the limit not shown
	NoteNoOwnLimit              NoteCode = "no-own-limit"              // OOM-killed without a limit: the node ran out
	NoteRuntimeOOMOnly          NoteCode = "runtime-oom-only"          // only the runtime saw the OOM kill
	NoteEvictedToo              NoteCode = "evicted-too"               // the kubelet evicted the pod around the kill too
	NoteProbeFailedToo          NoteCode = "probe-failed-too"          // a probe failed around the kill
	NoteSidecarTrap             NoteCode = "sidecar-trap"              // a high oom_score_adj chose the victim over the user
)

// Note is one caveat: its code, and the sentence the report prints.
type Note struct {
	Code NoteCode
	Text string
}

// AddNote adds a caveat, unless the death has it already (the same kill read twice).
func (d *Death) AddNote(code NoteCode, text string) {
	for i, t := range d.Notes {
		if t == text && d.noteCode(i) == code {
			return
		}
	}
	d.Notes = append(d.Notes, text)
	d.NoteCodes = append(d.NoteCodes, code)
}

// AddNotes adds caveats in order, as AddNote does.
func (d *Death) AddNotes(notes ...Note) {
	for _, n := range notes {
		d.AddNote(n.Code, n.Text)
	}
}

// NoteList gives the death's caveats with their codes.
func (d *Death) NoteList() []Note {
	out := make([]Note, len(d.Notes))
	for i, t := range d.Notes {
		out[i] = Note{d.noteCode(i), t}
	}
	return out
}

// HasNote tells whether the death carries a caveat of the code.
func (d *Death) HasNote(code NoteCode) bool {
	return slices.Contains(d.NoteCodes, code)
}

// noteCode is the code of the i-th note; "" for a report written before notes had codes.
func (d *Death) noteCode(i int) NoteCode {
	if i < len(d.NoteCodes) {
		return d.NoteCodes[i]
	}
	return ""
}
