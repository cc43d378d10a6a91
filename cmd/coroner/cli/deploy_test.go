package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/k8s-coroner/coroner/sources/batch"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

const deployDir = "../../../deploy"

// manifestKinds are the kinds deploy/ may hold, each decoded into its k8s.io/api type; any
// other kind is a mistake (or needs adding here, with its type).
var manifestKinds = map[string]func() any{
	"batch/v1 CronJob":         func() any { return &batchv1.CronJob{} },
	"batch/v1 Job":             func() any { return &batchv1.Job{} },
	"v1 Secret":                func() any { return &corev1.Secret{} },
	"v1 ConfigMap":             func() any { return &corev1.ConfigMap{} },
	"v1 ServiceAccount":        func() any { return &corev1.ServiceAccount{} },
	"v1 PersistentVolumeClaim": func() any { return &corev1.PersistentVolumeClaim{} },
	"v1 Pod":                   func() any { return &corev1.Pod{} },
}

// TestDeployManifests decodes every document of deploy/*.yaml strictly, as the API server's
// strict field validation does (case-sensitive, no unknown or duplicate field), and parses
// the arguments of every container with coroner's own command line: a misspelt field, a
// flag that does not exist or a bad flag value fails here rather than in a cluster.
func TestDeployManifests(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(deployDir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in %s: %v", deployDir, err)
	}
	written := map[string]bool{} // files the jobs write, for the merge step's inputs
	var merges []parsedArgs
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range splitYAML(data) {
			where := fmt.Sprintf("%s document %d", filepath.Base(file), i+1)
			obj, err := decodeManifest(doc)
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			for _, p := range podsOf(t, where, obj) {
				for _, c := range append(append([]corev1.Container{}, p.spec.InitContainers...), p.spec.Containers...) {
					for _, index := range p.indexes {
						a := checkContainer(t, fmt.Sprintf("%s container %s", where, c.Name), c, index)
						checkShard(t, a, index, len(p.indexes))
						if a.output != "" {
							if written[a.output] {
								t.Errorf("%s container %s: %s is written twice", where, c.Name, a.output)
							}
							written[a.output] = true
						}
						if a.command == "merge" {
							merges = append(merges, a)
						}
					}
				}
			}
		}
	}
	for _, m := range merges {
		for _, r := range m.reports {
			if !written[r] {
				t.Errorf("%s: merges %s, which no job writes", m.where, r)
			}
		}
	}
}

// TestDeployNodeRecipe parses the coroner command lines of deploy/node-debug.md.
func TestDeployNodeRecipe(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(deployDir, "node-debug.md"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "kubectl debug node/") {
			continue
		}
		n++
		where := fmt.Sprintf("node-debug.md:%d", i+1)
		_, cmd, ok := strings.Cut(line, " -- ")
		if !ok || !strings.Contains(line, "--profile=sysadmin") {
			t.Errorf("%s: want --profile=sysadmin and -- coroner …: %s", where, line)
			continue
		}
		args := strings.Fields(cmd)
		if args[0] != "coroner" {
			t.Errorf("%s: runs %s, not coroner", where, args[0])
			continue
		}
		a := parseCoroner(t, where, args[1:])
		if a.command != "node" || a.root != "/host" {
			t.Errorf("%s: want coroner node --root /host, got %s with root %q", where, a.command, a.root)
		}
	}
	if n == 0 {
		t.Error("node-debug.md has no kubectl debug node/… line")
	}
}

// splitYAML cuts a multi-document YAML file at its "---" lines; documents holding only
// comments are dropped.
func splitYAML(data []byte) [][]byte {
	var docs [][]byte
	for _, doc := range regexp.MustCompile(`(?m)^---[ \t]*$`).Split(string(data), -1) {
		for _, line := range strings.Split(doc, "\n") {
			if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "#") {
				docs = append(docs, []byte(doc))
				break
			}
		}
	}
	return docs
}

func decodeManifest(doc []byte) (any, error) {
	j, err := yaml.YAMLToJSONStrict(doc) // duplicate keys fail
	if err != nil {
		return nil, err
	}
	var tm metav1.TypeMeta
	if err := kjson.UnmarshalCaseSensitivePreserveInts(j, &tm); err != nil {
		return nil, err
	}
	newObj, ok := manifestKinds[tm.APIVersion+" "+tm.Kind]
	if !ok {
		return nil, fmt.Errorf("unknown kind %q %q", tm.APIVersion, tm.Kind)
	}
	obj := newObj()
	strict, err := kjson.UnmarshalStrict(j, obj)
	if err != nil {
		return nil, err
	}
	if len(strict) > 0 {
		return nil, fmt.Errorf("%s: %v", tm.Kind, strict)
	}
	meta := obj.(metav1.Object)
	if meta.GetName() == "" || meta.GetNamespace() == "" {
		return nil, fmt.Errorf("%s without a name or namespace", tm.Kind)
	}
	return obj, nil
}

// pod is a pod template and the completion indexes its pods run with ("" when not Indexed).
type pod struct {
	spec    corev1.PodSpec
	indexes []string
}

// checkShard: pod I of an Indexed Job of N completions must analyse shard I/N, or the
// shards would overlap or leave nodes out.
func checkShard(t *testing.T, a parsedArgs, index string, completions int) {
	t.Helper()
	if index == "" {
		return
	}
	if want := index + "/" + strconv.Itoa(completions); a.shard != want {
		t.Errorf("%s: --shard %q in pod %s of %d completions, want %s", a.where, a.shard, index, completions, want)
	}
}

func podsOf(t *testing.T, where string, obj any) []pod {
	t.Helper()
	switch o := obj.(type) {
	case *batchv1.CronJob:
		if f := strings.Fields(o.Spec.Schedule); len(f) != 5 {
			t.Errorf("%s: schedule %q is not five cron fields", where, o.Spec.Schedule)
		}
		return []pod{jobPod(t, where, o.Spec.JobTemplate.Spec)}
	case *batchv1.Job:
		return []pod{jobPod(t, where, o.Spec)}
	case *corev1.Pod:
		return []pod{{spec: o.Spec, indexes: []string{""}}}
	}
	return nil
}

func jobPod(t *testing.T, where string, spec batchv1.JobSpec) pod {
	t.Helper()
	if rp := spec.Template.Spec.RestartPolicy; rp != corev1.RestartPolicyNever && rp != corev1.RestartPolicyOnFailure {
		t.Errorf("%s: a Job's pods need restartPolicy Never or OnFailure, not %q", where, rp)
	}
	p := pod{spec: spec.Template.Spec, indexes: []string{""}}
	if spec.CompletionMode != nil && *spec.CompletionMode == batchv1.IndexedCompletion {
		if spec.Completions == nil || *spec.Completions < 1 {
			t.Errorf("%s: an Indexed Job needs completions", where)
			return p
		}
		p.indexes = nil
		for i := range *spec.Completions {
			p.indexes = append(p.indexes, strconv.Itoa(int(i)))
		}
	}
	return p
}

// parsedArgs is what a coroner command line asks for.
type parsedArgs struct {
	where, command string
	root, output   string
	shard          string
	reports        []string
}

// checkContainer parses a container's coroner command line as the pod of completion index
// `index` runs it: $(VAR) expanded from the container's env (and JOB_COMPLETION_INDEX, which
// the Job controller sets), its literal env set for coroner's env-backed flags.
func checkContainer(t *testing.T, where string, c corev1.Container, index string) parsedArgs {
	t.Helper()
	if index != "" {
		where += " index " + index
	}
	if len(c.Command) > 0 && c.Command[0] != "coroner" && c.Command[0] != "/usr/local/bin/coroner" {
		t.Errorf("%s: runs %v, not coroner (the image's entrypoint)", where, c.Command)
		return parsedArgs{}
	}
	env := map[string]string{}
	if index != "" {
		env["JOB_COMPLETION_INDEX"] = index
	}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil:
			env[e.Name] = "from-secret-" + e.ValueFrom.SecretKeyRef.Name
		case e.ValueFrom != nil:
			env[e.Name] = "from-" + e.Name
		default:
			env[e.Name] = e.Value
		}
	}
	var args []string
	if len(c.Command) > 0 {
		args = append(args, c.Command[1:]...)
	}
	ref := regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)
	var expanded []string
	for _, a := range append(args, c.Args...) {
		expanded = append(expanded, ref.ReplaceAllStringFunc(a, func(m string) string {
			name := ref.FindStringSubmatch(m)[1]
			v, ok := env[name]
			if !ok {
				t.Errorf("%s: %s is not in the container's env; Kubernetes would leave it as is", where, m)
			}
			return v
		}))
	}
	var a parsedArgs
	t.Run(strings.ReplaceAll(where, " ", "_"), func(t *testing.T) {
		for k, v := range env {
			t.Setenv(k, v)
		}
		a = parseCoroner(t, where, expanded)
	})
	return a
}

// parseCoroner parses args with coroner's command line and checks the values that only a
// command's Run would otherwise check (ranges, shards).
func parseCoroner(t *testing.T, where string, args []string) parsedArgs {
	t.Helper()
	a := parsedArgs{where: where}
	var c commands
	exited := false
	parser, err := newParser(&c, &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard}, func(int) { exited = true })
	if err != nil {
		t.Fatal(err)
	}
	ctx, err := parser.Parse(args)
	if err != nil || exited {
		t.Errorf("%s: coroner %s: %v", where, strings.Join(args, " "), err)
		return a
	}
	a.command = strings.Fields(ctx.Command())[0]
	now := time.Now()
	check := func(err error) {
		if err != nil {
			t.Errorf("%s: %v", where, err)
		}
	}
	switch a.command {
	case "loki":
		_, _, err := c.Loki.Range(now)
		check(err)
		a.shard, a.output = c.Loki.Shard, c.Loki.OutputFile
		if c.Loki.Store.URL == "" {
			t.Errorf("%s: no Loki URL (--url or LOKI_ADDR)", where)
		}
	case "elasticsearch", "opensearch":
		e := c.Elasticsearch.batchJob
		if a.command == "opensearch" {
			e = c.Opensearch.batchJob
		}
		_, _, err := e.Range(now)
		check(err)
		a.shard, a.output = e.Shard, e.OutputFile
		if a.command == "elasticsearch" && len(c.Elasticsearch.Store.URL) == 0 && c.Elasticsearch.Store.CloudID == "" {
			t.Errorf("%s: no Elasticsearch URL (--url or ELASTICSEARCH_URL)", where)
		}
	case "merge":
		a.reports, a.output = c.Merge.Reports, c.Merge.OutputFile
	case "node":
		a.root, a.output = c.Node.Root, c.Node.OutputFile
	case "analyze":
		a.output = c.Analyze.OutputFile
	}
	if a.shard != "" {
		_, err := batch.ParseShard(a.shard)
		check(err)
	}
	return a
}
