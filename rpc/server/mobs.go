package server

import (
	"context"
	"encoding/json"

	"github.com/rkat-dev/rkat/comms"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/mob"
	"github.com/rkat-dev/rkat/rpc/wire"
)

// mobMethods are served when the server has comms (members talk on the hub).
func (s *Server) mobMethods() map[string]method {
	return map[string]method{
		"mob/create":         mobCall(s, s.mobCreate),
		"mob/list":           s.mobList,
		"mob/status":         mobCall(s, s.mobStatus),
		"mob/members":        mobCall(s, s.mobMembers),
		"mob/spawn":          mobCall(s, s.mobSpawn),
		"mob/spawn_many":     mobCall(s, s.mobSpawnMany),
		"mob/events":         mobCall(s, s.mobEvents),
		"mob/lifecycle":      s.mobLifecycle,
		"mob/destroy":        s.mobDestroy,
		"mob/wait_kickoff":   s.mobWait,
		"mob/wait_ready":     s.mobWait,
		"mob/spawn_helper":   s.mobSpawnHelper,
		"mob/fork_helper":    s.mobForkHelper,
		"mob/profile/create": s.mobProfileCreate,
		"mob/profile/get":    mobCall(s, s.mobProfileGet),
		"mob/profile/list":   s.mobProfileList,
		"mob/profile/update": s.mobProfileUpdate,
		"mob/profile/delete": mobCall(s, s.mobProfileDelete),
	}
}

// mobs returns the realm's mob service, kept in the realm's store.
func (s *Server) mobs() (*mob.Service, error) {
	svc, st, err := s.service()
	if err != nil {
		return nil, err
	}
	s.mobOnce.Do(func() { s.mobSvc, s.mobErr = mob.New(mob.Config{Records: st, Sessions: svc}) })
	return s.mobSvc, s.mobErr
}

// mobCall adapts a call of the mob service on decoded params P to a method.
func mobCall[P any](s *Server, call func(ctx context.Context, c *connState, ms *mob.Service, p P) (any, error)) method {
	return func(ctx context.Context, c *connState, params json.RawMessage) (any, error) {
		p, err := decode[P](params)
		if err != nil {
			return nil, err
		}
		ms, err := s.mobs()
		if err != nil {
			return nil, err
		}
		return call(ctx, c, ms, p)
	}
}

type mobIDParams struct {
	MobID string `json:"mob_id"`
}

func (s *Server) mobCreate(ctx context.Context, _ *connState, ms *mob.Service, p struct {
	Definition json.RawMessage `json:"definition"`
}) (any, error) {
	id, err := ms.Create(ctx, p.Definition)
	if err != nil {
		return nil, err
	}
	return map[string]string{"mob_id": id}, nil
}

func (s *Server) mobList(ctx context.Context, _ *connState, _ json.RawMessage) (any, error) {
	ms, err := s.mobs()
	if err != nil {
		return nil, err
	}
	list, err := ms.List(ctx)
	return map[string]any{"mobs": list}, err
}

func (s *Server) mobStatus(ctx context.Context, _ *connState, ms *mob.Service, p mobIDParams) (any, error) {
	return ms.Status(ctx, p.MobID)
}

func (s *Server) mobMembers(ctx context.Context, _ *connState, ms *mob.Service, p mobIDParams) (any, error) {
	members, err := ms.Members(ctx, p.MobID)
	return map[string]any{"members": members}, err
}

// spawnParams are mob/spawn's params (and one spawn_many spec with the
// mob id left out). The advanced keys the SDK always sends as null are
// accepted when null and refused otherwise.
type spawnParams struct {
	MobID                  string            `json:"mob_id,omitempty"`
	Profile                string            `json:"profile"`
	AgentIdentity          string            `json:"agent_identity"`
	InitialMessage         json.RawMessage   `json:"initial_message"`
	RuntimeMode            string            `json:"runtime_mode"`
	Backend                string            `json:"backend"`
	Labels                 map[string]string `json:"labels"`
	AdditionalInstructions []string          `json:"additional_instructions"`
	ModelOverride          string            `json:"model_override"`
	Context                json.RawMessage   `json:"context"`
	AuthBinding            json.RawMessage   `json:"auth_binding"`
	Placement              json.RawMessage   `json:"placement"`
	Binding                json.RawMessage   `json:"binding"`
	ShellEnv               json.RawMessage   `json:"shell_env"`
	AutoWireParent         json.RawMessage   `json:"auto_wire_parent"`
	LaunchMode             json.RawMessage   `json:"launch_mode"`
	ToolAccessPolicy       json.RawMessage   `json:"tool_access_policy"`
	InheritedToolFilter    json.RawMessage   `json:"inherited_tool_filter"`
	OverrideProfile        json.RawMessage   `json:"override_profile"`
}

// spawn creates one member, joins it to the mob's channel and queues its
// initial message as its first turn.
func (s *Server) spawn(ctx context.Context, c *connState, ms *mob.Service, mobID string, p spawnParams) (mob.Member, error) {
	for name, raw := range map[string]json.RawMessage{"context": p.Context, "auth_binding": p.AuthBinding, "placement": p.Placement,
		"binding": p.Binding, "shell_env": p.ShellEnv, "launch_mode": p.LaunchMode, "tool_access_policy": p.ToolAccessPolicy,
		"inherited_tool_filter": p.InheritedToolFilter, "override_profile": p.OverrideProfile} {
		if asks(raw) {
			return mob.Member{}, invalidParams("%s is not supported by this build", name)
		}
	}
	if p.Backend != "" && p.Backend != "session" {
		return mob.Member{}, invalidParams("backend must be session")
	}
	var prompt []llm.Block
	if asks(p.InitialMessage) {
		var err error
		if prompt, err = wire.ParseContent(p.InitialMessage); err != nil {
			return mob.Member{}, err
		}
	}
	m, err := ms.Spawn(ctx, mobID, mob.Spec{Profile: p.Profile, AgentIdentity: p.AgentIdentity, RuntimeMode: p.RuntimeMode,
		Labels: p.Labels, AdditionalInstructions: p.AdditionalInstructions, ModelOverride: p.ModelOverride})
	if err != nil {
		return mob.Member{}, err
	}
	svc, _, err := s.service()
	if err != nil {
		return mob.Member{}, err
	}
	wired, err := ms.Wiring(ctx, mobID)
	if err != nil {
		return mob.Member{}, err
	}
	cm, err := s.joinComms(ctx, c, svc, m.MemberRef, comms.Member{Name: m.AgentIdentity, Channel: "mob/" + mobID,
		Description: m.Description, Labels: m.Labels, Extra: map[string]any{"mob_id": mobID, "agent_identity": m.AgentIdentity,
			"role": m.Role, "status": m.Status, "runtime_mode": m.RuntimeMode},
		Allow: func(pi comms.PeerInfo) bool { return wired(m.Role, pi.Role) }})
	if err != nil {
		return mob.Member{}, err
	}
	m.PeerID = cm.peer.PeerID()
	if err := ms.SetPeer(ctx, mobID, m.AgentIdentity, m.PeerID); err != nil {
		return mob.Member{}, err
	}
	if len(prompt) > 0 {
		cm.add(prompt, comms.HandlingQueue)
	}
	return m, nil
}

// mobSpawn creates one member, joins it to the mob's channel and queues its
// initial message as its first turn.
func (s *Server) mobSpawn(ctx context.Context, c *connState, ms *mob.Service, p spawnParams) (any, error) {
	m, err := s.spawn(ctx, c, ms, p.MobID, p)
	if err != nil {
		return nil, err
	}
	return map[string]string{"mob_id": p.MobID, "agent_identity": m.AgentIdentity, "member_ref": m.MemberRef}, nil
}

// mobSpawnMany spawns each spec on its own: one bad spec fails alone.
func (s *Server) mobSpawnMany(ctx context.Context, c *connState, ms *mob.Service, p struct {
	MobID string            `json:"mob_id"`
	Specs []json.RawMessage `json:"specs"`
}) (any, error) {
	if _, err := ms.Status(ctx, p.MobID); err != nil {
		return nil, err
	}
	results := make([]map[string]any, 0, len(p.Specs))
	for _, raw := range p.Specs {
		spec, err := decode[spawnParams](raw)
		var m mob.Member
		if err == nil {
			m, err = s.spawn(ctx, c, ms, p.MobID, spec)
		}
		if err != nil {
			results = append(results, map[string]any{"status": "failed", "result": map[string]any{"cause": mob.Cause(err), "message": wireError(err).Message}})
			continue
		}
		results = append(results, map[string]any{"status": "spawned", "result": map[string]string{"agent_identity": m.AgentIdentity, "member_ref": m.MemberRef}})
	}
	return map[string]any{"results": results}, nil
}

func (s *Server) mobEvents(ctx context.Context, _ *connState, ms *mob.Service, p struct {
	MobID       string `json:"mob_id"`
	AfterCursor uint64 `json:"after_cursor"`
	Limit       int    `json:"limit"`
}) (any, error) {
	events, err := ms.Events(ctx, p.MobID, p.AfterCursor, p.Limit)
	return map[string]any{"events": events}, err
}

func (s *Server) mobLifecycle(ctx context.Context, c *connState, params json.RawMessage) (any, error) {
	p, err := decode[struct {
		MobID  string `json:"mob_id"`
		Action string `json:"action"`
	}](params)
	if err != nil {
		return nil, err
	}
	return s.lifecycle(ctx, c, p.MobID, p.Action)
}

// lifecycle applies a mob action; destroy also takes the members of this
// connection off the hub.
func (s *Server) lifecycle(ctx context.Context, c *connState, mobID, action string) (mob.Summary, error) {
	ms, err := s.mobs()
	if err != nil {
		return mob.Summary{}, err
	}
	members, err := ms.Members(ctx, mobID)
	if err != nil {
		return mob.Summary{}, err
	}
	sum, err := ms.Lifecycle(ctx, mobID, action)
	if err == nil && sum.Status == mob.StatusDestroyed {
		for _, m := range members {
			c.leaveComms(m.MemberRef)
		}
	}
	return sum, err
}

func (s *Server) mobDestroy(ctx context.Context, c *connState, params json.RawMessage) (any, error) {
	p, err := decode[mobIDParams](params)
	if err != nil {
		return nil, err
	}
	if _, err := s.lifecycle(ctx, c, p.MobID, "destroy"); err != nil {
		return nil, err
	}
	return map[string]any{"mob_id": p.MobID, "ok": true, "destroy_report": map[string]any{}}, nil
}

type profileParams struct {
	Name             string          `json:"name"`
	Profile          json.RawMessage `json:"profile"`
	ExpectedRevision *uint64         `json:"expected_revision"`
}

func (s *Server) mobProfilePut(ctx context.Context, params json.RawMessage, update bool) (any, error) {
	p, err := decode[profileParams](params)
	if err != nil {
		return nil, err
	}
	var expected uint64
	if update {
		if p.ExpectedRevision == nil || *p.ExpectedRevision == 0 {
			return nil, invalidParams("expected_revision is required")
		}
		expected = *p.ExpectedRevision
	} else if p.ExpectedRevision != nil {
		return nil, invalidParams("expected_revision belongs to mob/profile/update")
	}
	ms, err := s.mobs()
	if err != nil {
		return nil, err
	}
	return ms.PutProfile(ctx, p.Name, p.Profile, expected)
}

func (s *Server) mobProfileCreate(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	return s.mobProfilePut(ctx, params, false)
}

func (s *Server) mobProfileUpdate(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	return s.mobProfilePut(ctx, params, true)
}

func (s *Server) mobProfileGet(ctx context.Context, _ *connState, ms *mob.Service, p struct {
	Name string `json:"name"`
}) (any, error) {
	return ms.Profile(ctx, p.Name)
}

func (s *Server) mobProfileList(ctx context.Context, _ *connState, _ json.RawMessage) (any, error) {
	ms, err := s.mobs()
	if err != nil {
		return nil, err
	}
	list, err := ms.Profiles(ctx)
	return map[string]any{"profiles": list}, err
}

func (s *Server) mobProfileDelete(ctx context.Context, _ *connState, ms *mob.Service, p struct {
	Name             string `json:"name"`
	ExpectedRevision uint64 `json:"expected_revision"`
}) (any, error) {
	rev, err := ms.DeleteProfile(ctx, p.Name, p.ExpectedRevision)
	if err != nil {
		return nil, err
	}
	return map[string]any{"name": p.Name, "deleted_revision": rev}, nil
}
