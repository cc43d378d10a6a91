// Command kubeobjects writes Pods and Events the way `kubectl get pods|events -o json` prints
// them, for the golden cases: the objects are built with the k8s.io/api types (so fields,
// types and omissions are the API server's) and printed like kubectl's JSON printer, keys in
// alphabetical order with four-space indentation, wrapped in a v1 List. No API server is
// reachable here, so this is how the golden cases get objects a real one would return.
//
// Usage: go run ./golden/lab/kubeobjects [-yaml] < spec.json > objects.json
// where spec.json is {"pods":[…]} or {"events":[…]} in the compact form of the types below.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/yaml"
)

type spec struct {
	Pods   []podSpec   `json:"pods"`
	Events []eventSpec `json:"events"`
}

type podSpec struct {
	Name, Namespace, UID, Node, QoS, Created, Phase, Reason, Message, HostIP, PodIP string
	Containers                                                                      []containerSpec
	MemoryVolumes                                                                   []string // emptyDir volumes with medium Memory
	Disrupted                                                                       string   // the DisruptionTarget condition's time (1.26+ evictions)
}

type containerSpec struct {
	Name, Image, ID, ReqMem, LimMem string
	Restarts                        int32
	Running                         string // startedAt of the running state, "" when terminated
	State, Last                     *termSpec
}

type termSpec struct {
	Reason            string
	Exit              int32
	Started, Finished string
	ID                string
}

type eventSpec struct {
	Kind, Namespace, Name, UID, FieldPath, Reason, Message, Type, Component, Host string
	First, Last                                                                   string
	Count                                                                         int32
}

func main() {
	var s spec
	if err := json.NewDecoder(os.Stdin).Decode(&s); err != nil {
		fmt.Fprintln(os.Stderr, "kubeobjects:", err)
		os.Exit(1)
	}
	var items []any
	for _, p := range s.Pods {
		items = append(items, pod(p))
	}
	for _, e := range s.Events {
		items = append(items, event(e))
	}
	list := map[string]any{"apiVersion": "v1", "kind": "List", "metadata": map[string]any{"resourceVersion": ""}, "items": generic(items)}
	out, _ := json.MarshalIndent(list, "", "    ")
	if len(os.Args) > 1 && os.Args[1] == "-yaml" { // as oc adm inspect / kubectl -o yaml write it
		y, err := yaml.JSONToYAML(out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "kubeobjects:", err)
			os.Exit(1)
		}
		fmt.Print(string(y))
		return
	}
	fmt.Println(string(out))
}

// generic round-trips typed objects through maps, which is what kubectl prints from: keys
// sorted, zero values as the API's JSON tags leave them.
func generic(items []any) []any {
	out := []any{}
	for _, it := range items {
		b, _ := json.Marshal(it)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		out = append(out, m)
	}
	return out
}

func ts(s string) metav1.Time {
	if s == "" {
		return metav1.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return metav1.NewTime(t)
}

func pod(p podSpec) *corev1.Pod {
	o := &corev1.Pod{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"}}
	o.ObjectMeta = metav1.ObjectMeta{Name: p.Name, Namespace: p.Namespace, UID: types.UID(p.UID), ResourceVersion: "48213",
		CreationTimestamp: ts(p.Created), Labels: map[string]string{"app": p.Name}}
	o.Spec = corev1.PodSpec{NodeName: p.Node, RestartPolicy: corev1.RestartPolicyAlways, DNSPolicy: corev1.DNSClusterFirst,
		SchedulerName: "default-scheduler", ServiceAccountName: "default", TerminationGracePeriodSeconds: ptr(int64(30)),
		EnableServiceLinks: ptr(true), PreemptionPolicy: ptr(corev1.PreemptLowerPriority), Priority: ptr(int32(0))}
	o.Status = corev1.PodStatus{Phase: corev1.PodPhase(p.Phase), QOSClass: corev1.PodQOSClass(p.QoS), Reason: p.Reason, Message: p.Message,
		HostIP: p.HostIP, PodIP: p.PodIP, StartTime: ptr(ts(p.Created))}
	for _, v := range p.MemoryVolumes {
		o.Spec.Volumes = append(o.Spec.Volumes, corev1.Volume{Name: v, VolumeSource: corev1.VolumeSource{
			EmptyDir: &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumMemory}}})
	}
	if p.Disrupted != "" {
		o.Status.Conditions = append(o.Status.Conditions, corev1.PodCondition{Type: "DisruptionTarget", Status: corev1.ConditionTrue,
			Reason: "TerminationByKubelet", Message: p.Message, LastTransitionTime: ts(p.Disrupted)})
	}
	for _, c := range p.Containers {
		ct := corev1.Container{Name: c.Name, Image: c.Image, ImagePullPolicy: corev1.PullIfNotPresent,
			TerminationMessagePath: "/dev/termination-log", TerminationMessagePolicy: corev1.TerminationMessageReadFile}
		if c.ReqMem != "" || c.LimMem != "" {
			ct.Resources = corev1.ResourceRequirements{Requests: corev1.ResourceList{}, Limits: corev1.ResourceList{}}
			if c.ReqMem != "" {
				ct.Resources.Requests[corev1.ResourceMemory] = resource.MustParse(c.ReqMem)
			}
			if c.LimMem != "" {
				ct.Resources.Limits[corev1.ResourceMemory] = resource.MustParse(c.LimMem)
			} else {
				ct.Resources.Limits = nil
			}
		}
		o.Spec.Containers = append(o.Spec.Containers, ct)
		cs := corev1.ContainerStatus{Name: c.Name, Image: c.Image, ImageID: c.Image, ContainerID: c.ID, RestartCount: c.Restarts}
		if c.Running != "" {
			cs.State.Running = &corev1.ContainerStateRunning{StartedAt: ts(c.Running)}
			cs.Ready, cs.Started = true, ptr(true)
		} else if c.State != nil {
			cs.State.Terminated = term(c.State, c.ID)
			cs.Started = ptr(false)
		}
		if c.Last != nil {
			cs.LastTerminationState.Terminated = term(c.Last, c.Last.ID)
		}
		o.Status.ContainerStatuses = append(o.Status.ContainerStatuses, cs)
	}
	return o
}

func term(t *termSpec, id string) *corev1.ContainerStateTerminated {
	return &corev1.ContainerStateTerminated{Reason: t.Reason, ExitCode: t.Exit, StartedAt: ts(t.Started), FinishedAt: ts(t.Finished), ContainerID: id}
}

func event(e eventSpec) *corev1.Event {
	o := &corev1.Event{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Event"}}
	o.ObjectMeta = metav1.ObjectMeta{Name: fmt.Sprintf("%s.%x", e.Name, len(e.Message)*7919+int(e.Count)), Namespace: e.Namespace,
		UID: types.UID(fmt.Sprintf("4f7c%04x-93c1-4b2e-8d0a-%012x", len(e.Reason), len(e.Message))), ResourceVersion: "48250",
		CreationTimestamp: ts(e.First)}
	if o.Namespace == "" {
		o.Namespace = "default"
	}
	o.InvolvedObject = corev1.ObjectReference{Kind: e.Kind, Namespace: e.Namespace, Name: e.Name, UID: types.UID(e.UID), FieldPath: e.FieldPath}
	if e.Kind == "Pod" {
		o.InvolvedObject.APIVersion, o.InvolvedObject.ResourceVersion = "v1", "48190"
	}
	o.Reason, o.Message, o.Type = e.Reason, e.Message, e.Type
	o.Source = corev1.EventSource{Component: e.Component, Host: e.Host}
	o.FirstTimestamp, o.LastTimestamp, o.Count = ts(e.First), ts(e.Last), e.Count
	o.ReportingController, o.ReportingInstance = e.Component, e.Host
	return o
}

func ptr[T any](v T) *T { return &v }
