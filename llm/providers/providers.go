// Package providers resolves a provider and model to a ready llm.Provider:
// it implements llm.Resolver over the built-in model catalog, the adapters
// (llm/anthropic, llm/openai, llm/gemini), self-hosted OpenAI-compatible
// servers declared in configuration, and the offline scripted provider.
//
// Credentials come from the environment, the RKAT_-prefixed variable first:
// Anthropic RKAT_ANTHROPIC_API_KEY, ANTHROPIC_API_KEY; OpenAI
// RKAT_OPENAI_API_KEY, OPENAI_API_KEY; Gemini RKAT_GEMINI_API_KEY,
// GEMINI_API_KEY, RKAT_GOOGLE_API_KEY, GOOGLE_API_KEY. A provider's
// api_key_env in the configuration names a variable read before those.
// Base URLs: RKAT_<P>_BASE_URL, then <P>_BASE_URL, then the configuration's
// base_url, then the provider's documented API root.
package providers

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/anthropic"
	"github.com/rkat-dev/rkat/llm/gemini"
	"github.com/rkat-dev/rkat/llm/openai"
	"github.com/rkat-dev/rkat/llm/scripted"
)

// EnvTestClient set to "1" sends every model to the scripted provider.
const EnvTestClient = "RKAT_TEST_CLIENT"

// Config configures a Resolver.
type Config struct {
	// Getenv looks up environment variables (os.Getenv in programs); nil
	// means an empty environment.
	Getenv func(string) string
	// File is the user's configuration.
	File File
	// HTTPClient is shared by the adapters; nil gives each its own.
	HTTPClient *http.Client
}

// builtin describes how a built-in provider is reached.
type builtin struct {
	name    string
	keyVars []string
	urlVars []string
	build   func(key, baseURL string, client *http.Client) llm.Provider
	// realtime, when set, builds the adapter of the provider's realtime
	// models (catalog Profile.Realtime).
	realtime func(key, baseURL string, client *http.Client) llm.Provider
}

var builtins = []builtin{
	{llm.ProviderAnthropic, []string{"RKAT_ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY"}, []string{"RKAT_ANTHROPIC_BASE_URL", "ANTHROPIC_BASE_URL"},
		func(key, url string, c *http.Client) llm.Provider {
			return anthropic.New(anthropic.Config{APIKey: key, BaseURL: url, HTTPClient: c})
		}, nil},
	{llm.ProviderOpenAI, []string{"RKAT_OPENAI_API_KEY", "OPENAI_API_KEY"}, []string{"RKAT_OPENAI_BASE_URL", "OPENAI_BASE_URL"},
		func(key, url string, c *http.Client) llm.Provider {
			return openai.New(openai.Config{APIKey: key, BaseURL: url, HTTPClient: c})
		},
		func(key, url string, c *http.Client) llm.Provider {
			return openai.NewRealtime(openai.Config{APIKey: key, BaseURL: url, HTTPClient: c})
		}},
	{llm.ProviderGemini, []string{"RKAT_GEMINI_API_KEY", "GEMINI_API_KEY", "RKAT_GOOGLE_API_KEY", "GOOGLE_API_KEY"}, []string{"RKAT_GEMINI_BASE_URL", "GEMINI_BASE_URL"},
		func(key, url string, c *http.Client) llm.Provider {
			return gemini.New(gemini.Config{APIKey: key, BaseURL: url, HTTPClient: c})
		}, nil},
}

// IsKeyVar reports whether name is one of the standard environment
// variables a built-in provider reads its API key from (a configured
// api_key_env is not among them).
func IsKeyVar(name string) bool {
	for _, b := range builtins {
		if slices.Contains(b.keyVars, name) {
			return true
		}
	}
	return false
}

// MissingKeyError reports a provider chosen without credentials.
type MissingKeyError struct {
	Provider string
	Vars     []string // variables looked up, in order
}

func (e *MissingKeyError) Error() string {
	return fmt.Sprintf("no API key for %s: set %s", e.Provider, strings.Join(e.Vars, " or "))
}

// ErrNoProvider is returned when no model is named and no provider has
// credentials.
var ErrNoProvider = errors.New("no provider credentials: set ANTHROPIC_API_KEY, OPENAI_API_KEY or GEMINI_API_KEY " +
	"(or the RKAT_ variants), declare a self-hosted server, or run offline with --provider scripted (or RKAT_TEST_CLIENT=1)")

// Resolver implements llm.Resolver. It is immutable after New and safe for
// concurrent use.
type Resolver struct {
	catalog  *llm.Catalog
	adapters map[string]llm.Provider // provider id or "self_hosted/<server>"
	missing  map[string]*MissingKeyError
	scripted *scripted.Provider
	forced   bool // RKAT_TEST_CLIENT=1
}

// New builds a resolver: the catalog with the configured self-hosted
// models, an adapter for every provider with credentials and for every
// self-hosted server, and the scripted provider (its script from
// RKAT_TEST_SCRIPT, else the configuration).
func New(cfg Config) (*Resolver, error) {
	getenv := cfg.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	r := &Resolver{adapters: map[string]llm.Provider{}, missing: map[string]*MissingKeyError{}, forced: getenv(EnvTestClient) == "1"}
	for _, b := range builtins {
		pc := cfg.File.Providers[b.name]
		vars := b.keyVars
		if pc.APIKeyEnv != "" {
			vars = append([]string{pc.APIKeyEnv}, vars...)
		}
		key := first(getenv, vars)
		if key == "" {
			r.missing[b.name] = &MissingKeyError{Provider: b.name, Vars: vars}
			continue
		}
		url := first(getenv, b.urlVars)
		if url == "" {
			url = pc.BaseURL
		}
		r.adapters[b.name] = b.build(key, url, cfg.HTTPClient)
		if b.realtime != nil {
			r.adapters[realtimeKey(b.name)] = b.realtime(key, url, cfg.HTTPClient)
		}
	}
	selfHosted, err := r.addServers(cfg, getenv)
	if err != nil {
		return nil, err
	}
	if r.catalog, err = llm.BuiltinCatalog(selfHosted...); err != nil {
		return nil, err
	}
	if r.scripted, err = newScripted(getenv, cfg.File.Scripted.Script); err != nil {
		return nil, err
	}
	return r, nil
}

// addServers creates a Chat Completions adapter per self-hosted server and
// returns their models, in server id order.
func (r *Resolver) addServers(cfg Config, getenv func(string) string) ([]llm.Model, error) {
	ids := make([]string, 0, len(cfg.File.SelfHosted.Servers))
	for id := range cfg.File.SelfHosted.Servers {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var models []llm.Model
	for _, id := range ids {
		sc := cfg.File.SelfHosted.Servers[id]
		if sc.BaseURL == "" || len(sc.Models) == 0 {
			return nil, fmt.Errorf("self_hosted.servers.%s: base_url and models are required", id)
		}
		key := ""
		if sc.APIKeyEnv != "" {
			key = getenv(sc.APIKeyEnv)
		}
		r.adapters[serverKey(id)] = openai.NewChat(openai.Config{APIKey: key, BaseURL: sc.BaseURL, HTTPClient: cfg.HTTPClient})
		for _, m := range sc.Models {
			models = append(models, llm.Model{ID: m, ServerID: id})
		}
	}
	return models, nil
}

func newScripted(getenv func(string) string, path string) (*scripted.Provider, error) {
	if getenv(scripted.EnvScript) != "" || path == "" {
		return scripted.FromEnv(getenv)
	}
	s, err := scripted.Load(path)
	if err != nil {
		return nil, fmt.Errorf("scripted.script: %w", err)
	}
	return scripted.New(scripted.Config{Script: s}), nil
}

func serverKey(id string) string { return llm.ProviderSelfHosted + "/" + id }

// first returns the first non-empty value of vars.
func first(getenv func(string) string, vars []string) string {
	for _, v := range vars {
		if s := getenv(v); s != "" {
			return s
		}
	}
	return ""
}

// Catalog returns the catalog the resolver serves.
func (r *Resolver) Catalog() *llm.Catalog { return r.catalog }

// Resolve returns the provider and catalog entry for a request. The
// scripted provider serves provider or model "scripted", and everything
// when RKAT_TEST_CLIENT=1. Without a model, the provider's default model is
// used; without either, the first of anthropic, openai, gemini and
// self_hosted that is usable. A model the catalog does not list goes to an
// explicitly named built-in provider as it is (the entry is marked
// Uncatalogued, with no capabilities assumed); without a provider it is an
// *llm.UnknownModelError naming close matches. A provider without
// credentials is a *MissingKeyError.
func (r *Resolver) Resolve(provider, model string) (llm.Provider, llm.Model, error) {
	if r.forced || provider == scripted.Name || model == scripted.Name {
		if model == "" {
			model = scripted.Name
		}
		m := llm.Model{ID: model, DisplayName: model, Provider: scripted.Name, Tier: llm.TierSupported}
		if known, err := r.catalog.Lookup(model); err == nil && known.Profile.Realtime {
			m.Profile = known.Profile // scripted stands in for a realtime model, live channels included
		}
		return r.scripted, m, nil
	}
	var m llm.Model
	var err error
	switch {
	case model != "":
		m, err = r.catalog.Lookup(model)
		var unknown *llm.UnknownModelError
		if errors.As(err, &unknown) && provider != "" {
			m, err = r.catalog.Uncatalogued(provider, model)
		}
		if err != nil {
			return nil, llm.Model{}, err
		}
		if provider != "" && provider != m.Provider {
			return nil, llm.Model{}, fmt.Errorf("model %q is served by %s, not %s", model, m.Provider, provider)
		}
	case provider != "":
		if m, err = r.catalog.Default(provider); err != nil {
			return nil, llm.Model{}, err
		}
	default:
		if m, err = r.firstUsable(); err != nil {
			return nil, llm.Model{}, err
		}
	}
	if p, ok := r.adapters[adapterKey(m)]; ok {
		return p, m, nil
	}
	if e, ok := r.missing[m.Provider]; ok {
		return nil, llm.Model{}, e
	}
	return nil, llm.Model{}, &llm.UnknownProviderError{Provider: m.Provider}
}

// priority is the order in which providers are tried when neither model
// nor provider is named.
var priority = []string{llm.ProviderAnthropic, llm.ProviderOpenAI, llm.ProviderGemini, llm.ProviderSelfHosted}

// firstUsable returns the default model of the first provider, in priority
// order, that has an adapter.
func (r *Resolver) firstUsable() (llm.Model, error) {
	for _, p := range priority {
		m, err := r.catalog.Default(p)
		if err == nil && r.adapters[adapterKey(m)] != nil {
			return m, nil
		}
	}
	return llm.Model{}, ErrNoProvider
}

// adapterKey names the adapter that serves m: its provider's, its
// provider's realtime adapter, or its self-hosted server's.
func adapterKey(m llm.Model) string {
	switch {
	case m.ServerID != "":
		return serverKey(m.ServerID)
	case m.Profile.Realtime:
		return realtimeKey(m.Provider)
	}
	return m.Provider
}

func realtimeKey(provider string) string { return provider + "/realtime" }
