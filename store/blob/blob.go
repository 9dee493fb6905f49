// Package blob keeps a realm's binary payloads (images that clients send
// and callback tools return) content-addressed, so blob/get can hand them
// back by id. The id is the contract's: "sha256:" and the lowercase hex
// SHA-256 of media_type, a zero byte and the base64 payload; storing the
// same payload twice stores it once.
//
// Dir keeps one file per blob under a directory (the realm's), written
// atomically; Memory keeps them in a map bounded by total bytes, for
// realms that live in memory. Both are safe for concurrent use and start
// no goroutines.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Errors of Get and Put.
var (
	ErrNotFound = errors.New("blob: not found")
	ErrInvalid  = errors.New("blob: invalid")
	ErrFull     = errors.New("blob: store full")
)

// Blob is a stored payload.
type Blob struct {
	ID        string
	MediaType string
	Data      string // base64, as it was received
}

// Store keeps blobs.
type Store interface {
	// Put stores a payload and returns its id.
	Put(ctx context.Context, mediaType, data string) (string, error)
	// Get returns the blob with id, ErrNotFound, or ErrInvalid for a
	// malformed id.
	Get(ctx context.Context, id string) (Blob, error)
}

const prefix = "sha256:"

// ID is the contract's id of a payload.
func ID(mediaType, data string) string {
	h := sha256.New()
	h.Write([]byte(mediaType))
	h.Write([]byte{0})
	h.Write([]byte(data))
	return prefix + hex.EncodeToString(h.Sum(nil))
}

// digest returns the hex part of a well-formed id.
func digest(id string) (string, error) {
	hexPart, ok := strings.CutPrefix(id, prefix)
	if !ok || len(hexPart) != 64 || strings.ToLower(hexPart) != hexPart {
		return "", fmt.Errorf("%w: id %q is not sha256:<64 lowercase hex>", ErrInvalid, id)
	}
	if _, err := hex.DecodeString(hexPart); err != nil {
		return "", fmt.Errorf("%w: id %q is not sha256:<64 lowercase hex>", ErrInvalid, id)
	}
	return hexPart, nil
}

func check(mediaType, data string) error {
	if mediaType == "" || data == "" || strings.ContainsAny(mediaType, "\n\x00") {
		return fmt.Errorf("%w: a blob needs a media type and a payload", ErrInvalid)
	}
	return nil
}

// Dir stores blobs as files <dir>/<hex>: the media type, a newline, the
// payload.
type Dir struct{ path string }

// NewDir returns a Dir over path, created on first Put.
func NewDir(path string) *Dir { return &Dir{path: path} }

// Put implements Store.
func (d *Dir) Put(_ context.Context, mediaType, data string) (string, error) {
	if err := check(mediaType, data); err != nil {
		return "", err
	}
	id := ID(mediaType, data)
	name := filepath.Join(d.path, id[len(prefix):])
	if _, err := os.Stat(name); err == nil {
		return id, nil
	}
	if err := os.MkdirAll(d.path, 0o700); err != nil {
		return "", fmt.Errorf("blob: %w", err)
	}
	f, err := os.CreateTemp(d.path, ".put-*")
	if err != nil {
		return "", fmt.Errorf("blob: %w", err)
	}
	_, werr := f.WriteString(mediaType + "\n" + data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("blob: %w", err)
	}
	if err := os.Rename(f.Name(), name); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("blob: %w", err)
	}
	return id, nil
}

// Get implements Store.
func (d *Dir) Get(_ context.Context, id string) (Blob, error) {
	hexPart, err := digest(id)
	if err != nil {
		return Blob{}, err
	}
	raw, err := os.ReadFile(filepath.Join(d.path, hexPart))
	if errors.Is(err, os.ErrNotExist) {
		return Blob{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err != nil {
		return Blob{}, fmt.Errorf("blob: %w", err)
	}
	mediaType, data, ok := strings.Cut(string(raw), "\n")
	if !ok || ID(mediaType, data) != id {
		return Blob{}, fmt.Errorf("blob: %s is corrupt", id)
	}
	return Blob{ID: id, MediaType: mediaType, Data: data}, nil
}

// DefaultMemoryBytes bounds a Memory store made with zero MaxBytes.
const DefaultMemoryBytes = 256 << 20

// Memory stores blobs in memory, up to MaxBytes of payload.
type Memory struct {
	max   int
	mu    sync.Mutex
	blobs map[string]Blob
	size  int
}

// NewMemory returns a Memory store holding at most maxBytes of payload
// (zero means DefaultMemoryBytes); a Put beyond it fails with ErrFull.
func NewMemory(maxBytes int) *Memory {
	if maxBytes <= 0 {
		maxBytes = DefaultMemoryBytes
	}
	return &Memory{max: maxBytes, blobs: map[string]Blob{}}
}

// Put implements Store.
func (m *Memory) Put(_ context.Context, mediaType, data string) (string, error) {
	if err := check(mediaType, data); err != nil {
		return "", err
	}
	id := ID(mediaType, data)
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.blobs[id]; ok {
		return id, nil
	}
	if m.size+len(data) > m.max {
		return "", fmt.Errorf("%w: %d bytes held, limit %d", ErrFull, m.size, m.max)
	}
	m.blobs[id] = Blob{ID: id, MediaType: mediaType, Data: data}
	m.size += len(data)
	return id, nil
}

// Get implements Store.
func (m *Memory) Get(_ context.Context, id string) (Blob, error) {
	if _, err := digest(id); err != nil {
		return Blob{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.blobs[id]
	if !ok {
		return Blob{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return b, nil
}
