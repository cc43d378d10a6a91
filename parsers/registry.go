package parsers

// Registry lists every parser, sorted by name. Adding a parser means one entry here plus its
// own file; the pipeline, the prefilter and the --help text pick it up from this table.
var Registry = []Spec{
	{
		Name:     "kernel",
		Help:     "kernel OOM-killer reports: memcg and global OOMs, all kernel versions from 3.x",
		Triggers: kernelTriggers,
		New:      func() Parser { return newKernelParser() },
	},
}
