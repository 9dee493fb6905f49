package mob

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
)

// Mob statuses, PascalCase as on the wire.
const (
	StatusCreating  = "Creating"
	StatusRunning   = "Running"
	StatusStopped   = "Stopped"
	StatusCompleted = "Completed"
	StatusDestroyed = "Destroyed"
)

// Runtime modes of a member.
const (
	ModeAutonomousHost = "autonomous_host"
	ModeTurnDriven     = "turn_driven"
)

// Member statuses.
const (
	MemberActive  = "active"
	MemberRetired = "retired"
)

const (
	kindMob     = "mob"
	kindProfile = "mob_profile"
	maxMembers  = 256
)

// Sentinel errors; match with errors.Is.
var (
	// ErrInvalid: a malformed definition, spec or argument.
	ErrInvalid = errors.New("mob: invalid request")
	// ErrNotFound: no such mob, member or profile.
	ErrNotFound = errors.New("mob: not found")
	// ErrState: the mob's status does not allow the operation.
	ErrState = errors.New("mob: not allowed in this state")
	// ErrProfileNotFound: the mob has no profile of that name.
	ErrProfileNotFound = errors.New("mob: profile not found")
	// ErrMemberExists: the mob already has a member of that identity.
	ErrMemberExists = errors.New("mob: member already exists")
)

// Cause names err as the contract's spawn failure causes do.
func Cause(err error) string {
	switch {
	case errors.Is(err, ErrProfileNotFound):
		return "profile_not_found"
	case errors.Is(err, ErrMemberExists):
		return "member_already_exists"
	case errors.Is(err, ErrState):
		return "invalid_transition"
	case errors.Is(err, ErrNotFound):
		return "member_not_found"
	case errors.Is(err, ErrInvalid):
		return "definition_error"
	}
	return "schema_validation"
}

// WatermarkError is a mob/events cursor past the log's watermark.
type WatermarkError struct{ Watermark, Requested uint64 }

func (e *WatermarkError) Error() string {
	return fmt.Sprintf("mob: cursor %d is past the event watermark %d", e.Requested, e.Watermark)
}

// Config configures a Service.
type Config struct {
	Records  store.Records    // required
	Sessions *session.Service // required for members
	Now      func() time.Time // default time.Now
}

// Service manages the mobs of one realm.
type Service struct {
	cfg Config
	mu  sync.Mutex // serialises read-modify-write of mob records
}

// New returns a Service.
func New(cfg Config) (*Service, error) {
	if cfg.Records == nil || cfg.Sessions == nil {
		return nil, fmt.Errorf("%w: Records and Sessions are required", ErrInvalid)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg}, nil
}

// Definition is the part of a mob definition the Service reads; the whole
// document is kept as given.
type Definition struct {
	ID       string                     `json:"id"`
	Profiles map[string]json.RawMessage `json:"profiles"`
}

// Profile is the part of a profile the Service reads.
type Profile struct {
	Model           string `json:"model"`
	Provider        string `json:"provider"`
	SystemPrompt    string `json:"system_prompt"`
	PeerDescription string `json:"peer_description"`
	RealmProfile    string `json:"realm_profile"`
}

// Member is one member of a mob.
type Member struct {
	AgentIdentity string            `json:"agent_identity"`
	MemberRef     string            `json:"member_ref"` // the member's session id
	Role          string            `json:"role"`       // its profile name
	RuntimeMode   string            `json:"runtime_mode"`
	Labels        map[string]string `json:"labels,omitempty"`
	Status        string            `json:"status"`
	PeerID        string            `json:"peer_id,omitempty"`
	Description   string            `json:"-"`
}

// state is a mob's record.
type state struct {
	Definition json.RawMessage `json:"definition"`
	Status     string          `json:"status"`
	Members    []Member        `json:"members"`
}

// Summary is a mob's id and status.
type Summary struct {
	MobID  string `json:"mob_id"`
	Status string `json:"status"`
}

// Create stores a new mob from its definition and returns its id.
func (s *Service) Create(ctx context.Context, raw json.RawMessage) (string, error) {
	var def Definition
	if err := json.Unmarshal(raw, &def); err != nil {
		return "", fmt.Errorf("%w: definition: %v", ErrInvalid, err)
	}
	if def.ID == "" || len(def.Profiles) == 0 {
		return "", fmt.Errorf("%w: a definition needs an id and at least one profile", ErrInvalid)
	}
	for name, p := range def.Profiles {
		if _, err := s.profile(ctx, name, p); err != nil {
			return "", err
		}
	}
	if _, err := Wired(raw); err != nil {
		return "", err
	}
	st := state{Definition: raw, Status: StatusRunning, Members: []Member{}}
	if err := s.put(ctx, def.ID, st, 0); err != nil {
		if errors.Is(err, store.ErrExists) {
			return "", fmt.Errorf("%w: mob %q exists", ErrInvalid, def.ID)
		}
		return "", err
	}
	s.event(ctx, def.ID, "mob_created", nil)
	return def.ID, nil
}

// profile resolves an inline profile or {"realm_profile": name}.
func (s *Service) profile(ctx context.Context, name string, raw json.RawMessage) (Profile, error) {
	var p Profile
	if err := json.Unmarshal(raw, &p); err != nil {
		return p, fmt.Errorf("%w: profile %q: %v", ErrInvalid, name, err)
	}
	if p.RealmProfile == "" {
		return p, nil
	}
	rec, err := s.cfg.Records.Record(ctx, kindProfile, p.RealmProfile)
	if errors.Is(err, store.ErrNotFound) {
		return p, fmt.Errorf("%w: profile %q names realm profile %q, which does not exist", ErrInvalid, name, p.RealmProfile)
	}
	if err != nil {
		return p, err
	}
	var out Profile
	if err := json.Unmarshal(rec.Data, &out); err != nil {
		return p, fmt.Errorf("%w: realm profile %q: %v", ErrInvalid, p.RealmProfile, err)
	}
	return out, nil
}

func (s *Service) load(ctx context.Context, id string) (state, uint64, error) {
	rec, err := s.cfg.Records.Record(ctx, kindMob, id)
	if errors.Is(err, store.ErrNotFound) {
		return state{}, 0, fmt.Errorf("%w: mob %q", ErrNotFound, id)
	}
	if err != nil {
		return state{}, 0, err
	}
	var st state
	if err := json.Unmarshal(rec.Data, &st); err != nil {
		return state{}, 0, fmt.Errorf("mob %q: stored state: %w", id, err)
	}
	return st, rec.Revision, nil
}

func (s *Service) put(ctx context.Context, id string, st state, rev uint64) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	_, err = s.cfg.Records.PutRecord(ctx, store.Record{Kind: kindMob, ID: id, Data: data}, rev)
	return err
}

// event appends to the mob's log; a failed append is not the caller's
// failure (the state change it reports is already stored).
func (s *Service) event(ctx context.Context, id, kind string, fields map[string]any) {
	ev := map[string]any{"kind": kind, "mob_id": id, "timestamp_ms": s.cfg.Now().UnixMilli()}
	for k, v := range fields {
		ev[k] = v
	}
	data, _ := json.Marshal(ev)
	_, _ = s.cfg.Records.Append(ctx, "mob/"+id, data)
}

// List returns every mob that is not destroyed.
func (s *Service) List(ctx context.Context) ([]Summary, error) {
	recs, err := s.cfg.Records.RecordsOf(ctx, kindMob)
	if err != nil {
		return nil, err
	}
	out := []Summary{}
	for _, r := range recs {
		var st state
		if json.Unmarshal(r.Data, &st) == nil && st.Status != StatusDestroyed {
			out = append(out, Summary{MobID: r.ID, Status: st.Status})
		}
	}
	return out, nil
}

// Status returns a mob's status.
func (s *Service) Status(ctx context.Context, id string) (Summary, error) {
	st, _, err := s.load(ctx, id)
	if err != nil {
		return Summary{}, err
	}
	return Summary{MobID: id, Status: st.Status}, nil
}

// Members returns a mob's members that are not retired.
func (s *Service) Members(ctx context.Context, id string) ([]Member, error) {
	st, _, err := s.load(ctx, id)
	return slices.DeleteFunc(st.Members, func(m Member) bool { return m.Status == MemberRetired }), err
}

// Retire ends a member's membership (its session stays in the realm).
func (s *Service) Retire(ctx context.Context, id, identity string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, rev, err := s.load(ctx, id)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(st.Members, func(m Member) bool { return m.AgentIdentity == identity && m.Status != MemberRetired })
	if i < 0 {
		return fmt.Errorf("%w: member %q of mob %q", ErrNotFound, identity, id)
	}
	st.Members[i].Status = MemberRetired
	if err := s.put(ctx, id, st, rev); err != nil {
		return err
	}
	s.event(ctx, id, "member_retired", map[string]any{"agent_identity": identity})
	return nil
}

// Lifecycle applies action: stop, resume, complete or destroy. Destroy
// archives the members' sessions.
func (s *Service) Lifecycle(ctx context.Context, id, action string) (Summary, error) {
	to := map[string]string{"stop": StatusStopped, "resume": StatusRunning, "complete": StatusCompleted, "destroy": StatusDestroyed}[action]
	if to == "" {
		return Summary{}, fmt.Errorf("%w: action must be stop, resume, complete or destroy", ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, rev, err := s.load(ctx, id)
	if err != nil {
		return Summary{}, err
	}
	if st.Status == StatusDestroyed {
		return Summary{}, fmt.Errorf("%w: mob %q is destroyed", ErrState, id)
	}
	st.Status = to
	if to == StatusDestroyed {
		for i := range st.Members {
			st.Members[i].Status = MemberRetired
			if err := s.cfg.Sessions.Archive(ctx, st.Members[i].MemberRef); err != nil && !errors.Is(err, session.ErrNotFound) && !errors.Is(err, session.ErrArchived) {
				return Summary{}, err
			}
		}
	}
	if err := s.put(ctx, id, st, rev); err != nil {
		return Summary{}, err
	}
	s.event(ctx, id, "mob_"+map[string]string{"stop": "stopped", "resume": "resumed", "complete": "completed", "destroy": "destroyed"}[action], nil)
	return Summary{MobID: id, Status: to}, nil
}

// Spec asks for one member.
type Spec struct {
	Profile                string            `json:"profile"`
	AgentIdentity          string            `json:"agent_identity"`
	InitialMessage         json.RawMessage   `json:"initial_message,omitempty"`
	RuntimeMode            string            `json:"runtime_mode,omitempty"`
	Labels                 map[string]string `json:"labels,omitempty"`
	AdditionalInstructions []string          `json:"additional_instructions,omitempty"`
	ModelOverride          string            `json:"model_override,omitempty"`
}

// Spawn creates a member: a deferred session with the profile's settings,
// labelled with the mob and identity. The caller runs its first turn (the
// spec's initial message) as it runs any turn.
func (s *Service) Spawn(ctx context.Context, id string, spec Spec) (Member, error) {
	if spec.AgentIdentity == "" || spec.Profile == "" {
		return Member{}, fmt.Errorf("%w: profile and agent_identity are required", ErrInvalid)
	}
	switch spec.RuntimeMode {
	case "":
		spec.RuntimeMode = ModeAutonomousHost
	case ModeAutonomousHost, ModeTurnDriven:
	default:
		return Member{}, fmt.Errorf("%w: runtime_mode must be %s or %s", ErrInvalid, ModeAutonomousHost, ModeTurnDriven)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, rev, err := s.load(ctx, id)
	if err != nil {
		return Member{}, err
	}
	if st.Status != StatusRunning {
		return Member{}, fmt.Errorf("%w: mob %q is %s", ErrState, id, st.Status)
	}
	var def Definition
	_ = json.Unmarshal(st.Definition, &def) // validated by Create
	raw, ok := def.Profiles[spec.Profile]
	if !ok {
		return Member{}, fmt.Errorf("%w: mob %q has no profile %q", ErrProfileNotFound, id, spec.Profile)
	}
	if slices.ContainsFunc(st.Members, func(m Member) bool { return m.AgentIdentity == spec.AgentIdentity && m.Status != MemberRetired }) {
		return Member{}, fmt.Errorf("%w: mob %q already has a member %q", ErrMemberExists, id, spec.AgentIdentity)
	}
	if len(st.Members) >= maxMembers {
		return Member{}, fmt.Errorf("%w: a mob has at most %d members", ErrInvalid, maxMembers)
	}
	p, err := s.profile(ctx, spec.Profile, raw)
	if err != nil {
		return Member{}, err
	}
	labels := map[string]string{"mob_id": id, "mob_member": spec.AgentIdentity, "mob_role": spec.Profile}
	for k, v := range spec.Labels {
		labels[k] = v
	}
	req := session.CreateRequest{Deferred: true, Model: p.Model, Provider: p.Provider, Labels: labels,
		AdditionalInstructions: spec.AdditionalInstructions}
	if spec.ModelOverride != "" {
		req.Model = spec.ModelOverride
	}
	if p.SystemPrompt != "" {
		req.SystemPrompt = &p.SystemPrompt
	}
	res, err := s.cfg.Sessions.Create(ctx, req)
	if err != nil {
		return Member{}, fmt.Errorf("mob %q: member %q: %w", id, spec.AgentIdentity, err)
	}
	m := Member{AgentIdentity: spec.AgentIdentity, MemberRef: res.SessionID, Role: spec.Profile, RuntimeMode: spec.RuntimeMode,
		Labels: spec.Labels, Status: MemberActive, Description: p.PeerDescription}
	st.Members = append(st.Members, m)
	if err := s.put(ctx, id, st, rev); err != nil {
		return Member{}, err
	}
	s.event(ctx, id, "member_spawned", map[string]any{"agent_identity": m.AgentIdentity, "member_ref": m.MemberRef, "role": m.Role})
	return m, nil
}

// SetPeer records a member's hub peer id.
func (s *Service) SetPeer(ctx context.Context, id, identity, peerID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, rev, err := s.load(ctx, id)
	if err != nil {
		return err
	}
	for i := range st.Members {
		if st.Members[i].AgentIdentity == identity && st.Members[i].Status != MemberRetired {
			st.Members[i].PeerID = peerID
			return s.put(ctx, id, st, rev)
		}
	}
	return fmt.Errorf("%w: member %q of mob %q", ErrNotFound, identity, id)
}

// Events reads the mob's events after cursor after; a cursor past the
// watermark is a *WatermarkError.
func (s *Service) Events(ctx context.Context, id string, after uint64, limit int) ([]json.RawMessage, error) {
	if _, _, err := s.load(ctx, id); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	entries, water, err := s.cfg.Records.Log(ctx, "mob/"+id, after, limit)
	if err != nil {
		return nil, err
	}
	if after > water {
		return nil, &WatermarkError{Watermark: water, Requested: after}
	}
	out := make([]json.RawMessage, 0, len(entries))
	for _, e := range entries {
		var ev map[string]any
		if json.Unmarshal(e.Data, &ev) != nil {
			continue
		}
		ev["cursor"] = e.Cursor
		b, _ := json.Marshal(ev)
		out = append(out, b)
	}
	return out, nil
}
