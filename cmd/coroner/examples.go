package main

import (
	"fmt"
	"strings"

	"github.com/alecthomas/kong"
)

// exampler is a command whose help ends with example command lines. kong prints a command's
// Help() text before its flags; examples belong after them, where a reader who scrolled past
// forty flags looks.
type exampler interface {
	examples() []string
}

// helpWithExamples prints kong's help, then the selected command's examples.
func helpWithExamples(options kong.HelpOptions, ctx *kong.Context) error {
	if err := kong.DefaultHelpPrinter(options, ctx); err != nil {
		return err
	}
	cmd := ctx.Selected()
	if cmd == nil || !cmd.Target.CanAddr() {
		return nil
	}
	e, ok := cmd.Target.Addr().Interface().(exampler)
	if !ok {
		return nil
	}
	var b strings.Builder
	b.WriteString("\nExamples:\n")
	for _, line := range e.examples() {
		b.WriteString("  " + line + "\n")
	}
	_, err := fmt.Fprint(ctx.Stdout, b.String())
	return err
}

func (*lokiCmd) examples() []string {
	return []string{
		"coroner loki --addr http://loki-gateway.monitoring:3100 --org-id prod --since 24h",
		"LOKI_ADDR=https://logs.example.com LOKI_USERNAME=1234 LOKI_PASSWORD=$TOKEN coroner loki --since 168h -f json > week.json",
		"coroner loki --addr http://loki:3100 --preset alloy --node-label instance --push-findings",
		"coroner loki --addr http://loki:3100 --node-label host --shard 0/4 -f json > s0.json   # then: coroner merge s*.json",
	}
}

func (*esCmd) examples() []string {
	return []string{
		"coroner elasticsearch --url https://es.example.com:9200 --api-key-file /run/secrets/es-key --since 24h",
		"coroner elasticsearch --url http://es:9200 --index 'logs-*' --events-index 'kube-events*' -f json > day.json",
		"coroner elasticsearch --cloud-id \"$ELASTIC_CLOUD_ID\" --api-key \"$KEY\" --index-findings coroner-findings",
	}
}

func (*osCmd) examples() []string {
	return []string{
		"coroner opensearch --url https://opensearch:9200 --username admin --password-file /run/secrets/pw --since 24h",
		"coroner opensearch --url http://os:9200 --preset fluent-bit --index 'logstash-*' -f json > day.json",
		"coroner opensearch --url http://os:9200 --events-index 'kube-events*' --index-findings coroner-findings",
	}
}
