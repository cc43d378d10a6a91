package parsers

import (
	"regexp"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// ownerOfPod reads the pod's controller from its ownerReferences: a ReplicaSet that the
// pod-template-hash label says a Deployment made is that Deployment; a Job named
// <cronjob>-<minutes> with a CronJob's 8-digit schedule stamp is that CronJob.
func ownerOfPod(p *corev1.Pod) *PodOwner {
	for _, ref := range p.OwnerReferences {
		if ref.Controller != nil && !*ref.Controller {
			continue
		}
		o := &PodOwner{Kind: ref.Kind, Name: ref.Name}
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

// cronJobName is a CronJob's Job: the CronJob's name and the scheduled time in minutes.
var cronJobName = regexp.MustCompile(`^(.+)-(\d{8})$`)
