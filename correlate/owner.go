package correlate

import (
	"regexp"

	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/parsers"
)

// ownerOfPod is the pod's controller as its ownerReferences name it.
func ownerOfPod(p *parsers.PodFacts) *report.Owner {
	if p.Owner == nil {
		return nil
	}
	return &report.Owner{Kind: p.Owner.Kind, Name: p.Owner.Name, From: "ownerReferences"}
}

// Controller suffixes of pod names (k8s.io/apiserver's SimpleNameGenerator appends 5
// characters of the alphabet below to generateName; a ReplicaSet's name carries the
// pod-template-hash in the same alphabet since 1.8, one character per decimal digit of a
// 32-bit hash, so 5 to 10 of them; as decimal digits before).
var (
	deploymentPod = regexp.MustCompile(`^(.+)-([bcdfghjklmnpqrstvwxz2456789]{5,10}|\d{9,10})-[bcdfghjklmnpqrstvwxz2456789]{5}$`)
	cronJobPod    = regexp.MustCompile(`^(.+)-(\d{8})-[bcdfghjklmnpqrstvwxz2456789]{5}$`)
	statefulPod   = regexp.MustCompile(`^(.+)-(\d+)$`)
)

// ownerFromName guesses the owner from the pod's name when its metadata is not in the
// evidence (a kernel log and a pasted `kubectl get pods`). A name that ends in a bare random
// suffix (a DaemonSet's or a Job's pod) says no kind, so it gives none.
func ownerFromName(pod string) *report.Owner {
	switch {
	case cronJobPod.MatchString(pod):
		return &report.Owner{Kind: "CronJob", Name: cronJobPod.FindStringSubmatch(pod)[1], From: "name"}
	case deploymentPod.MatchString(pod):
		return &report.Owner{Kind: "Deployment", Name: deploymentPod.FindStringSubmatch(pod)[1], From: "name"}
	case statefulPod.MatchString(pod):
		return &report.Owner{Kind: "StatefulSet", Name: statefulPod.FindStringSubmatch(pod)[1], From: "name"}
	}
	return nil
}
