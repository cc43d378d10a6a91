package synth

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

// kubeStart is when the synthetic cluster's objects were made.
var kubeStart = time.Date(2025, 3, 29, 6, 0, 0, 0, time.UTC)

// Pod returns the i-th synthetic Pod: a Deployment's replica of realistic size (labels,
// annotations, an app container with env, probes, mounts and limits and a sidecar, conditions
// and statuses, about 3 KB compact and 8 KB as kubectl -o json prints it). Every oomEvery-th pod's app container was
// OOMKilled and restarted; 0 means none.
func Pod(r *rand.Rand, i, oomEvery int) corev1.Pod {
	at := metav1.NewTime(kubeStart.Add(time.Duration(i) * time.Second))
	ns := fmt.Sprintf("team-%d", i%40)
	rs := fmt.Sprintf("web-%d-%s", i%300, token(r, 10))
	name := rs + "-" + token(r, 5)
	node := fmt.Sprintf("node-%d", i%60)
	mem := resource.MustParse("512Mi")
	cpu := resource.MustParse("250m")
	probe := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromInt32(8080), Scheme: "HTTP"}},
		PeriodSeconds: 10, TimeoutSeconds: 1, SuccessThreshold: 1, FailureThreshold: 3}
	container := func(cname, image string) corev1.Container {
		return corev1.Container{Name: cname, Image: image, ImagePullPolicy: corev1.PullIfNotPresent,
			Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 8080, Protocol: corev1.ProtocolTCP}},
			Env: []corev1.EnvVar{{Name: "POD_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.name"}}},
				{Name: "LOG_LEVEL", Value: "info"}, {Name: "GOMAXPROCS", Value: "2"}},
			Resources: corev1.ResourceRequirements{Limits: corev1.ResourceList{corev1.ResourceMemory: mem, corev1.ResourceCPU: cpu},
				Requests: corev1.ResourceList{corev1.ResourceMemory: mem, corev1.ResourceCPU: cpu}},
			VolumeMounts: []corev1.VolumeMount{{Name: "config", MountPath: "/etc/app"},
				{Name: "kube-api-access-" + token(r, 5), MountPath: "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnly: true}},
			LivenessProbe: probe, ReadinessProbe: probe,
			TerminationMessagePath: "/dev/termination-log", TerminationMessagePolicy: corev1.TerminationMessageReadFile}
	}
	status := func(cname, image string, oom bool) corev1.ContainerStatus {
		cs := corev1.ContainerStatus{Name: cname, Image: image, ImageID: image + "@sha256:" + token(r, 64),
			ContainerID: "containerd://" + token(r, 64), Ready: true, Started: new(true),
			State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: at}}}
		if oom {
			cs.RestartCount = 1
			cs.LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
				ExitCode: 137, Reason: "OOMKilled", StartedAt: at, FinishedAt: metav1.NewTime(at.Add(time.Minute)),
				ContainerID: "containerd://" + token(r, 64)}}
		}
		return cs
	}
	oom := oomEvery > 0 && i%oomEvery == 0
	cond := func(t corev1.PodConditionType) corev1.PodCondition {
		return corev1.PodCondition{Type: t, Status: corev1.ConditionTrue, LastTransitionTime: at}
	}
	return corev1.Pod{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, UID: types.UID("uid-" + token(r, 32)), ResourceVersion: fmt.Sprint(100000 + i),
			GenerateName: rs + "-", CreationTimestamp: at,
			Labels:          map[string]string{"app": "web", "pod-template-hash": token(r, 10), "team": ns},
			Annotations:     map[string]string{"kubectl.kubernetes.io/restartedAt": at.Format(time.RFC3339), "prometheus.io/scrape": "true"},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: rs, UID: types.UID("uid-" + token(r, 32)), Controller: new(true), BlockOwnerDeletion: new(true)}}},
		Spec: corev1.PodSpec{NodeName: node, ServiceAccountName: "default", RestartPolicy: corev1.RestartPolicyAlways, DNSPolicy: corev1.DNSClusterFirst,
			Containers: []corev1.Container{container("app", "registry.example.com/web:1.2."+fmt.Sprint(i%9)), {Name: "sidecar", Image: "registry.example.com/proxy:0.9",
				Resources: corev1.ResourceRequirements{Limits: corev1.ResourceList{corev1.ResourceMemory: mem}}}},
			Volumes: []corev1.Volume{{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "web-config"}}}},
				{Name: "cache", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
		},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, QOSClass: corev1.PodQOSGuaranteed, HostIP: "10.0.0." + fmt.Sprint(i%60), PodIP: "10.244.1." + fmt.Sprint(i%250),
			StartTime:  &at,
			Conditions: []corev1.PodCondition{cond(corev1.PodInitialized), cond(corev1.PodReady), cond(corev1.ContainersReady), cond(corev1.PodScheduled)},
			ContainerStatuses: []corev1.ContainerStatus{status("app", "registry.example.com/web:1.2."+fmt.Sprint(i%9), oom),
				status("sidecar", "registry.example.com/proxy:0.9", false)}},
	}
}

// PodList writes about size bytes of `kubectl get pods -A -o json`: a List of Pods (see Pod)
// with kubectl's 4-space indent, or on one line when oneLine (jq -c, the raw API). It returns
// the number of Pods and how many of them were OOMKilled.
func PodList(w io.Writer, size int64, oomEvery int, oneLine bool) (pods, ooms int, err error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	r := rand.New(rand.NewPCG(7, 11))
	indent := func(v any, prefix string) ([]byte, error) {
		if oneLine {
			return json.Marshal(v)
		}
		return json.MarshalIndent(v, prefix, "    ")
	}
	nl, sp := "\n", "    "
	if oneLine {
		nl, sp = "", ""
	}
	fmt.Fprintf(bw, `{%s%s"apiVersion": "v1",%s%s"items": [`, nl, sp, nl, sp)
	var written int64
	for written < size {
		b, err := indent(Pod(r, pods, oomEvery), sp+sp)
		if err != nil {
			return pods, ooms, err
		}
		if pods > 0 {
			bw.WriteString(",")
		}
		bw.WriteString(nl + sp + sp)
		bw.Write(b)
		written += int64(len(b))
		if oomEvery > 0 && pods%oomEvery == 0 {
			ooms++
		}
		pods++
	}
	fmt.Fprintf(bw, `%s%s],%s%s"kind": "List",%s%s"metadata": {%s%s%s"resourceVersion": ""%s%s}%s}`+"\n",
		nl, sp, nl, sp, nl, sp, nl, sp, sp, nl, sp, nl)
	return pods, ooms, bw.Flush()
}

// Event returns the i-th synthetic core/v1 Event; every evictEvery-th is the kubelet's
// Evicted Event, the others ordinary pod lifecycle traffic.
func Event(i, evictEvery int) corev1.Event {
	at := metav1.NewTime(kubeStart.Add(time.Duration(i) * time.Second))
	reasons := []string{"Pulled", "Created", "Started", "Killing", "Unhealthy", "BackOff", "Scheduled"}
	e := corev1.Event{
		TypeMeta:       metav1.TypeMeta{APIVersion: "v1", Kind: "Event"},
		ObjectMeta:     metav1.ObjectMeta{Name: fmt.Sprintf("web-%d.%x", i%500, i*7919), Namespace: "team", CreationTimestamp: at, ResourceVersion: fmt.Sprint(i)},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "team", Name: fmt.Sprintf("web-%d", i%500), APIVersion: "v1", FieldPath: "spec.containers{app}"},
		Reason:         reasons[i%len(reasons)], Type: "Normal",
		Message:        "Container image \"registry.example.com/web:1.2\" already present on machine",
		Source:         corev1.EventSource{Component: "kubelet", Host: fmt.Sprintf("node-%d", i%60)},
		FirstTimestamp: at, LastTimestamp: at, Count: 1,
	}
	if evictEvery > 0 && i%evictEvery == 0 {
		e.Reason, e.Type = "Evicted", "Warning"
		e.Message = "The node was low on resource: memory. Threshold quantity: 100Mi, available: 80216Ki. "
	}
	return e
}

// EventsYAML writes about size bytes of Events as one YAML List document, as kubectl get
// events -o yaml and must-gathers' events.yaml print it; every evictEvery-th Event is an
// eviction. It returns the number of Events.
func EventsYAML(w io.Writer, size int64, evictEvery int) (events int, err error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("apiVersion: v1\nitems:\n")
	var written int64
	for written < size {
		b, err := yaml.Marshal(Event(events, evictEvery))
		if err != nil {
			return events, err
		}
		for j, line := range splitLines(b) {
			if j == 0 {
				bw.WriteString("- ")
			} else {
				bw.WriteString("  ")
			}
			bw.Write(line)
			bw.WriteByte('\n')
			written += int64(len(line)) + 3
		}
		events++
	}
	bw.WriteString("kind: List\nmetadata:\n  resourceVersion: \"\"\n")
	return events, bw.Flush()
}

func splitLines(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := 0
		for i < len(b) && b[i] != '\n' {
			i++
		}
		out = append(out, b[:i])
		if i < len(b) {
			i++
		}
		b = b[i:]
	}
	return out
}
