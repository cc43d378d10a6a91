package elastic

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// ExplainEmpty explains an empty result: when the range holds documents but none has a
// field the preset relies on, it names the field and the presets whose fields the data has.
func (s *Store) ExplainEmpty(ctx context.Context, from, to time.Time) error {
	all, err := s.Client.Count(ctx, s.Index, timeRange(s.Fields.Time, from, to))
	if err != nil || all == 0 {
		return err
	}
	for _, f := range []string{s.Fields.Message, s.Fields.Unit} {
		if f == "" {
			continue
		}
		if n, err := s.withField(ctx, s.Fields.Time, f, from, to); err != nil || n > 0 {
			continue // a failing count never blames a field
		}
		var fits []string
		for name, p := range Presets {
			if n, err := s.withField(ctx, p.Time, p.Message, from, to); err == nil && n > 0 && p.Message != s.Fields.Message {
				fits = append(fits, name)
			}
		}
		sort.Strings(fits)
		hint := ""
		if len(fits) > 0 {
			hint = "; try --preset " + strings.Join(fits, " or --preset ")
		}
		return fmt.Errorf("no documents have field %s%s", f, hint)
	}
	return nil
}

// withField counts the documents of the range that have field.
func (s *Store) withField(ctx context.Context, timeField, field string, from, to time.Time) (int64, error) {
	q := map[string]any{"bool": map[string]any{"filter": []any{timeRange(timeField, from, to),
		map[string]any{"exists": map[string]any{"field": field}}}}}
	return s.Client.Count(ctx, s.Index, q)
}

// HoldsNothing counts the documents of the indices in the range, unfiltered: none at all
// means a wrong index pattern or time field, not a quiet cluster.
func (s *Store) HoldsNothing(ctx context.Context, from, to time.Time) (bool, string, error) {
	indices, fields := []string{s.Index}, []string{s.Fields.Time}
	if s.EventsIndex != "" {
		indices, fields = append(indices, s.EventsIndex), append(fields, s.EventFields.Time)
	}
	for i, idx := range indices {
		n, err := s.Client.Count(ctx, idx, timeRange(fields[i], from, to))
		if err != nil || n > 0 {
			return false, "", err
		}
	}
	return true, fmt.Sprintf("index %s (time field %s)", strings.Join(indices, " and "), s.Fields.Time), nil
}
