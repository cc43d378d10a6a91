package parsers

// readEvictions decodes what an eviction's event says, once its parser has finished it (a
// kubectl row's message may continue on the next lines): the correlator judges the facts,
// never the kubelet's wording.
func readEvictions(ev Event) {
	switch e := ev.(type) {
	case *KubeEvent:
		if e.Reason == "Evicted" {
			e.Eviction = parseEvictionMessage(e.Message)
			e.EvictionAnnotations = readEvictionAnnotations(e.Annotations)
		}
	case *KubeletLine:
		if e.Kind == KubeletEvicted || e.Kind == KubeletEvicting {
			e.Eviction = parseEvictionMessage(e.Message)
		}
	}
}
