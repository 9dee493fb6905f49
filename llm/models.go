package llm

import "fmt"

// Provider ids of the built-in catalog.
const (
	ProviderAnthropic  = "anthropic"
	ProviderOpenAI     = "openai"
	ProviderGemini     = "gemini"
	ProviderSelfHosted = "self_hosted"
)

// BuiltinCatalog returns the catalog of the models rkat knows, current
// flagship and small models of each provider (ids as the providers document
// them, November 2026), plus the given self-hosted models, which form the
// "self_hosted" provider with the first as its default. Each self-hosted
// model must carry the ServerID of the server that serves it.
func BuiltinCatalog(selfHosted ...Model) (*Catalog, error) {
	claude := Profile{Family: "claude", Thinking: true, Vision: true, ImageInput: true, ImageToolResults: true, WebSearch: true}
	claudeSampling := claude
	claudeSampling.Temperature = true
	gpt := Profile{Family: "gpt-5", Reasoning: true, Vision: true, ImageInput: true, ImageToolResults: true, WebSearch: true}
	realtime := Profile{Family: "gpt-realtime", Realtime: true, ImageInput: true, Vision: true}
	gemini := Profile{Family: "gemini", Temperature: true, Thinking: true, Vision: true, ImageInput: true,
		ImageToolResults: true, InlineVideo: true, WebSearch: true}
	providers := []ProviderModels{
		{Provider: ProviderAnthropic, DefaultModel: "claude-sonnet-5-5", Models: []Model{
			{ID: "claude-opus-5-5", DisplayName: "Claude Opus 5.5", Tier: TierRecommended, ContextWindow: 1_000_000, MaxOutputTokens: 128_000, Profile: claude},
			{ID: "claude-sonnet-5-5", DisplayName: "Claude Sonnet 5.5", Tier: TierRecommended, ContextWindow: 1_000_000, MaxOutputTokens: 128_000, Profile: claude},
			{ID: "claude-haiku-4-5", DisplayName: "Claude Haiku 4.5", Tier: TierRecommended, ContextWindow: 200_000, MaxOutputTokens: 64_000, Profile: claudeSampling},
			{ID: "claude-sonnet-4-6", DisplayName: "Claude Sonnet 4.6", Tier: TierSupported, ContextWindow: 200_000, MaxOutputTokens: 64_000, Profile: claudeSampling},
		}},
		{Provider: ProviderOpenAI, DefaultModel: "gpt-5.5", Models: []Model{
			{ID: "gpt-5.5", DisplayName: "GPT-5.5", Tier: TierRecommended, ContextWindow: 1_050_000, MaxOutputTokens: 128_000, Profile: gpt},
			{ID: "gpt-5.5-pro", DisplayName: "GPT-5.5 pro", Tier: TierSupported, ContextWindow: 1_050_000, MaxOutputTokens: 128_000, Profile: gpt},
			{ID: "gpt-5.4", DisplayName: "GPT-5.4", Tier: TierSupported, ContextWindow: 1_050_000, MaxOutputTokens: 128_000, Profile: gpt},
			{ID: "gpt-5.4-mini", DisplayName: "GPT-5.4 mini", Tier: TierRecommended, ContextWindow: 400_000, MaxOutputTokens: 128_000, Profile: gpt},
			{ID: "gpt-5.4-nano", DisplayName: "GPT-5.4 nano", Tier: TierSupported, ContextWindow: 400_000, MaxOutputTokens: 128_000, Profile: gpt},
			{ID: "gpt-realtime-2", DisplayName: "GPT Realtime 2", Tier: TierRecommended, ContextWindow: 32_000, MaxOutputTokens: 4_096, Profile: realtime},
			{ID: "gpt-realtime-1.5", DisplayName: "GPT Realtime 1.5", Tier: TierRecommended, ContextWindow: 32_000, MaxOutputTokens: 4_096, Profile: realtime},
			{ID: "gpt-realtime", DisplayName: "GPT Realtime", Tier: TierSupported, ContextWindow: 32_000, MaxOutputTokens: 4_096, Profile: realtime},
			{ID: "gpt-realtime-mini", DisplayName: "GPT Realtime mini", Tier: TierSupported, ContextWindow: 32_000, MaxOutputTokens: 4_096, Profile: realtime},
		}},
		{Provider: ProviderGemini, DefaultModel: "gemini-3.1-pro-preview", Models: []Model{
			{ID: "gemini-3.1-pro-preview", DisplayName: "Gemini 3.1 Pro (preview)", Tier: TierRecommended, ContextWindow: 1_048_576, MaxOutputTokens: 65_536, Profile: gemini},
			{ID: "gemini-3-flash-preview", DisplayName: "Gemini 3 Flash (preview)", Tier: TierRecommended, ContextWindow: 1_048_576, MaxOutputTokens: 65_536, Profile: gemini},
			{ID: "gemini-3.1-flash-lite-preview", DisplayName: "Gemini 3.1 Flash-Lite (preview)", Tier: TierSupported, ContextWindow: 1_048_576, MaxOutputTokens: 65_536, Profile: gemini},
			{ID: "gemini-2.5-pro", DisplayName: "Gemini 2.5 Pro", Tier: TierSupported, ContextWindow: 1_048_576, MaxOutputTokens: 65_536, Profile: gemini},
			{ID: "gemini-2.5-flash", DisplayName: "Gemini 2.5 Flash", Tier: TierSupported, ContextWindow: 1_048_576, MaxOutputTokens: 65_536, Profile: gemini},
		}},
	}
	if len(selfHosted) > 0 {
		models := make([]Model, len(selfHosted))
		for i, m := range selfHosted {
			if m.ServerID == "" {
				return nil, fmt.Errorf("catalog: self-hosted model %q has no server id", m.ID)
			}
			if m.DisplayName == "" {
				m.DisplayName = m.ID
			}
			if m.Tier == "" {
				m.Tier = TierSupported
			}
			if m.Profile.Family == "" {
				m.Profile = Profile{Family: "self_hosted", Temperature: true}
			}
			models[i] = m
		}
		providers = append(providers, ProviderModels{Provider: ProviderSelfHosted, DefaultModel: models[0].ID, Models: models})
	}
	return NewCatalog(providers...)
}
