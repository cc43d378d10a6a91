package elastic

import (
	"errors"
	"fmt"
	"io"

	"github.com/k8s-coroner/coroner/sources/jsonstream"
)

// decodeSearch reads one page of a search answer as it arrives, kept apart from the scan so
// that whatever a cluster or a proxy answers can be fuzzed without a server. Each hit is
// decoded on its own, so a page of large documents is held once, as its hits, never also as
// the answer's bytes. A page is its hits, or an error when it is no JSON or a shard failed (a
// partial page would lose documents silently).
func decodeSearch(r io.Reader) (searchResponse, error) {
	var resp searchResponse
	w := jsonstream.New(r)
	err := w.Object("the answer", func(key string) error {
		switch key {
		case "pit_id":
			return w.Decode(&resp.PitID)
		case "_shards":
			return w.Decode(&resp.Shards)
		case "hits":
			return w.Object("its hits", func(key string) error {
				if key != "hits" {
					return w.Skip()
				}
				return w.Array("its hits' hits", func() error {
					var h Hit
					err := w.Decode(&h)
					resp.Hits.Hits = append(resp.Hits.Hits, h)
					return err
				})
			})
		}
		return w.Skip()
	})
	var shape *jsonstream.ShapeError
	switch {
	case errors.As(err, &shape):
		return searchResponse{}, fmt.Errorf("search response: %w", err)
	case err != nil:
		return searchResponse{}, fmt.Errorf("search response is not JSON: %w", err)
	}
	if resp.Shards.Failed > 0 {
		why := ""
		if len(resp.Shards.Failures) > 0 {
			why = ": " + resp.Shards.Failures[0].Reason.Type + " " + resp.Shards.Failures[0].Reason.Reason
		}
		return searchResponse{}, fmt.Errorf("%d shard(s) failed%s", resp.Shards.Failed, why)
	}
	return resp, nil
}
