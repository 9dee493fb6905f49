package procstat

import (
	"os"
	"testing"
)

func TestRSSOfSelf(t *testing.T) {
	for name, read := range map[string]func(int) (int64, error){"RSSKB": RSSKB, "PeakRSSKB": PeakRSSKB} {
		kb, err := read(os.Getpid())
		if err != nil {
			t.Fatal(err)
		}
		if kb <= 0 {
			t.Fatalf("%s of this test process = %d KiB", name, kb)
		}
		if _, err := read(-1); err == nil {
			t.Fatalf("%s(-1) succeeded", name)
		}
	}
}
