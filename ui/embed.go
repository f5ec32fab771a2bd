//go:build !no_ui

// Package ui embeds the built web app (ui/dist) into the jxc binary, as
// PocketBase does; build with -tags no_ui to leave it out.
package ui

import (
	"bytes"
	"compress/gzip"
	"embed"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

//go:embed all:dist
var dist embed.FS

// Handler serves the web app: files from dist, and index.html for every
// other path so client-side routes survive a reload. Scripts, styles and
// the like go gzipped to a browser that accepts it (element-plus alone is
// 1.1 MB, 0.36 MB gzipped: a shop on a slow line waits a third as long).
func Handler() http.Handler {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err)
	}
	files := http.FileServerFS(sub)
	zipped := &gzipCache{fsys: sub}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p != "/" {
			if _, err := fs.Stat(sub, p[1:]); err != nil {
				r2 := r.Clone(r.Context())
				r2.URL.Path = "/"
				w.Header().Set("Cache-Control", "no-cache")
				files.ServeHTTP(w, r2)
				return
			}
			if strings.HasPrefix(p, "/assets/") { // content-hashed file names
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				if zipped.serve(w, r, p[1:]) {
					return
				}
			}
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
}

// compressible are the kinds of file worth gzipping (fonts and images are
// compressed already).
var compressible = map[string]bool{".js": true, ".css": true, ".svg": true, ".json": true, ".html": true, ".txt": true, ".map": true}

// gzipCache gzips an embedded file once, on its first request: the files
// never change while the binary runs, and compressing at build time would
// keep every asset twice in the binary.
type gzipCache struct {
	fsys fs.FS
	m    sync.Map // name → []byte (nil: not worth it)
}

// serve writes name gzipped when the request accepts gzip and the file is
// worth it; false leaves the request to the plain file server.
func (c *gzipCache) serve(w http.ResponseWriter, r *http.Request, name string) bool {
	ext := path.Ext(name)
	if !compressible[ext] || r.Header.Get("Range") != "" {
		return false
	}
	w.Header().Add("Vary", "Accept-Encoding")
	if !acceptsGzip(r.Header.Get("Accept-Encoding")) {
		return false
	}
	v, ok := c.m.Load(name)
	if !ok {
		raw, err := fs.ReadFile(c.fsys, name)
		if err != nil {
			return false
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(raw)
		_ = zw.Close()
		var z []byte
		if buf.Len() < len(raw)*9/10 {
			z = buf.Bytes()
		}
		v, _ = c.m.LoadOrStore(name, z)
	}
	z := v.([]byte)
	if z == nil {
		return false
	}
	h := w.Header()
	if t := mime.TypeByExtension(ext); t != "" {
		h.Set("Content-Type", t)
	}
	h.Set("Content-Encoding", "gzip")
	h.Set("Content-Length", strconv.Itoa(len(z)))
	if r.Method != http.MethodHead {
		_, _ = w.Write(z)
	}
	return true
}

// acceptsGzip reads an Accept-Encoding header: gzip (or *) listed without
// q=0.
func acceptsGzip(h string) bool {
	for part := range strings.SplitSeq(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if name != "gzip" && name != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
