package render

import (
	"bytes"
	"testing"
)

func TestFit(t *testing.T) {
	tests := []struct {
		reason    string
		env       map[string]string
		color     string
		width     int
		wantColor bool
	}{
		{"a pipe without COLUMNS gets whole lines and no colour", nil, "auto", 0, false},
		{"COLUMNS sets the width of a pipe, as a pager or CI log asks", map[string]string{"COLUMNS": "80"}, "auto", 80, false},
		{"a COLUMNS that is no number is ignored", map[string]string{"COLUMNS": "wide"}, "auto", 0, false},
		{"always colours even a pipe, even with NO_COLOR", map[string]string{"NO_COLOR": ""}, "always", 0, true},
		{"never never colours", nil, "never", 0, false},
	}
	for _, tt := range tests {
		getenv := func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }
		width, colour := Fit(&bytes.Buffer{}, getenv, tt.color)
		if width != tt.width || colour != tt.wantColor {
			t.Errorf("%s: width %d colour %v, want %d %v", tt.reason, width, colour, tt.width, tt.wantColor)
		}
	}
}
