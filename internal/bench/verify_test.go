package bench

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
)

// TestVerifyCountsDocuments: Verify counts documents, not rows of the
// listing. A keyed command cut off by the end of a run still commits, and
// one landing while the newest-first pages are read pushes the listing
// down, so the last document of a page comes again at the top of the next:
// that is one document, not two. Two documents with one number, or an
// acknowledged one missing, are still problems.
func TestVerifyCountsDocuments(t *testing.T) {
	// 600 posted receipts, newest first; RK-101 is the 500th, and a commit
	// between the two pages shows it again on the second. RK-7 is
	// there twice under two ids; RK-9999 was acknowledged but is missing.
	var docs []doc
	for id := int64(600); id >= 1; id-- {
		docs = append(docs, doc{ID: id, Number: "RK-" + strconv.FormatInt(id, 10)})
	}
	docs = append(docs, doc{ID: 601, Number: "RK-7"})
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/auth/login", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "jxc_session", Value: "s"})
		w.WriteHeader(http.StatusOK)
	})
	mux.HandleFunc("GET /api/v1/purchase/receipts", func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		if offset > 0 {
			offset-- // a commit landed: everything moved down one
		}
		p := page[doc]{Items: docs[min(offset, len(docs)):min(offset+limit, len(docs))], Total: len(docs)}
		_ = json.NewEncoder(w).Encode(p)
	})
	if docs[499].Number != "RK-101" {
		t.Fatalf("fixture: the 500th document is %s, want RK-101", docs[499].Number)
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()
	res := &Result{Acked: map[string]map[string]int64{"purchase/receipts": {
		"RK-100": 100, "RK-101": 101, "RK-99": 99, "RK-7": 7, "RK-9999": 9999,
	}}}
	probs, err := Verify(context.Background(), Config{URL: srv.URL, User: "u", Password: "p"}, res)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"purchase/receipts RK-7 acknowledged but found 2 times",
		"purchase/receipts RK-9999 acknowledged but found 0 times",
	}
	if !slices.Equal(probs, want) {
		t.Errorf("Verify = %q, want %q", probs, want)
	}
}
