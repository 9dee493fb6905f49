package procstat

import (
	"os"
	"testing"
)

func TestRSSKBOfSelf(t *testing.T) {
	kb, err := RSSKB(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if kb <= 0 {
		t.Fatalf("RSS of this test process = %d KiB", kb)
	}
	if _, err := RSSKB(-1); err == nil {
		t.Fatal("RSSKB(-1) succeeded")
	}
}
