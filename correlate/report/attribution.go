package report

// Attributions: how a death is tied to a container (Death.Attribution).
const (
	AttrContainer  = "container"   // its cgroup, or pod status matched by time, names the container
	AttrPod        = "pod"         // its cgroup names the pod but no container
	AttrHost       = "host"        // its cgroup is outside Kubernetes
	AttrPodProcess = "pod-process" // no cgroup in the log, but the evidence shows a pod's process
	AttrUnknown    = "unknown"     // the cgroup is not in the log
)
