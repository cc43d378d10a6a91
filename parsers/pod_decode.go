package parsers

import (
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// newPodStatus wraps a Pod, read from an API object or rebuilt from kubectl output, as the
// event the correlator sees. The Pod must be complete: its facts are taken now.
func newPodStatus(pos Pos, p *corev1.Pod, human string) *PodStatus {
	return &PodStatus{Pos: pos, Pod: podFacts(p), Human: human}
}

// podFacts decodes what the correlator uses of a Pod.
func podFacts(p *corev1.Pod) PodFacts {
	f := PodFacts{Namespace: p.Namespace, Name: p.Name, UID: string(p.UID), Node: p.Spec.NodeName,
		QoS: string(p.Status.QOSClass), Reason: p.Status.Reason, Message: p.Status.Message,
		Created: p.CreationTimestamp.Time, EvictedAt: evictionTime(p), Owner: ownerOfPod(p),
		MemoryVolumes: memoryEmptyDirs(p)}
	if f.Reason == "Evicted" {
		f.Eviction = parseEvictionMessage(f.Message)
	}
	for _, c := range p.Spec.InitContainers {
		f.Specs = append(f.Specs, containerSpec(c, true))
	}
	for _, c := range p.Spec.Containers {
		f.Specs = append(f.Specs, containerSpec(c, false))
	}
	for _, cs := range p.Status.InitContainerStatuses {
		f.Statuses = append(f.Statuses, containerStatus(cs, true))
	}
	for _, cs := range p.Status.ContainerStatuses {
		f.Statuses = append(f.Statuses, containerStatus(cs, false))
	}
	return f
}

func containerSpec(c corev1.Container, init bool) ContainerSpec {
	s := ContainerSpec{Name: c.Name, Init: init}
	if q, ok := c.Resources.Limits[corev1.ResourceMemory]; ok {
		s.MemoryLimit = quantityOf(q)
	}
	if q, ok := c.Resources.Requests[corev1.ResourceMemory]; ok {
		s.MemoryRequest = quantityOf(q)
	}
	return s
}

func quantityOf(q resource.Quantity) *Quantity {
	return &Quantity{Text: q.String(), Bytes: q.Value()}
}

func containerStatus(cs corev1.ContainerStatus, init bool) ContainerStatus {
	s := ContainerStatus{Name: cs.Name, Init: init, RestartCount: cs.RestartCount}
	for _, st := range []corev1.ContainerState{cs.State, cs.LastTerminationState} {
		t := st.Terminated
		if t == nil {
			continue
		}
		id := t.ContainerID
		if id == "" && t == cs.State.Terminated { // the status's ID is the current container's
			id = cs.ContainerID
		}
		term := Termination{Reason: t.Reason, ExitCode: t.ExitCode, Signal: t.Signal, Finished: t.FinishedAt.Time}
		term.Runtime, term.ContainerID = statusContainerID(id)
		s.Terminations = append(s.Terminations, term)
	}
	return s
}

// statusContainerID splits a status's "containerd://<id>"; an ID without a scheme, or with
// nothing after it, is all ID.
func statusContainerID(id string) (runtime, containerID string) {
	runtime, containerID, _ = strings.Cut(id, "://")
	if containerID == "" {
		runtime, containerID = "", runtime
	}
	return runtime, containerID
}

// memoryEmptyDirs lists the pod's emptyDir volumes with medium Memory.
func memoryEmptyDirs(p *corev1.Pod) []MemoryVolume {
	var out []MemoryVolume
	for _, v := range p.Spec.Volumes {
		if e := v.EmptyDir; e != nil && e.Medium == corev1.StorageMediumMemory {
			m := MemoryVolume{Name: v.Name}
			if e.SizeLimit != nil {
				m.SizeLimit = e.SizeLimit.String()
			}
			out = append(out, m)
		}
	}
	return out
}

// evictionTime is when pod status says the kubelet evicted the pod: the DisruptionTarget
// condition's transition (1.26+), else the Ready condition's; zero when neither is shown.
func evictionTime(p *corev1.Pod) time.Time {
	var ready time.Time
	for _, c := range p.Status.Conditions {
		switch c.Type {
		case "DisruptionTarget":
			return c.LastTransitionTime.Time
		case corev1.PodReady:
			ready = c.LastTransitionTime.Time
		}
	}
	return ready
}

// podObject is what podFacts reads of a Pod. Decoding a List's Pods into it rather than into
// corev1.Pod skips, in the scanner, what is never used (env, probes, mounts, managedFields)
// instead of building it; pod turns it back into the corev1.Pod podFacts takes.
type podObject struct {
	Metadata objectMetaFields `json:"metadata"`
	Spec     podSpecObject    `json:"spec"`
	Status   podStatusObject  `json:"status"`
}

// podSpecObject and podStatusObject are what podFacts reads of a Pod's spec and status.
type podSpecObject struct {
	NodeName       string         `json:"nodeName"`
	InitContainers []podContainer `json:"initContainers"`
	Containers     []podContainer `json:"containers"`
	Volumes        []podVolume    `json:"volumes"`
}

type podStatusObject struct {
	QOSClass   corev1.PodQOSClass `json:"qosClass"`
	Reason     string             `json:"reason"`
	Message    string             `json:"message"`
	Conditions []struct {
		Type               corev1.PodConditionType `json:"type"`
		LastTransitionTime metav1.Time             `json:"lastTransitionTime"`
	} `json:"conditions"`
	InitContainerStatuses []podContainerStatus `json:"initContainerStatuses"`
	ContainerStatuses     []podContainerStatus `json:"containerStatuses"`
}

// podContainerStatus is what containerStatus reads of a status: the running state's start,
// images and probes' results are skipped.
type podContainerStatus struct {
	Name         string `json:"name"`
	RestartCount int32  `json:"restartCount"`
	ContainerID  string `json:"containerID"`
	State        struct {
		Terminated *corev1.ContainerStateTerminated `json:"terminated"`
	} `json:"state"`
	LastTerminationState struct {
		Terminated *corev1.ContainerStateTerminated `json:"terminated"`
	} `json:"lastState"`
}

func (s podContainerStatus) status() corev1.ContainerStatus {
	return corev1.ContainerStatus{Name: s.Name, RestartCount: s.RestartCount, ContainerID: s.ContainerID,
		State:                corev1.ContainerState{Terminated: s.State.Terminated},
		LastTerminationState: corev1.ContainerState{Terminated: s.LastTerminationState.Terminated}}
}

type podVolume struct {
	Name     string                       `json:"name"`
	EmptyDir *corev1.EmptyDirVolumeSource `json:"emptyDir"`
}

type podContainer struct {
	Name      string                      `json:"name"`
	Resources corev1.ResourceRequirements `json:"resources"`
}

func (o *podObject) pod() *corev1.Pod {
	return podOf(o.Metadata.objectMeta(), &o.Spec, &o.Status)
}

// objectMetaFields is what Pods and Events are read for of their metadata: the rest
// (managedFields above all) is skipped by the scanner instead of built.
type objectMetaFields struct {
	Name              string                  `json:"name"`
	Namespace         string                  `json:"namespace"`
	UID               types.UID               `json:"uid"`
	CreationTimestamp metav1.Time             `json:"creationTimestamp"`
	Labels            map[string]string       `json:"labels"`
	Annotations       map[string]string       `json:"annotations"`
	OwnerReferences   []metav1.OwnerReference `json:"ownerReferences"`
}

func (m *objectMetaFields) objectMeta() metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: m.Name, Namespace: m.Namespace, UID: m.UID, CreationTimestamp: m.CreationTimestamp,
		Labels: m.Labels, Annotations: m.Annotations, OwnerReferences: m.OwnerReferences}
}

// podOf rebuilds the corev1.Pod podFacts takes from what was decoded of it.
func podOf(meta metav1.ObjectMeta, spec *podSpecObject, status *podStatusObject) *corev1.Pod {
	p := &corev1.Pod{ObjectMeta: meta, Spec: corev1.PodSpec{NodeName: spec.NodeName},
		Status: corev1.PodStatus{QOSClass: status.QOSClass, Reason: status.Reason, Message: status.Message}}
	for _, c := range status.Conditions {
		p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: c.Type, LastTransitionTime: c.LastTransitionTime})
	}
	for _, cs := range status.InitContainerStatuses {
		p.Status.InitContainerStatuses = append(p.Status.InitContainerStatuses, cs.status())
	}
	for _, cs := range status.ContainerStatuses {
		p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, cs.status())
	}
	for _, v := range spec.Volumes {
		p.Spec.Volumes = append(p.Spec.Volumes, corev1.Volume{Name: v.Name, VolumeSource: corev1.VolumeSource{EmptyDir: v.EmptyDir}})
	}
	for _, c := range spec.InitContainers {
		p.Spec.InitContainers = append(p.Spec.InitContainers, corev1.Container{Name: c.Name, Resources: c.Resources})
	}
	for _, c := range spec.Containers {
		p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: c.Name, Resources: c.Resources})
	}
	return p
}
