// Command genobjects writes the large Kubernetes object inputs the objects benchmarks and
// end-to-end measurements read: a kubectl get pods -A -o json List, and an events YAML List.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/k8s-coroner/coroner/parsers/synth"
)

func main() {
	mb := flag.Int64("mb", 300, "size of the generated file in MiB")
	kind := flag.String("kind", "pods", "pods (JSON List), pods-oneline (the List on one line) or events-yaml")
	every := flag.Int("every", 50, "one OOMKilled pod (or Evicted event) per this many objects")
	out := flag.String("o", "/tmp/big-list.json", "output file")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var n, special int
	switch *kind {
	case "pods", "pods-oneline":
		n, special, err = synth.PodList(f, *mb<<20, *every, *kind == "pods-oneline")
	case "events-yaml":
		n, err = synth.EventsYAML(f, *mb<<20, *every)
	default:
		err = fmt.Errorf("unknown -kind %q", *kind)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d objects, %d special\n", *out, n, special)
}
