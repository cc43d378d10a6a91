package correlate

import (
	"regexp"
	"strings"

	"github.com/k8s-coroner/coroner/correlate/report"

	corev1 "k8s.io/api/core/v1"
)

// ownerOfPod reads the pod's controller from its ownerReferences: a ReplicaSet that the
// pod-template-hash label says a Deployment made is that Deployment; a Job named
// <cronjob>-<minutes> with a CronJob's 8-digit schedule stamp is that CronJob.
func ownerOfPod(p *corev1.Pod) *report.Owner {
	for _, ref := range p.OwnerReferences {
		if ref.Controller != nil && !*ref.Controller {
			continue
		}
		o := &report.Owner{Kind: ref.Kind, Name: ref.Name, From: "ownerReferences"}
		switch ref.Kind {
		case "ReplicaSet":
			if h := p.Labels["pod-template-hash"]; h != "" {
				if name, ok := strings.CutSuffix(ref.Name, "-"+h); ok && name != "" {
					o.Kind, o.Name = "Deployment", name
				}
			}
		case "Job":
			if sm := cronJobName.FindStringSubmatch(ref.Name); sm != nil {
				o.Kind, o.Name = "CronJob", sm[1]
			}
		}
		return o
	}
	return nil
}

// Controller suffixes of pod names (k8s.io/apiserver's SimpleNameGenerator appends 5
// characters of the alphabet below to generateName; a ReplicaSet's name carries the
// pod-template-hash in the same alphabet since 1.8, one character per decimal digit of a
// 32-bit hash, so 5 to 10 of them; as decimal digits before).
var (
	deploymentPod = regexp.MustCompile(`^(.+)-([bcdfghjklmnpqrstvwxz2456789]{5,10}|\d{9,10})-[bcdfghjklmnpqrstvwxz2456789]{5}$`)
	cronJobPod    = regexp.MustCompile(`^(.+)-(\d{8})-[bcdfghjklmnpqrstvwxz2456789]{5}$`)
	cronJobName   = regexp.MustCompile(`^(.+)-(\d{8})$`)
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
