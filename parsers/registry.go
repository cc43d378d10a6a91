package parsers

// Registry lists every parser, sorted by name. Adding a parser means one entry here plus its
// own file; the pipeline, the prefilter and the --help text pick it up from this table.
var Registry = []Spec{
	{
		Name:     "events",
		Help:     "Kubernetes Events shipped as log lines (Grafana Alloy's loki.source.kubernetes_events, logfmt or JSON)",
		Triggers: eventLogTriggers,
		Events:   true,
		New:      func() Parser { return eventLogParser{} },
	},
	{
		Name:     "kernel",
		Help:     "kernel OOM-killer reports: memcg and global OOMs, all kernel versions from 3.x",
		Triggers: kernelTriggers,
		New:      func() Parser { return newKernelParser() },
	},
	{
		Name:     "kubelet",
		Help:     "kubelet lines: eviction manager, kills and probes, PLEG deaths, OOM watcher, events it logged",
		Triggers: kubeletTriggers,
		New:      func() Parser { return &kubeletParser{} },
	},
	{
		Name:     "runtime",
		Help:     "containerd TaskOOM/TaskExit, CRI-O conmon OOM, systemd units killed by the OOM killer",
		Triggers: runtimeTriggers,
		New:      func() Parser { return runtimeParser{} },
	},
}
