package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestServePprof: the profiler answers on its own loopback address, not
// with the command line (a --db URL may hold a password) nor the API, until
// its context ends; it refuses an address other machines could reach.
func TestServePprof(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	for _, a := range []string{"0.0.0.0:0", ":0", "10.1.2.3:0", "example.com:0"} {
		if _, err := servePprof(ctx, a, slog.New(slog.DiscardHandler)); err == nil {
			t.Errorf("servePprof(%q) was accepted", a)
		}
	}
	addr, err := servePprof(ctx, "127.0.0.1:0", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) (int, string) {
		t.Helper()
		res, err := http.Get("http://" + addr.String() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	if code, body := get("/debug/pprof/goroutine?debug=1"); code != 200 || !strings.Contains(body, "goroutine profile") {
		t.Errorf("goroutine profile = %d %.80q", code, body)
	}
	for _, path := range []string{"/debug/pprof/cmdline", "/api/v1/items"} {
		if code, body := get(path); code != 404 {
			t.Errorf("GET %s = %d %.80q, want 404", path, code, body)
		}
	}
	cancel()
	for range 100 {
		if _, err := http.Get("http://" + addr.String() + "/debug/pprof/"); err != nil {
			return
		}
	}
	t.Error("the profiler still answers after its context ended")
}
