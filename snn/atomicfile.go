package snn

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes data to path atomically: the data go to a temporary file in the same folder,
// are synced, and replace path by rename, so a crash or error never leaves a partial file at path and
// never clobbers an earlier good one. A failed write removes its temporary file.
func WriteFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil { // CreateTemp makes 0600; others (a cluster's users) read results
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync() // make the rename durable; not all file systems support it, so errors are ignored
		d.Close()
	}
	return nil
}

// NotRegular says what holds path when something other than a regular file does (after following a
// symbolic link): "a folder" or "not a regular file (<type>)"; "" when path is a regular file or absent.
// Commands check the paths they will write with it before any work.
func NotRegular(path string) string {
	fi, err := os.Stat(path)
	switch {
	case err != nil || fi.Mode().IsRegular():
		return ""
	case fi.IsDir():
		return "a folder"
	}
	return "not a regular file (" + fi.Mode().Type().String() + ")"
}

// CheckWritableDir creates dir if needed and checks that a file can be written there (it writes and
// removes an empty temporary file), so that a command refuses an unwritable output folder before it
// trains rather than when it saves.
func CheckWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("snn: folder %s cannot be created: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("snn: folder %s cannot be written: %w", dir, err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}
