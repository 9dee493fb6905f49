package blob

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestStores(t *testing.T) {
	stores := map[string]Store{"dir": NewDir(t.TempDir() + "/blobs"), "memory": NewMemory(0)}
	for name, s := range stores {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			id, err := s.Put(ctx, "image/png", "iVBORw0KGgo=")
			if err != nil || id != ID("image/png", "iVBORw0KGgo=") || !strings.HasPrefix(id, "sha256:") || len(id) != 71 {
				t.Fatalf("Put = %q, %v", id, err)
			}
			if again, err := s.Put(ctx, "image/png", "iVBORw0KGgo="); err != nil || again != id {
				t.Fatalf("second Put = %q, %v", again, err)
			}
			b, err := s.Get(ctx, id)
			if err != nil || b != (Blob{ID: id, MediaType: "image/png", Data: "iVBORw0KGgo="}) {
				t.Fatalf("Get = %+v, %v", b, err)
			}
			tests := []struct {
				id   string
				want error
			}{
				{ID("image/png", "other"), ErrNotFound},
				{"sha256:" + strings.Repeat("A", 64), ErrInvalid},
				{"md5:00", ErrInvalid},
				{"sha256:../../etc/passwd" + strings.Repeat("0", 48), ErrInvalid},
			}
			for _, tt := range tests {
				if _, err := s.Get(ctx, tt.id); !errors.Is(err, tt.want) {
					t.Errorf("Get(%q) = %v, want %v", tt.id, err, tt.want)
				}
			}
			if _, err := s.Put(ctx, "", "x"); !errors.Is(err, ErrInvalid) {
				t.Errorf("Put without media type = %v", err)
			}
		})
	}
	// The id is the contract's: sha256 over media_type, 0x00, payload
	// (printf 'a\x00b' | sha256sum).
	if got := ID("a", "b"); got != "sha256:"+"59b271ae1bbcb1d31d41929817f4b16fb439eb4f31520b5ad1d5ce98920a7138" {
		t.Errorf("ID(a, b) = %s", got)
	}
	small := NewMemory(4)
	if _, err := small.Put(context.Background(), "text/plain", "12345"); !errors.Is(err, ErrFull) {
		t.Errorf("Put beyond the bound = %v", err)
	}
}
