//go:build !unix

package store

import "os"

// lockFile does nothing where flock(2) is not there: a restore cannot tell
// that a server has the database open, so stop it first.
func lockFile(path string, _ bool) (*os.File, error) { return os.Open(path) }
