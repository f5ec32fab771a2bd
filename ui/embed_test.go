//go:build !no_ui

package ui

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestAssetsGzipped: a browser that accepts gzip gets the app's scripts
// gzipped, the same bytes once unpacked; one that does not gets them plain.
func TestAssetsGzipped(t *testing.T) {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		t.Fatal(err)
	}
	js, err := fs.Glob(sub, "assets/*.js")
	if err != nil || len(js) == 0 {
		t.Skip("no built scripts in ui/dist")
	}
	var biggest string
	var want []byte
	for _, name := range js {
		b, _ := fs.ReadFile(sub, name)
		if len(b) > len(want) {
			biggest, want = name, b
		}
	}
	h := Handler()
	get := func(accept string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "/"+biggest, nil)
		if accept != "" {
			r.Header.Set("Accept-Encoding", accept)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	for _, accept := range []string{"gzip, deflate, br", "br;q=1.0, gzip;q=0.8"} {
		w := get(accept)
		if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" || w.Header().Get("Vary") != "Accept-Encoding" ||
			w.Header().Get("Content-Type") != "text/javascript; charset=utf-8" {
			t.Fatalf("%q: %d %v", accept, w.Code, w.Header())
		}
		sent := w.Body.Len()
		zr, err := gzip.NewReader(w.Body)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(zr)
		if !bytes.Equal(got, want) {
			t.Fatalf("%q: unpacked %d bytes, want the file's %d", accept, len(got), len(want))
		}
		t.Logf("%s: %d bytes, %d gzipped", biggest, len(want), sent)
	}
	for _, accept := range []string{"", "identity", "gzip;q=0"} {
		w := get(accept)
		if w.Header().Get("Content-Encoding") != "" || !bytes.Equal(w.Body.Bytes(), want) {
			t.Errorf("%q: encoding %q, %d bytes", accept, w.Header().Get("Content-Encoding"), w.Body.Len())
		}
	}
}
