//go:build !no_ui

// Package ui embeds the built web app (ui/dist) into the jxc binary, as
// PocketBase does; build with -tags no_ui to leave it out.
package ui

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed all:dist
var dist embed.FS

// Handler serves the web app: files from dist, and index.html for every
// other path so client-side routes survive a reload.
func Handler() http.Handler {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err)
	}
	files := http.FileServerFS(sub)
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
			if len(p) > 8 && p[:8] == "/assets/" { // content-hashed file names
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			}
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
}
