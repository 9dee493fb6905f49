package mob

import (
	"context"
	"encoding/json"
	"fmt"
)

// wiringDef is a definition's wiring and orchestrator.
type wiringDef struct {
	Orchestrator *struct {
		Profile string `json:"profile"`
	} `json:"orchestrator"`
	Wiring *struct {
		AutoWireOrchestrator *bool `json:"auto_wire_orchestrator"`
		RoleWiring           []struct {
			A string `json:"a"`
			B string `json:"b"`
		} `json:"role_wiring"`
	} `json:"wiring"`
}

// Wired returns who may message whom in a mob, by role: without a wiring
// section every member may; with one, the roles paired in role_wiring
// (both ways) and, unless auto_wire_orchestrator is false, the
// orchestrator's profile with every role.
func Wired(definition json.RawMessage) (func(from, to string) bool, error) {
	var d wiringDef
	if err := json.Unmarshal(definition, &d); err != nil {
		return nil, fmt.Errorf("%w: wiring: %v", ErrInvalid, err)
	}
	if d.Wiring == nil {
		return func(string, string) bool { return true }, nil
	}
	pairs := map[[2]string]bool{}
	for _, w := range d.Wiring.RoleWiring {
		pairs[[2]string{w.A, w.B}], pairs[[2]string{w.B, w.A}] = true, true
	}
	orch := ""
	if d.Orchestrator != nil && (d.Wiring.AutoWireOrchestrator == nil || *d.Wiring.AutoWireOrchestrator) {
		orch = d.Orchestrator.Profile
	}
	return func(from, to string) bool {
		return pairs[[2]string{from, to}] || (orch != "" && (from == orch || to == orch))
	}, nil
}

// Wiring returns the wiring of a stored mob (see Wired).
func (s *Service) Wiring(ctx context.Context, id string) (func(from, to string) bool, error) {
	st, _, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	return Wired(st.Definition)
}
