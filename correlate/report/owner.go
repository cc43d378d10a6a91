package report

import "strings"

// Owner is the object a user changes to fix a death: the Deployment, StatefulSet, DaemonSet,
// Job or CronJob that owns the pod, not the pod, whose resources its owner rewrites.
type Owner struct {
	Kind string `json:"kind"` // Deployment, StatefulSet, DaemonSet, Job, CronJob, ReplicaSet, ReplicationController
	Name string `json:"name"`
	// From says how it is known: ownerReferences (the pod's metadata), or name (the pod
	// name's shape, e.g. a ReplicaSet's pod-template-hash and a 5-character suffix).
	From string `json:"from"`
}

// Ref is the owner as kubectl names it, "deployment/api".
func (o *Owner) Ref() string { return strings.ToLower(o.Kind) + "/" + o.Name }
