// Package randhex makes random identifiers and keys: n bytes from
// crypto/rand, hex-encoded.
package randhex

import (
	"crypto/rand"
	"encoding/hex"
)

// String returns n random bytes from crypto/rand as 2n hex digits. It
// cannot fail: crypto/rand.Read never returns an error (Go 1.24 and later).
func String(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
