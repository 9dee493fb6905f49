package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"

	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/store"
)

// maxPatchAttempts bounds the compare-and-set retries of an unconditional
// config/patch racing other writers.
const maxPatchAttempts = 8

// maxConfigBytes bounds a realm's config document (compact JSON). Checked
// before saving, so every config the store holds fits in the answer of
// config/get (32 MiB response cap) with room to spare.
const maxConfigBytes = 1 << 20

// checkConfigSize refuses a config document over maxConfigBytes.
func checkConfigSize(data json.RawMessage) error {
	if len(data) > maxConfigBytes {
		return invalidParams("config of %d bytes exceeds the %d byte limit", len(data), maxConfigBytes)
	}
	return nil
}

func (s *Server) configGet(ctx context.Context, _ *connState, _ json.RawMessage) (any, error) {
	_, st, err := s.service()
	if err != nil {
		return nil, err
	}
	rc, err := st.Config(ctx)
	if err != nil {
		return nil, err
	}
	return s.envelope(rc), nil
}

func (s *Server) configSet(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p := wire.ConfigSetParams{Config: params}
	if err := unwrap(params, "config", &p); err != nil {
		return nil, err
	}
	data, err := store.ValidateConfig(p.Config)
	if err != nil {
		return nil, err
	}
	if err := checkConfigSize(data); err != nil {
		return nil, err
	}
	_, st, err := s.service()
	if err != nil {
		return nil, err
	}
	rc, err := st.SetConfig(ctx, data, p.ExpectedGeneration)
	if err != nil {
		return nil, err
	}
	return s.envelope(rc), nil
}

func (s *Server) configPatch(ctx context.Context, _ *connState, params json.RawMessage) (any, error) {
	p := wire.ConfigPatchParams{Patch: params}
	if err := unwrap(params, "patch", &p); err != nil {
		return nil, err
	}
	if t := bytes.TrimSpace(p.Patch); len(t) == 0 || t[0] != '{' {
		return nil, invalidParams("patch must be a JSON object (RFC 7396 merge patch)")
	}
	_, st, err := s.service()
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		cur, err := st.Config(ctx)
		if err != nil {
			return nil, err
		}
		expected := p.ExpectedGeneration
		if expected == nil {
			expected = &cur.Generation
		}
		merged, err := mergePatch(cur.Data, p.Patch)
		if err != nil {
			return nil, err
		}
		if err := checkConfigSize(merged); err != nil {
			return nil, err
		}
		rc, err := st.SetConfig(ctx, merged, expected)
		if errors.Is(err, store.ErrConflict) && p.ExpectedGeneration == nil && attempt < maxPatchAttempts {
			continue // another writer got in between; no generation was demanded
		}
		if err != nil {
			return nil, err
		}
		return s.envelope(rc), nil
	}
}

// unwrap decodes params into v when they hold key (the wrapped form, which
// must then be well-formed); without key, params are the bare document and v
// is left alone.
func unwrap(params json.RawMessage, key string, v any) error {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(params, &keys); err != nil {
		return invalidParams("params must be an object: %v", err)
	}
	if _, ok := keys[key]; !ok {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(params))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return invalidParams("%v", err)
	}
	return nil
}

func (s *Server) envelope(rc store.RealmConfig) wire.ConfigEnvelope {
	env := wire.ConfigEnvelope{Config: rc.Data, Generation: rc.Generation, Backend: s.cfg.Backend,
		ResolvedPaths: s.cfg.ResolvedPaths}
	if s.cfg.RealmID != "" {
		env.RealmID = &s.cfg.RealmID
	}
	if s.cfg.InstanceID != "" {
		env.InstanceID = &s.cfg.InstanceID
	}
	return env
}

// mergePatch applies an RFC 7396 JSON merge patch to target.
func mergePatch(target, patch json.RawMessage) (json.RawMessage, error) {
	var t, p any
	if len(bytes.TrimSpace(target)) > 0 {
		if err := json.Unmarshal(target, &t); err != nil {
			return nil, err
		}
	}
	if err := json.Unmarshal(patch, &p); err != nil {
		return nil, invalidParams("patch is not valid JSON: %v", err)
	}
	return json.Marshal(mergeValue(t, p))
}

func mergeValue(target, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	tm, ok := target.(map[string]any)
	if !ok {
		tm = map[string]any{}
	}
	for k, v := range pm {
		if v == nil {
			delete(tm, k)
			continue
		}
		tm[k] = mergeValue(tm[k], v)
	}
	return tm
}
