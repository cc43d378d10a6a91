// Command coroner performs the post-mortem on Kubernetes containers that died of memory.
package main

import (
	"os"

	"github.com/k8s-coroner/coroner/cmd/coroner/cli"
	"github.com/k8s-coroner/coroner/cmd/coroner/gctune"
)

func main() {
	gctune.Start()
	os.Exit(cli.Run(os.Args[1:], cli.OS()))
}
