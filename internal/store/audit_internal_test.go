package store

import "testing"

// An audit row's JSON set aside (AuditAside) is encoded once, by whichever
// goroutine comes first: the writer does not wait for a goroutine the
// scheduler has not run yet, and the late one does nothing.
func TestAsideEncodedByWhoeverComesFirst(t *testing.T) {
	a := &asideAudit{done: make(chan struct{}), values: [2]any{nil, map[string]int{"qty": 3}}}
	a.encode() // the writer, reaching the row before the other goroutine ran
	select {
	case <-a.done:
	default:
		t.Fatal("the writer's encode left the row waiting")
	}
	if a.before != nil || string(a.after) != `{"qty":3}` || a.err != nil {
		t.Errorf("encoded before %q after %q (%v), want none and {\"qty\":3}", a.before, a.after, a.err)
	}
	a.encode() // the other goroutine, late: nothing (closing done again would panic)
	if string(a.after) != `{"qty":3}` {
		t.Errorf("encoded again: %q", a.after)
	}
}
