package llm

import (
	"fmt"
	"sort"
	"strings"
)

// Tier says how strongly the catalog recommends a model.
type Tier string

// Model tiers.
const (
	TierRecommended Tier = "recommended"
	TierSupported   Tier = "supported"
)

// Profile describes what a model can do.
type Profile struct {
	Family           string `json:"model_family"`
	Temperature      bool   `json:"supports_temperature"`
	Thinking         bool   `json:"supports_thinking"`
	Reasoning        bool   `json:"supports_reasoning"`
	WebSearch        bool   `json:"supports_web_search"`
	Vision           bool   `json:"vision"`
	ImageInput       bool   `json:"image_input"`
	ImageToolResults bool   `json:"image_tool_results"`
	InlineVideo      bool   `json:"inline_video"`
	Realtime         bool   `json:"realtime"`
	ImageGeneration  bool   `json:"image_generation"`
}

// Model is one catalog entry.
type Model struct {
	ID              string  `json:"id"`
	DisplayName     string  `json:"display_name"`
	Provider        string  `json:"-"`
	Tier            Tier    `json:"tier"`
	ContextWindow   int     `json:"context_window,omitempty"`
	MaxOutputTokens int     `json:"max_output_tokens,omitempty"`
	ServerID        string  `json:"server_id,omitempty"` // self-hosted server serving it
	Profile         Profile `json:"profile"`
	// Uncatalogued marks a model the catalog does not list, passed through
	// to an explicitly named provider with conservative capabilities.
	Uncatalogued bool `json:"-"`
}

// ProviderModels lists the models of one provider.
type ProviderModels struct {
	Provider     string  `json:"provider"`
	DefaultModel string  `json:"default_model_id"`
	Models       []Model `json:"models"`
}

// Catalog is the registry of known models and the single authority on which
// provider serves a model. It is immutable after New.
type Catalog struct {
	providers []ProviderModels
	byID      map[string]Model
}

// NewCatalog builds a catalog. Model ids must be unique across providers and
// each provider's default must be one of its models.
func NewCatalog(providers ...ProviderModels) (*Catalog, error) {
	c := &Catalog{byID: map[string]Model{}}
	for _, p := range providers {
		found := false
		for i := range p.Models {
			m := &p.Models[i]
			m.Provider = p.Provider
			if _, dup := c.byID[m.ID]; dup {
				return nil, fmt.Errorf("catalog: model %q listed twice", m.ID)
			}
			c.byID[m.ID] = *m
			found = found || m.ID == p.DefaultModel
		}
		if !found {
			return nil, fmt.Errorf("catalog: default model %q of %s is not among its models", p.DefaultModel, p.Provider)
		}
		c.providers = append(c.providers, p)
	}
	return c, nil
}

// Providers returns the catalog grouped by provider, in registration order.
func (c *Catalog) Providers() []ProviderModels { return c.providers }

// UnknownModelError reports a model id the catalog does not hold.
type UnknownModelError struct {
	ID          string
	Suggestions []string
}

func (e *UnknownModelError) Error() string {
	msg := fmt.Sprintf("unknown model %q", e.ID)
	if len(e.Suggestions) > 0 {
		msg += "; did you mean " + strings.Join(e.Suggestions, ", ") + "?"
	}
	return msg + " (run `rkat models` for the list)"
}

// UnknownProviderError reports a provider id the catalog does not hold.
type UnknownProviderError struct{ Provider string }

func (e *UnknownProviderError) Error() string {
	return fmt.Sprintf("unknown provider %q", e.Provider)
}

// Lookup returns the model with this id, or an *UnknownModelError naming
// close matches.
func (c *Catalog) Lookup(id string) (Model, error) {
	if m, ok := c.byID[id]; ok {
		return m, nil
	}
	return Model{}, &UnknownModelError{ID: id, Suggestions: c.closest(id, 3)}
}

// Uncatalogued returns the entry for a model the catalog does not list,
// served by an explicitly named provider: no capability is assumed (no
// thinking, reasoning, vision or sampling knobs), and context window and
// output cap are left to the provider. The provider must be one of the
// catalog's own; self-hosted models are declared with their server instead.
func (c *Catalog) Uncatalogued(provider, id string) (Model, error) {
	if provider == ProviderSelfHosted {
		return Model{}, &UnknownModelError{ID: id, Suggestions: c.closest(id, 3)}
	}
	if _, err := c.Default(provider); err != nil {
		return Model{}, err
	}
	return Model{ID: id, DisplayName: id, Provider: provider, Tier: TierSupported,
		Profile: Profile{Family: provider}, Uncatalogued: true}, nil
}

// Default returns the default model of a provider.
func (c *Catalog) Default(provider string) (Model, error) {
	for _, p := range c.providers {
		if p.Provider == provider {
			return c.byID[p.DefaultModel], nil
		}
	}
	return Model{}, &UnknownProviderError{Provider: provider}
}

// closest returns up to n model ids nearest to id by edit distance, ties
// broken alphabetically; ids sharing id as a substring rank first.
func (c *Catalog) closest(id string, n int) []string {
	type cand struct {
		id   string
		dist int
	}
	var cands []cand
	lid := strings.ToLower(id)
	for mid := range c.byID {
		d := editDistance(lid, strings.ToLower(mid))
		if lid != "" && strings.Contains(strings.ToLower(mid), lid) {
			d = 0
		}
		if d <= max(3, len(id)/3) {
			cands = append(cands, cand{mid, d})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].dist != cands[j].dist {
			return cands[i].dist < cands[j].dist
		}
		return cands[i].id < cands[j].id
	})
	var out []string
	for i := 0; i < len(cands) && i < n; i++ {
		out = append(out, cands[i].id)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, by bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
