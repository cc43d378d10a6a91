package parsers

// readCgroups decodes the cgroup paths a finished report names, so the correlator reads
// pods, containers and limit scopes, never the cgroup drivers' grammar.
func (k *KernelOOM) readCgroups() {
	k.OOMCgroup, k.TaskCgroup, k.GroupCgroup = parseCgroup(k.OOMMemcg), parseCgroup(k.TaskMemcg), parseCgroup(k.Group)
	k.StatsCgroups = nil
	for _, p := range k.StatsFor {
		k.StatsCgroups = append(k.StatsCgroups, parseCgroup(p))
	}
}
