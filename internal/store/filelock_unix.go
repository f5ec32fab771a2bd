//go:build unix

package store

import (
	"errors"
	"os"
	"syscall"
)

// lockFile takes an advisory lock on a SQLite database file: shared for a
// process that uses it (Open), exclusive for one that replaces it (restore),
// never waiting. SQLite's own locks are POSIX record locks, which flock(2)
// neither sees nor disturbs on Linux and the BSDs. The lock goes with the
// returned file's close.
func lockFile(path string, exclusive bool) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errFileInUse
		}
		return nil, err
	}
	return f, nil
}
