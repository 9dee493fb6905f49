package llm

import (
	"errors"
	"testing"
)

func TestBuiltinCatalog(t *testing.T) {
	c, err := BuiltinCatalog(Model{ID: "qwen3:8b", ServerID: "ollama"}, Model{ID: "llama-3.3-70b", ServerID: "vllm"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{ProviderAnthropic, ProviderGemini, ProviderOpenAI, ProviderSelfHosted}
	ps := c.Providers()
	if len(ps) != len(want) {
		t.Fatalf("providers %d", len(ps))
	}
	realtime := 0
	for i, p := range ps {
		if p.Provider != want[i] || len(p.Models) == 0 {
			t.Fatalf("provider %d = %+v", i, p)
		}
		for _, m := range p.Models {
			if m.DisplayName == "" || (m.Tier != TierRecommended && m.Tier != TierSupported) || m.Profile.Family == "" {
				t.Errorf("incomplete entry %+v", m)
			}
			if p.Provider != ProviderSelfHosted && (m.ContextWindow == 0 || m.MaxOutputTokens == 0) {
				t.Errorf("%s lacks limits", m.ID)
			}
			if m.Profile.Realtime {
				realtime++
			}
		}
	}
	if realtime == 0 {
		t.Error("no realtime model")
	}
	m, err := c.Lookup("qwen3:8b")
	if err != nil || m.Provider != ProviderSelfHosted || m.ServerID != "ollama" {
		t.Fatalf("self-hosted lookup %+v, %v", m, err)
	}
	if d, _ := c.Default(ProviderSelfHosted); d.ID != "qwen3:8b" {
		t.Fatalf("self-hosted default %s", d.ID)
	}
	var ue *UnknownModelError
	if _, err := c.Lookup("gpt-5.5-mini"); !errors.As(err, &ue) || len(ue.Suggestions) == 0 {
		t.Fatalf("typo lookup %v", err)
	}
	for _, id := range []string{"claude-sonnet-4-5", "claude-fable-5", "gpt-5.4-mini", "gemini-3.5-flash"} {
		if _, err := c.Lookup(id); err != nil {
			t.Errorf("the contract's catalog lists %s: %v", id, err)
		}
	}
	for _, bad := range [][]Model{{{ID: "x"}}, {{ID: "gpt-5.5", ServerID: "s"}}} {
		if _, err := BuiltinCatalog(bad...); err == nil {
			t.Errorf("BuiltinCatalog(%+v) succeeded", bad)
		}
	}
}
