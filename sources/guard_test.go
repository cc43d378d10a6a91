package sources

import (
	"testing"
	"time"
)

// hangGuard fails the test when f has not returned after a long while: it guards against a
// hang, it does not time anything.
func hangGuard(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("%s still running: it hangs", what)
	}
}
