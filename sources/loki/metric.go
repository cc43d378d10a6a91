package loki

import (
	"context"
	"encoding/json"
	"fmt"
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
	var r struct {
		Status string `json:"status"`
		Data   struct {
			ResultType string `json:"resultType"`
			Result     []struct {
				Value [2]json.RawMessage `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return 0, fmt.Errorf("query response is not JSON: %w", err)
	}
	if r.Data.ResultType != "vector" {
		return 0, fmt.Errorf("query returned %q, not a vector", r.Data.ResultType)
	}
	sum := 0.0
	for _, res := range r.Data.Result {
		var s string
		if json.Unmarshal(res.Value[1], &s) != nil {
			return 0, fmt.Errorf("query value %s is not a string", res.Value[1])
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, err
		}
		sum += v
	}
	return sum, nil
}
