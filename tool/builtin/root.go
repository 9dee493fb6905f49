package builtin

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// ErrOutsideRoot is matched by the error of a path that leaves the project
// root (directly, through "..", or through a symlink).
var ErrOutsideRoot = errors.New("path is outside the project root")

// rel turns a path the model gave into one relative to the project root: a
// relative path is cleaned, an absolute one must lie inside the root. The
// os.Root every file operation goes through refuses symlinks that leave it.
func (b *Toolbox) rel(p string) (string, error) {
	if p == "" {
		return ".", nil
	}
	if filepath.IsAbs(p) {
		r, err := filepath.Rel(b.cfg.ProjectRoot, filepath.Clean(p))
		if err != nil {
			return "", fmt.Errorf("%q: %w", p, ErrOutsideRoot)
		}
		p = r
	}
	p = filepath.Clean(p)
	if p == ".." || strings.HasPrefix(p, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%q: %w", p, ErrOutsideRoot)
	}
	return p, nil
}

// fsError turns an error of an os.Root operation into one the model can act
// on: escapes are named as such, the rest keeps the path and the reason.
func fsError(p string, err error) error {
	if err == nil {
		return nil
	}
	if strings.Contains(err.Error(), "path escapes from parent") {
		return fmt.Errorf("%q: %w", p, ErrOutsideRoot)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s %q: %w", pe.Op, p, pe.Err)
	}
	return fmt.Errorf("%q: %w", p, err)
}
