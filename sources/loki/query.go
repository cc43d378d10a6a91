package loki

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/sources/batch"
)

// EventsJobs matches the job label of Event streams: Grafana Alloy's
// loki.source.kubernetes_events, the k8s-monitoring chart's eventhandler, and
// kubernetes-event-exporter setups.
const EventsJobs = `.*(kubernetes_events|eventhandler|event-exporter|event_exporter).*`

// WithMatcher adds a label matcher to a stream selector: {a="b"} + c!~"x" → {a="b", c!~"x"}.
func WithMatcher(selector, matcher string) (string, error) {
	s := strings.TrimSpace(selector)
	if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
		return "", fmt.Errorf("selector %q is not a LogQL stream selector {…}", selector)
	}
	inner := strings.TrimSpace(s[1 : len(s)-1])
	if inner == "" {
		return "{" + matcher + "}", nil
	}
	return "{" + inner + ", " + matcher + "}", nil
}

// LineFilter is a LogQL regexp line filter for an ERE of trigger words; RE2 reads the ERE
// the parsers give as is, and a raw string needs no escaping.
func LineFilter(ere string) string {
	return " |~ `" + ere + "`"
}

// EventReasonsFilter keeps Event lines of the given reasons in Alloy's logfmt (reason=X) and
// in JSON, flat or whole Event objects ("reason":"X").
func EventReasonsFilter(reasons []string) string {
	quoted := make([]string, len(reasons))
	for i, r := range reasons {
		quoted[i] = regexp.QuoteMeta(r)
	}
	alt := strings.Join(quoted, "|")
	return " |~ `reason(=|\":\")(" + alt + ")\\b`"
}

// LabelValues lists a label's values in [from, to).
func (c *Client) LabelValues(ctx context.Context, label string, from, to time.Time) ([]string, error) {
	q := url.Values{}
	q.Set("start", strconv.FormatInt(from.UnixNano(), 10))
	q.Set("end", strconv.FormatInt(to.UnixNano(), 10))
	body, err := c.get(ctx, "/loki/api/v1/label/"+url.PathEscape(label)+"/values", q)
	if err != nil {
		return nil, err
	}
	return decodeLabelValues(body)
}

// Shard keeps the nodes that fall to the shard (batch.Shard's hash of the name, so every job
// instance agrees without talking to the others) and returns a matcher selecting them; ""
// when the shard has no node.
func Shard(label string, nodes []string, shard batch.Shard) string {
	var mine []string
	for _, node := range nodes {
		if shard.Holds(node) {
			mine = append(mine, regexp.QuoteMeta(node))
		}
	}
	if len(mine) == 0 {
		return ""
	}
	return label + `=~"` + strings.ReplaceAll(strings.Join(mine, "|"), `\`, `\\`) + `"`
}
