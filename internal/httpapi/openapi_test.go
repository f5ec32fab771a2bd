package httpapi_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/jxc-erp/jxc/internal/httpapi"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

var update = flag.Bool("update", false, "rewrite testdata/openapi.json from the code")

// TestOpenAPISnapshot catches accidental API changes: the document the
// server publishes must equal the committed snapshot. After an intended
// change run `go test ./internal/httpapi -run OpenAPI -update` and commit
// the snapshot with the regenerated UI types.
func TestOpenAPISnapshot(t *testing.T) {
	srv := httpapi.New(service.New(storetest.SQLite(t), quiet, testConfig()), httpapi.Options{Version: "snapshot", Log: quiet})
	got, err := srv.MarshalOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "openapi.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("OpenAPI document differs from %s; run `go test ./internal/httpapi -run OpenAPI -update` if the change is intended", path)
	}

	// The same document is served, as OpenAPI 3.1, with no CDN docs page.
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "/api/openapi.json", nil))
	if w.Code != 200 || !bytes.Contains(w.Body.Bytes(), []byte(`"openapi":"3.1`)) {
		t.Errorf("GET /api/openapi.json = %d %.80s", w.Code, w.Body.Bytes())
	}
	w = httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "/docs", nil))
	if bytes.Contains(w.Body.Bytes(), []byte("unpkg")) || bytes.Contains(w.Body.Bytes(), []byte("cdn")) {
		t.Error("a docs page loads from a CDN")
	}
}

// Downloads are described as the files they are, not as base64 JSON, so
// that generated clients read them as bytes of the right type.
func TestFileDownloadsDescribed(t *testing.T) {
	srv := httpapi.New(service.New(storetest.SQLite(t), quiet, testConfig()), httpapi.Options{Version: "snapshot", Log: quiet})
	raw, err := srv.MarshalOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]struct {
					Schema map[string]any `json:"schema"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	const xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	for _, tt := range []struct{ method, path, contentType string }{
		{"get", "/api/v1/stock/import/opening/template", xlsx},
		{"post", "/api/v1/exports/xlsx", xlsx},
		{"get", "/api/v1/stock/documents/{id}/pdf", "application/pdf"},
		{"post", "/api/v1/labels", "application/pdf"},
	} {
		content := doc.Paths[tt.path][tt.method].Responses["200"].Content
		var types []string
		for ct := range content {
			types = append(types, ct)
		}
		if len(content) != 1 || content[tt.contentType].Schema["format"] != "binary" {
			t.Errorf("%s %s: 200 content %v, want only %s as binary", tt.method, tt.path, types, tt.contentType)
		}
	}
}
