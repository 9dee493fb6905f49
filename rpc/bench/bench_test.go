package bench

import (
	"context"
	"testing"

	"github.com/rkat-dev/rkat/internal/testbin"
)

var binary string

func TestMain(m *testing.M) {
	testbin.Main(m, "github.com/rkat-dev/rkat/cmd/rkat-rpc", nil, &binary)
}

// TestRunSmall runs every measurement at a tiny size and checks each
// produced a figure (no timing thresholds: benchmarks measure, tests don't).
func TestRunSmall(t *testing.T) {
	for _, backend := range []string{"memory", "sqlite"} {
		res, err := Run(context.Background(), Options{Command: []string{binary}, Starts: 2, Turns: 40,
			Concurrency: 2, TurnsPerSession: 7, Deltas: 300, Backend: backend})
		if err != nil {
			t.Fatalf("%s: %v", backend, err)
		}
		if res.StartsMeasured != 2 || res.StartMedianMS <= 0 || res.IdleRSSMiB <= 0 || res.TurnsPerSecSeq <= 0 ||
			res.TurnsPerSecPar <= 0 || res.DeltasCounted != 300 || res.String() == "" {
			t.Fatalf("%s: incomplete result %+v", backend, res)
		}
	}
}
