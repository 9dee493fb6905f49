package mob

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rkat-dev/rkat/store"
)

// StoredProfile is a realm mob profile with its revision.
type StoredProfile struct {
	NotFound  bool            `json:"not_found"`
	Name      string          `json:"name"`
	Profile   json.RawMessage `json:"profile,omitempty"`
	Revision  uint64          `json:"revision,omitempty"`
	CreatedAt string          `json:"created_at,omitempty"`
	UpdatedAt string          `json:"updated_at,omitempty"`
}

func storedProfile(r store.Record) StoredProfile {
	return StoredProfile{Name: r.ID, Profile: r.Data, Revision: r.Revision,
		CreatedAt: r.Created.UTC().Format(time.RFC3339Nano), UpdatedAt: r.Updated.UTC().Format(time.RFC3339Nano)}
}

func checkProfile(name string, profile json.RawMessage) error {
	var obj map[string]json.RawMessage
	if name == "" || json.Unmarshal(profile, &obj) != nil || obj == nil {
		return fmt.Errorf("%w: a realm profile needs a name and an object", ErrInvalid)
	}
	if _, nested := obj["realm_profile"]; nested {
		return fmt.Errorf("%w: a realm profile cannot name another realm profile", ErrInvalid)
	}
	return nil
}

// PutProfile creates a realm profile (expected 0) or replaces it at
// revision expected.
func (s *Service) PutProfile(ctx context.Context, name string, profile json.RawMessage, expected uint64) (StoredProfile, error) {
	if err := checkProfile(name, profile); err != nil {
		return StoredProfile{}, err
	}
	r, err := s.cfg.Records.PutRecord(ctx, store.Record{Kind: kindProfile, ID: name, Data: profile}, expected)
	switch {
	case errors.Is(err, store.ErrExists):
		return StoredProfile{}, fmt.Errorf("%w: realm profile %q exists", ErrInvalid, name)
	case errors.Is(err, store.ErrNotFound):
		return StoredProfile{}, fmt.Errorf("%w: realm profile %q", ErrNotFound, name)
	case err != nil:
		return StoredProfile{}, err
	}
	return storedProfile(r), nil
}

// Profile returns a realm profile, NotFound set when there is none.
func (s *Service) Profile(ctx context.Context, name string) (StoredProfile, error) {
	r, err := s.cfg.Records.Record(ctx, kindProfile, name)
	if errors.Is(err, store.ErrNotFound) {
		return StoredProfile{NotFound: true, Name: name}, nil
	}
	if err != nil {
		return StoredProfile{}, err
	}
	return storedProfile(r), nil
}

// Profiles lists the realm profiles by name.
func (s *Service) Profiles(ctx context.Context) ([]StoredProfile, error) {
	recs, err := s.cfg.Records.RecordsOf(ctx, kindProfile)
	if err != nil {
		return nil, err
	}
	out := make([]StoredProfile, 0, len(recs))
	for _, r := range recs {
		out = append(out, storedProfile(r))
	}
	return out, nil
}

// DeleteProfile removes a realm profile at revision expected and returns
// that revision.
func (s *Service) DeleteProfile(ctx context.Context, name string, expected uint64) (uint64, error) {
	rev, err := s.cfg.Records.DeleteRecord(ctx, kindProfile, name, expected)
	if errors.Is(err, store.ErrNotFound) {
		return 0, fmt.Errorf("%w: realm profile %q", ErrNotFound, name)
	}
	return rev, err
}
