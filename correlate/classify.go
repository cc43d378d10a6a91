package correlate

import (
	"strings"

	"github.com/k8s-coroner/coroner/correlate/report"

	"github.com/k8s-coroner/coroner/parsers"
)

// verdict is what one OOM report says about its mechanism.
type verdict struct {
	mechanism  report.Mechanism
	confidence string
	notes      []report.Note
}

// classify decides between the memcg and the global OOM killer by the report's own words, most
// explicit first: the >= 5.0 summary's oom_memcg/global_oom, the pre-5.0 "Task in … killed as a
// result of limit of …", the kill line's reason, then the shape of the dump (memcg counters
// are printed only for memcg OOMs, Mem-Info only for global ones).
func classify(o *parsers.KernelOOM) verdict {
	reason := killReason(o)
	switch {
	case o.OOMMemcg != "" && o.Constraint == "CONSTRAINT_NONE":
		return verdict{report.CgroupOOM, "medium", []report.Note{{Code: report.NoteConstraintContradicts, Text: "the summary says CONSTRAINT_NONE but names oom_memcg " +
			o.OOMMemcg + "; kernels 5.0 and 5.1 printed CONSTRAINT_NONE for memcg OOMs (fixed by \"mm/oom_kill.c: fix uninitialized oc->constraint\"), so the memcg is trusted"}}}
	case o.OOMMemcg != "":
		return verdict{report.CgroupOOM, "high", nil}
	case o.GlobalOOM:
		return verdict{report.KernelOOM, "high", nil}
	case o.Constraint == "CONSTRAINT_MEMCG":
		return verdict{report.CgroupOOM, "high", nil}
	case o.Constraint == "CONSTRAINT_NONE":
		return verdict{report.KernelOOM, "high", nil}
	case o.Constraint == "CONSTRAINT_CPUSET" || o.Constraint == "CONSTRAINT_MEMORY_POLICY":
		return verdict{report.KernelOOM, "medium", []report.Note{{Code: report.NoteOtherConstraint, Text: "the OOM was constrained by " + o.Constraint +
			": the memory allowed to the allocating task ran out, not necessarily the whole node"}}}
	case strings.HasPrefix(reason, "Memory cgroup out of memory"):
		return verdict{report.CgroupOOM, "medium", nil}
	case strings.HasPrefix(reason, "Out of memory"):
		return verdict{report.KernelOOM, "medium", nil}
	case o.Memory != nil:
		return verdict{report.CgroupOOM, "medium", nil}
	case o.MemInfo:
		return verdict{report.KernelOOM, "medium", nil}
	}
	why := "the lines that would say it (the oom-kill summary, the memory dump, the kill line's reason) are not in the log"
	if o.Trigger == nil && len(o.Kills) > 0 && o.Kills[0].Reason == "" && len(o.Lines) == len(o.Kills) {
		why = "the kernel rate-limits its OOM reports, and this kill line came without one"
	}
	return verdict{report.Unknown, "low", []report.Note{{Code: report.NoteScopeUnknown, Text: "the log shows the kill but not whether a cgroup limit or the whole node ran out of memory: " + why}}}
}

// killReason is the "%s: " the kernel put before the kill (since 5.1) or the selection line
// (before 5.1).
func killReason(o *parsers.KernelOOM) string {
	if len(o.Kills) > 0 && o.Kills[0].Reason != "" {
		return o.Kills[0].Reason
	}
	if o.Selected != nil {
		return o.Selected.Reason
	}
	return ""
}
