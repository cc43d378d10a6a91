package parsers

import "time"

// PodFacts is what the correlator needs to know of a Pod. The parsers decode the API object
// (or the kubectl output that shows part of one) into it, so that the Kubernetes types and
// their quantity grammar stop at the parser layer.
type PodFacts struct {
	Namespace, Name, UID, Node string
	QoS                        string    // status.qosClass as the API spells it: Guaranteed, Burstable, BestEffort
	Reason, Message            string    // status.reason and status.message: "Evicted" and why
	Eviction                   Eviction  // what Message says of an evicted pod; zero for others
	Created                    time.Time // metadata.creationTimestamp: when a pod refused at admission "died"
	// EvictedAt is when the kubelet evicted the pod, as its conditions show it; zero when
	// they do not.
	EvictedAt time.Time
	Owner     *PodOwner // the controller from ownerReferences, nil when none
	// Specs are the containers' specs, init containers first; empty when the evidence does
	// not show the spec (kubectl get pods), which is not the same as a spec without limits.
	Specs    []ContainerSpec
	Statuses []ContainerStatus // init containers' statuses first, as kubectl lists them
	// MemoryVolumes are the emptyDir volumes with medium Memory: their tmpfs pages are
	// charged to the pod's memory cgroup.
	MemoryVolumes []MemoryVolume
}

// PodOwner is the object that controls a pod, with the ReplicaSet of a Deployment and the
// Job of a CronJob already resolved to the object a person edits.
type PodOwner struct{ Kind, Name string }

// ContainerSpec is the memory side of one container's spec.
type ContainerSpec struct {
	Name                       string
	Init                       bool
	MemoryLimit, MemoryRequest *Quantity // nil when unset
}

// Quantity is a resource quantity in the form Kubernetes prints it and in bytes: the text
// quotes the manifest's unit back to its reader, the bytes compare and compute.
type Quantity struct {
	Text  string // canonical form: "32Mi", "1G"
	Bytes int64  // rounded up to a whole byte
}

// ContainerStatus is one container's status: who it is and how it terminated.
type ContainerStatus struct {
	Name         string
	Init         bool
	RestartCount int32
	// Terminations are the current state's termination, then the last termination state's;
	// those the status does not show are left out.
	Terminations []Termination
}

// Termination is one terminated state of a container.
type Termination struct {
	Reason           string
	ExitCode, Signal int32
	Finished         time.Time
	// Runtime and ContainerID split the status's "containerd://<id>"; Runtime is "" when the
	// ID has no scheme. The current state falls back to the status's own containerID.
	Runtime, ContainerID string
}

// MemoryVolume is an emptyDir volume backed by memory.
type MemoryVolume struct {
	Name      string
	SizeLimit string // canonical quantity, "" when unbounded
}
