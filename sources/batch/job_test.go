package batch

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/k8s-coroner/coroner/correlate/report"
	"github.com/k8s-coroner/coroner/sources"
)

// fakeStore is a store of kernel lines, one stream per node, and one cluster-wide stream of
// Events; it records what the job asks of it.
type fakeStore struct {
	docs      []Doc         // node documents, read by every window they fall in
	events    []Doc         // cluster documents
	fail      map[int]error // window index (by hour from t0) → error of the node query
	around    []Window      // reads around kills, as asked
	published []report.Death
	empty     error // ExplainEmpty's answer
}

func (f *fakeStore) Describe() Description {
	return Description{Store: "fake", Title: "Fake", URL: "http://fake", Unit: "line"}
}
func (f *fakeStore) Reach(context.Context) error { return nil }
func (f *fakeStore) TooLarge(error) bool         { return false }

func (f *fakeStore) Plan(_ context.Context, p Plan) ([]Query, error) {
	return []Query{
		{Text: "nodes", Fetch: func(_ context.Context, w Window, emit func(Doc)) error {
			if err := f.fail[int(w.From.Sub(t0)/time.Hour)]; err != nil {
				return err
			}
			return f.read(f.docs, w, emit)
		}},
		{Text: "events", Cluster: true, Fetch: func(_ context.Context, w Window, emit func(Doc)) error { return f.read(f.events, w, emit) }},
	}, nil
}

func (f *fakeStore) read(docs []Doc, w Window, emit func(Doc)) error {
	for _, d := range docs {
		if !d.Record.Time.Before(w.From) && d.Record.Time.Before(w.To) && !strings.HasPrefix(string(d.Record.Bytes), "context") {
			emit(d)
		}
	}
	return nil
}

func (f *fakeStore) Around(first Doc) func(context.Context, Window, func(Doc)) error {
	if first.Record.Program != "kernel" {
		return nil
	}
	return func(_ context.Context, w Window, emit func(Doc)) error {
		f.around = append(f.around, w)
		for _, d := range f.docs {
			if d.Stream == first.Stream && !d.Record.Time.Before(w.From) && d.Record.Time.Before(w.To) {
				emit(d) // the filtered lines again, and the context lines
			}
		}
		return nil
	}
}

func (f *fakeStore) Publishing() bool { return true }
func (f *fakeStore) Publish(_ context.Context, deaths []report.Death, _ time.Time) (int, error) {
	f.published = append(f.published, deaths...)
	return len(deaths), nil
}
func (f *fakeStore) ExplainEmpty(context.Context, time.Time, time.Time) error { return f.empty }

func kernelDoc(node string, at time.Time, text string) Doc {
	return Doc{Stream: node + ":kernel", Key: fmt.Sprint(at.UnixNano(), text),
		Record: sources.Record{Bytes: []byte(text), Time: at, Bare: true, Program: "kernel", Host: node}}
}

// read runs the job and returns each input's name and texts.
func read(t *testing.T, job *Job) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for in, err := range job.Inputs() {
		if err != nil {
			t.Fatal(err)
		}
		for rec := range in.Records {
			if rec.Line != len(out[in.Name])+1 {
				t.Errorf("%s: line %d numbered %d", in.Name, len(out[in.Name])+1, rec.Line)
			}
			out[in.Name] = append(out[in.Name], string(rec.Bytes))
		}
	}
	return out
}

func isKill(s string) bool { return strings.HasPrefix(s, "Killed") }

// The job keeps each record once, in time order, reads the whole report around each kill
// (merging the reads of nearby kills) and counts what it shipped.
func TestJobReadsAroundKillsOnce(t *testing.T) {
	f := &fakeStore{docs: []Doc{
		kernelDoc("n1", t0.Add(90*time.Minute), "Killed process 1 (a)"),
		kernelDoc("n1", t0.Add(90*time.Minute-time.Second), "context: invoked oom-killer"),
		kernelDoc("n1", t0.Add(90*time.Minute+time.Second), "Killed process 2 (b)"),
		kernelDoc("n1", t0.Add(30*time.Minute), "Killed process 3 (c)"),
	}}
	job, err := Start(context.Background(), f, Options{From: t0, To: t0.Add(2 * time.Hour), ReportLine: isKill})
	if err != nil {
		t.Fatal(err)
	}
	got := read(t, job)
	want := map[string][]string{"fake:n1:kernel": {"Killed process 3 (c)", "context: invoked oom-killer", "Killed process 1 (a)", "Killed process 2 (b)"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("inputs (-want +got):\n%s", d)
	}
	wantAround := []Window{{t0.Add(30*time.Minute - 3*time.Second), t0.Add(30*time.Minute + 2*time.Second)},
		{t0.Add(90*time.Minute - 3*time.Second), t0.Add(90*time.Minute + 3*time.Second)}}
	if d := cmp.Diff(wantAround, f.around); d != "" {
		t.Errorf("reads around kills (-want +got):\n%s", d)
	}
	if job.Stats.Windows != 2 || job.Stats.Lines != 4 || job.Stats.ContextLines != 1 {
		t.Errorf("stats %+v, want 2 windows, 4 lines of which 1 read around a kill", job.Stats)
	}
}

// A shard keeps its own nodes' records, and only shard 0 reads the cluster's Events, which
// no node filter touches.
func TestJobShard(t *testing.T) {
	ev := Doc{Stream: "events", Key: "e", Record: sources.Record{Bytes: []byte("Evicted"), Time: t0, Host: "n1"}}
	var docs []Doc
	nodes := []string{"n1", "n2", "n3", "n4", "n5", "n6"}
	for _, n := range nodes {
		docs = append(docs, kernelDoc(n, t0, "Killed process 1 (x)"))
	}
	seen := map[string]int{}
	events := 0
	for i := range 3 {
		sh := Shard{I: i, N: 3}
		job, err := Start(context.Background(), &fakeStore{docs: docs, events: []Doc{ev}}, Options{From: t0, To: t0.Add(time.Hour), Shard: &sh})
		if err != nil {
			t.Fatal(err)
		}
		for name := range read(t, job) {
			if name == "fake:events" {
				events++
				continue
			}
			node := strings.TrimSuffix(strings.TrimPrefix(name, "fake:"), ":kernel")
			if !sh.Holds(node) {
				t.Errorf("shard %s read node %s", sh, node)
			}
			seen[node]++
		}
		if q := job.Queries(); (i == 0) != (len(q) == 2) {
			t.Errorf("shard %s queries %q", sh, q)
		}
	}
	for _, n := range nodes {
		if seen[n] != 1 {
			t.Errorf("node %s read by %d shards, want 1", n, seen[n])
		}
	}
	if events != 1 {
		t.Errorf("the Events were read by %d shards, want 1", events)
	}
}

// Finish writes the transfer, a warning per missing window, publishes the deaths, and says
// how complete the report is.
func TestJobFinish(t *testing.T) {
	broken := errors.New("503 ingester unavailable")
	tests := []struct {
		reason  string
		store   *fakeStore
		outcome string // the error's text, "" for none
		pushed  int
	}{
		{"every window read", &fakeStore{docs: []Doc{kernelDoc("n1", t0, "Killed process 1 (x)")}}, "", 1},
		{"one of two windows missing", &fakeStore{docs: []Doc{kernelDoc("n1", t0, "Killed process 1 (x)")}, fail: map[int]error{1: broken}},
			"1 window(s) of the range could not be read; the analysis is incomplete there", 1},
		{"nothing read", &fakeStore{fail: map[int]error{0: broken, 1: broken}},
			"nothing could be read from Fake: 503 ingester unavailable", 1},
		{"read, but empty for a reason the store knows", &fakeStore{empty: errors.New("no documents have field message")},
			"no documents have field message", 0},
	}
	for _, tt := range tests {
		job, err := Start(context.Background(), tt.store, Options{From: t0, To: t0.Add(2 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		read(t, job)
		rep := &report.Report{Deaths: []report.Death{{Pod: "api"}}}
		got := ""
		if err := job.Finish(context.Background(), rep); err != nil {
			got = err.Error()
		}
		if got != tt.outcome {
			t.Errorf("%s: outcome %q, want %q", tt.reason, got, tt.outcome)
		}
		tr := rep.Transfer
		if tr == nil || tr.Store != "fake" || len(tr.Missing) != len(tt.store.fail) || tr.Pushed != tt.pushed || len(tt.store.published) != tt.pushed {
			t.Errorf("%s: transfer %+v, published %d", tt.reason, tr, len(tt.store.published))
			continue
		}
		if len(rep.Warnings) < len(tr.Missing) {
			t.Errorf("%s: %d warnings for %d missing windows", tt.reason, len(rep.Warnings), len(tr.Missing))
		}
	}
}

// TestJobContextReadsCap: past --context-reads, the reads around further kills are not made,
// and the report says how many; without a cap every kill is read around. The cap of 500 was
// fixed and silent: kill 501 and on had only their filtered lines, without a word.
func TestJobContextReadsCap(t *testing.T) {
	var docs []Doc
	for i := range 5 {
		docs = append(docs, kernelDoc("n1", t0.Add(time.Duration(i)*time.Minute), fmt.Sprintf("Killed process %d (a)", i)))
	}
	for _, tt := range []struct {
		cap, reads int
		warning    string
	}{
		{2, 2, "3 more reads were not made"},
		{0, 5, ""},
	} {
		f := &fakeStore{docs: docs}
		job, err := Start(context.Background(), f, Options{From: t0, To: t0.Add(time.Hour), ReportLine: isKill, ContextReads: tt.cap})
		if err != nil {
			t.Fatal(err)
		}
		read(t, job)
		rep := &report.Report{}
		job.Finish(context.Background(), rep)
		if len(f.around) != tt.reads {
			t.Errorf("cap %d: %d reads around kills, want %d", tt.cap, len(f.around), tt.reads)
		}
		said := strings.Join(rep.Warnings, "\n")
		if tt.warning == "" && said != "" || !strings.Contains(said, tt.warning) {
			t.Errorf("cap %d: warnings %q, want one saying %q", tt.cap, said, tt.warning)
		}
	}
}
