package parsers

import (
	"encoding/json"
	"runtime"
	"sync"
)

// itemBatch is a run of List items cut from the stream, decoded on their own goroutines
// while the stream goes on. Cutting (json.Decoder's scan) must be done in order, one item
// after the other; decoding an item into Go values need not. A batch is bounded in items and
// in bytes, and two are alive at once: memory stays that of a few hundred items.
type itemBatch struct {
	raws  []json.RawMessage
	lines []int
	bytes int
	// set by start
	items []listItem
	errs  []error
	done  chan struct{}
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
func (b *itemBatch) add(raw json.RawMessage, line int) bool {
	b.raws = append(b.raws, raw)
	b.lines = append(b.lines, line)
	b.bytes += len(raw)
	return len(b.raws) >= batchItems || b.bytes >= batchBytes
}

// start decodes every item of the batch, one goroutine per core, each taking every
// workers-th item; done is closed when all are. An item that does not decode into a
// listItem has its error instead.
func (b *itemBatch) start() {
	b.items = make([]listItem, len(b.raws))
	b.errs = make([]error, len(b.raws))
	b.done = make(chan struct{})
	workers := min(runtime.GOMAXPROCS(0), len(b.raws))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(b.raws); i += workers {
				b.errs[i] = json.Unmarshal(b.raws[i], &b.items[i])
			}
		})
	}
	go func() {
		wg.Wait()
		b.raws = nil // the bytes go once decoded
		close(b.done)
	}()
}
