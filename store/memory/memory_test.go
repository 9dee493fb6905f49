package memory_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/memory"
	"github.com/rkat-dev/rkat/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) store.Store { return memory.New() })
}
