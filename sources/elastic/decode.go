package elastic

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// decodeSearch reads one page of a search answer, kept apart from the scan so that whatever
// a cluster or a proxy answers can be fuzzed without a server: a page is its hits, or an
// error when it is no JSON or a shard failed (a partial page would lose documents silently).
func decodeSearch(raw []byte) (searchResponse, error) {
	var resp searchResponse
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&resp); err != nil {
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
