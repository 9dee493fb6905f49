package llm

import (
	"errors"
	"strings"
	"testing"
)

func testCatalog(t *testing.T) *Catalog {
	t.Helper()
	c, err := NewCatalog(
		ProviderModels{Provider: "anthropic", DefaultModel: "claude-sonnet-4-5", Models: []Model{
			{ID: "claude-sonnet-4-5", Tier: TierRecommended}, {ID: "claude-haiku-4-5", Tier: TierSupported}}},
		ProviderModels{Provider: "openai", DefaultModel: "gpt-5", Models: []Model{
			{ID: "gpt-5", Tier: TierRecommended}, {ID: "gpt-5-mini", Tier: TierSupported}}},
	)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCatalogLookup(t *testing.T) {
	c := testCatalog(t)
	m, err := c.Lookup("gpt-5-mini")
	if err != nil || m.Provider != "openai" {
		t.Fatalf("Lookup(gpt-5-mini) = %+v, %v", m, err)
	}
	_, err = c.Lookup("claude-sonet-4-5")
	var ue *UnknownModelError
	if !errors.As(err, &ue) || len(ue.Suggestions) == 0 || ue.Suggestions[0] != "claude-sonnet-4-5" {
		t.Fatalf("typo lookup error = %v", err)
	}
	if !strings.Contains(err.Error(), "did you mean claude-sonnet-4-5") {
		t.Fatalf("message lacks suggestion: %v", err)
	}
	d, err := c.Default("anthropic")
	if err != nil || d.ID != "claude-sonnet-4-5" {
		t.Fatalf("Default = %+v, %v", d, err)
	}
	if _, err := c.Default("nope"); err == nil {
		t.Fatal("Default(nope) succeeded")
	}
}

func TestNewCatalogRejects(t *testing.T) {
	tests := []struct {
		name string
		ps   []ProviderModels
	}{
		{"duplicate id", []ProviderModels{
			{Provider: "a", DefaultModel: "m", Models: []Model{{ID: "m"}}},
			{Provider: "b", DefaultModel: "m", Models: []Model{{ID: "m"}}}}},
		{"default missing", []ProviderModels{{Provider: "a", DefaultModel: "x", Models: []Model{{ID: "m"}}}}},
	}
	for _, tt := range tests {
		if _, err := NewCatalog(tt.ps...); err == nil {
			t.Errorf("%s: NewCatalog succeeded", tt.name)
		}
	}
}

func TestClassifyStatus(t *testing.T) {
	tests := []struct {
		status    int
		kind      ErrorKind
		retryable bool
	}{
		{429, KindRateLimited, true}, {500, KindRetryable, true}, {503, KindRetryable, true},
		{529, KindRetryable, true}, {400, KindInvalid, false}, {401, KindAuth, false},
		{403, KindAuth, false}, {404, KindInvalid, false},
	}
	for _, tt := range tests {
		k := ClassifyStatus(tt.status)
		e := &Error{Kind: k}
		if k != tt.kind || e.Retryable() != tt.retryable {
			t.Errorf("status %d: kind %s retryable %v", tt.status, k, e.Retryable())
		}
	}
	wrapped := errors.Join(errors.New("ctx"), &Error{Provider: "x", Kind: KindRateLimited})
	if !IsRetryable(wrapped) {
		t.Error("IsRetryable misses a wrapped rate limit")
	}
}

func TestUsageAndMessage(t *testing.T) {
	u := Usage{InputTokens: 3, OutputTokens: 4, CacheReadTokens: 1}.Add(Usage{InputTokens: 1, OutputTokens: 1, CacheCreationTokens: 2})
	if u.Total() != 9 || u.CacheReadTokens != 1 || u.CacheCreationTokens != 2 {
		t.Fatalf("usage sum %+v", u)
	}
	m := Message{Role: RoleAssistant, Content: []Block{Text("a"), {Type: BlockToolUse, ID: "t1", Name: "x"}, Text("b")}}
	if m.PlainText() != "ab" || len(m.ToolCalls()) != 1 {
		t.Fatalf("PlainText %q calls %d", m.PlainText(), len(m.ToolCalls()))
	}
}
