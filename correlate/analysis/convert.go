package analysis

import (
	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/sources"
)

// The sources keep what they learned in their own types, with the unexported clock state
// they need while reading; the report has its own copies so that its JSON contract is
// defined in one package.

func reportArchives(as []*sources.ArchiveInfo) []report.Archive {
	if len(as) == 0 {
		return nil
	}
	out := make([]report.Archive, len(as))
	for i, a := range as {
		out[i] = report.Archive{
			Name: a.Name, Kind: a.Kind, Host: a.Host, SosVersion: a.SosVersion, Kernel: a.Kernel,
			Collected: a.Collected, Zone: a.Zone, BootTime: a.BootTime, BootID: a.BootID,
			Used: a.Used, Meta: a.Meta, Skipped: a.Skipped, Warnings: a.Warnings,
		}
		for _, m := range a.Members {
			out[i].Members = append(out[i].Members, report.Member(m))
		}
	}
	return out
}

func reportNodeState(s *sources.NodeState) *report.NodeState {
	if s == nil {
		return nil
	}
	out := &report.NodeState{
		Hostname: s.Hostname, Kernel: s.Kernel, MemTotalKiB: s.MemTotalKiB, CgroupVersion: s.CgroupVersion,
		Cgroups: make([]report.CgroupState, len(s.Cgroups)),
	}
	if s.Kubelet != nil {
		k := report.KubeletConfig(*s.Kubelet)
		out.Kubelet = &k
	}
	for i, c := range s.Cgroups {
		out.Cgroups[i] = report.CgroupState(c)
	}
	return out
}
