package randhex_test

import (
	"encoding/hex"
	"testing"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/internal/randhex"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestString(t *testing.T) {
	for _, n := range []int{0, 1, 8, 32} {
		a, b := randhex.String(n), randhex.String(n)
		if _, err := hex.DecodeString(a); err != nil || len(a) != 2*n {
			t.Errorf("String(%d) = %q: want %d hex digits", n, a, 2*n)
		}
		if n >= 8 && a == b {
			t.Errorf("String(%d) returned %q twice", n, a)
		}
	}
}
