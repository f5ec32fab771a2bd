//go:build no_ui

package ui

import "net/http"

// Handler is nil in a no_ui build; the server then says the UI is absent.
func Handler() http.Handler { return nil }
