package cli

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/k8s-coroner/coroner/correlate"
	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/sources/batch"
)

// mergeCmd joins the JSON reports of sharded runs.
type mergeCmd struct {
	Reports []string `arg:"" name:"report" help:"JSON reports of coroner loki or analyze (--format json)."`
	outputFlags
}

func (m *mergeCmd) Run(env *Env) error {
	var reps []*report.Report
	for _, p := range m.Reports {
		b, err := os.ReadFile(env.path(p))
		if err != nil {
			return &exitError{exitUsage, err}
		}
		var r report.Report
		if err := json.Unmarshal(b, &r); err != nil {
			return &exitError{exitUsage, fmt.Errorf("%s: not a coroner JSON report: %w", p, err)}
		}
		reps = append(reps, &r)
	}
	shards := make([]string, len(reps))
	for i, r := range reps {
		if r.Transfer != nil {
			shards[i] = r.Transfer.Shard
		}
	}
	missing, err := batch.CheckShards(shards)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	rep, err := correlate.MergeReports(reps)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	for _, s := range missing {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("shard %s is not among the merged reports: the nodes that fall to it are not analysed", s))
	}
	if err := m.write(env, rep); err != nil {
		return err
	}
	if len(missing) > 0 {
		return &exitError{exitPartial, fmt.Errorf("%d of %d shards missing", len(missing), missing[0].N)}
	}
	return nil
}
