package parsers

// An Event is what a parser recognised. The set is closed (the unexported method seals it),
// so a type switch over these cases is exhaustive:
//
//	*KernelOOM      a kernel OOM-killer invocation with its kill(s)
//	*IncompleteOOM  an OOM invocation whose kill line the input does not show
//	*KubeletLine    a kubelet log line that matters for a memory death (eviction, kill, probe, PLEG)
//	*RuntimeLine    a runtime's or systemd's word on a container: an OOM in its cgroup, an exit
//	*KubeEvent      a Kubernetes Event, from an object, a kubectl table or a log line
//	*PodStatus      a Pod object: its containers' states, QoS, node, requests and limits
//	*NodeMemory     a node's memory capacity and allocatable from kubectl describe node
//
// A line a parser could not read in full is no Event: it goes to Out.Warn.
type Event interface {
	// First is the first line of evidence, used for ordering and messages.
	First() Pos
	event()
}

var (
	_ Event = (*KernelOOM)(nil)
	_ Event = (*IncompleteOOM)(nil)
	_ Event = (*KubeletLine)(nil)
	_ Event = (*RuntimeLine)(nil)
	_ Event = (*KubeEvent)(nil)
	_ Event = (*PodStatus)(nil)
	_ Event = (*NodeMemory)(nil)
)

func (*KernelOOM) event()     {}
func (*IncompleteOOM) event() {}
func (*KubeletLine) event()   {}
func (*RuntimeLine) event()   {}
func (*KubeEvent) event()     {}
func (*PodStatus) event()     {}
func (*NodeMemory) event()    {}
