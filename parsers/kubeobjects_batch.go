package parsers

import (
	"encoding/json"
	"runtime"
	"sync"

	"sigs.k8s.io/yaml"
)

// itemBatch is a run of List items cut from the stream, decoded on their own goroutines
// while the stream goes on. Cutting (json.Decoder's scan, or the lines of a YAML block
// sequence) must be done in order, one item after the other; decoding an item into Go
// values need not. A batch is bounded in items and in bytes, and two are alive at once:
// memory stays that of a few hundred items.
type itemBatch struct {
	yaml  bool // the items are YAML, turned into JSON first
	raws  []json.RawMessage
	lines []int // where each item starts, for its warnings
	at    []int // the line each item's events are at
	bytes int
	// set by start
	items    []listItem
	errs     []error // the JSON did not decode into a listItem
	yamlErrs []error // the YAML did not turn into JSON
	done     chan struct{}
}

// Small batches keep both cores busy: the reader waits for a batch only when the next is cut
// first. A 300 MiB List took 2.5-3.0 s with 64 items (1 MiB), 2.9-3.0 s with 128 (2 MiB) and
// 3.4-3.9 s with 256 (8 MiB), at 96-104 MiB RSS each, in one quarter hour's runs (this
// machine's times spread by a third between hours).
const (
	batchItems = 64
	batchBytes = 1 << 20
)

// add appends an item and reports whether the batch is full.
func (b *itemBatch) add(raw []byte, line, at int) bool {
	b.raws = append(b.raws, raw)
	b.lines = append(b.lines, line)
	b.at = append(b.at, at)
	b.bytes += len(raw)
	return len(b.raws) >= batchItems || b.bytes >= batchBytes
}

// start decodes every item of the batch, one goroutine per core, each taking every
// workers-th item; done is closed when all are.
func (b *itemBatch) start() {
	b.items = make([]listItem, len(b.raws))
	b.errs = make([]error, len(b.raws))
	b.yamlErrs = make([]error, len(b.raws))
	b.done = make(chan struct{})
	workers := min(runtime.GOMAXPROCS(0), len(b.raws))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(b.raws); i += workers {
				b.decodeItem(i)
			}
		})
	}
	go func() {
		wg.Wait()
		close(b.done)
	}()
}

func (b *itemBatch) decodeItem(i int) {
	if b.yaml {
		j, err := yaml.YAMLToJSON(b.raws[i])
		if err != nil {
			b.yamlErrs[i] = err
			return
		}
		b.raws[i] = j // kept: an item that is no listItem is read again as an object
	}
	b.errs[i] = json.Unmarshal(b.raws[i], &b.items[i])
}

// itemPipe cuts items into batches and emits each batch, in order, once it is decoded,
// while the next is cut.
type itemPipe struct {
	yaml     bool
	emit     func(*itemBatch)
	cut      *itemBatch // being filled
	decoding *itemBatch // decoding while the next is cut
}

// add takes the next item; a full batch goes to be decoded.
func (p *itemPipe) add(raw []byte, line, at int) {
	if p.cut == nil {
		p.cut = &itemBatch{yaml: p.yaml}
	}
	if p.cut.add(raw, line, at) {
		p.hand()
	}
}

// hand emits the batch being decoded and starts decoding the one cut.
func (p *itemPipe) hand() {
	p.finish()
	if p.cut != nil && len(p.cut.raws) > 0 {
		p.cut.start()
		p.decoding, p.cut = p.cut, nil
	}
}

func (p *itemPipe) finish() {
	if p.decoding != nil {
		<-p.decoding.done
		p.emit(p.decoding)
		p.decoding = nil
	}
}

// flush emits every item taken so far: before anything else is said about the input, so
// that events and warnings stay in the input's order.
func (p *itemPipe) flush() {
	p.hand()
	p.finish()
}
