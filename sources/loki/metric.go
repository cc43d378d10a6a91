package loki

import (
	"context"
	"net/url"
	"strconv"
	"time"
)

// instantSum runs a metric query at one time and adds up the values of its vector result.
func (c *Client) instantSum(ctx context.Context, query string, at time.Time) (float64, error) {
	q := url.Values{}
	q.Set("query", query)
	q.Set("time", strconv.FormatInt(at.UnixNano(), 10))
	body, err := c.get(ctx, "/loki/api/v1/query", q)
	if err != nil {
		return 0, err
	}
	return decodeVector(body)
}
