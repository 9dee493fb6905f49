package llm

import "fmt"

// Provider ids of the built-in catalog.
const (
	ProviderAnthropic  = "anthropic"
	ProviderOpenAI     = "openai"
	ProviderGemini     = "gemini"
	ProviderSelfHosted = "self_hosted"
)

// Default model of each built-in provider (the contract's 0.8.26 catalog).
const (
	defaultAnthropic = "claude-opus-5"
	defaultGemini    = "gemini-3.5-flash"
	defaultOpenAI    = "gpt-5.6-sol"
)

// BuiltinCatalog returns the catalog of the models rkat knows: the models,
// capabilities and defaults of the contract's 0.8.26 catalog (providers in
// alphabetical order, as models/catalog lists them), plus the given
// self-hosted models, which form the "self_hosted" provider with the first
// as its default. Each self-hosted model must carry the ServerID of the
// server that serves it.
func BuiltinCatalog(selfHosted ...Model) (*Catalog, error) {
	providers := []ProviderModels{
		{Provider: ProviderAnthropic, DefaultModel: defaultAnthropic, Models: []Model{
			{ID: "claude-fable-5", DisplayName: "Claude Fable 5", Tier: TierRecommended, ContextWindow: 1_000_000, MaxOutputTokens: 128_000,
				Profile: Profile{Family: "claude-fable-5", Thinking: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true}},
			{ID: "claude-opus-5", DisplayName: "Claude Opus 5", Tier: TierRecommended, ContextWindow: 1_000_000, MaxOutputTokens: 128_000,
				Profile: Profile{Family: "claude-opus-5", Thinking: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true}},
			{ID: "claude-opus-4-8", DisplayName: "Claude Opus 4.8", Tier: TierRecommended, ContextWindow: 1_000_000, MaxOutputTokens: 128_000,
				Profile: Profile{Family: "claude-opus-4", Thinking: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true}},
			{ID: "claude-opus-4-7", DisplayName: "Claude Opus 4.7", Tier: TierSupported, ContextWindow: 1_000_000, MaxOutputTokens: 128_000,
				Profile: Profile{Family: "claude-opus-4", Thinking: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true}},
			{ID: "claude-sonnet-4-6", DisplayName: "Claude Sonnet 4.6", Tier: TierRecommended, ContextWindow: 1_000_000, MaxOutputTokens: 64_000,
				Profile: Profile{Family: "claude-sonnet-4", Temperature: true, Thinking: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true}},
			{ID: "claude-sonnet-4-5", DisplayName: "Claude Sonnet 4.5", Tier: TierSupported, ContextWindow: 200_000, MaxOutputTokens: 64_000,
				Profile: Profile{Family: "claude-sonnet-4", Temperature: true, Thinking: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true}},
			{ID: "claude-haiku-4-5-20251001", DisplayName: "Claude Haiku 4.5", Tier: TierRecommended, ContextWindow: 200_000, MaxOutputTokens: 64_000,
				Profile: Profile{Family: "claude-haiku-4", Temperature: true, Thinking: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true}},
			{ID: "claude-haiku-4-5", DisplayName: "Claude Haiku 4.5", Tier: TierRecommended, ContextWindow: 200_000, MaxOutputTokens: 64_000,
				Profile: Profile{Family: "claude-haiku-4", Temperature: true, Thinking: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true}},
			{ID: "claude-opus-4-5", DisplayName: "Claude Opus 4.5", Tier: TierSupported, ContextWindow: 200_000, MaxOutputTokens: 64_000,
				Profile: Profile{Family: "claude-opus-4", Temperature: true, Thinking: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true}},
		}},
		{Provider: ProviderGemini, DefaultModel: defaultGemini, Models: []Model{
			{ID: "gemini-3.5-flash", DisplayName: "Gemini 3.5 Flash", Tier: TierRecommended, ContextWindow: 1_048_576, MaxOutputTokens: 65_536,
				Profile: Profile{Family: "gemini-3", Temperature: true, Thinking: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true, InlineVideo: true}},
			{ID: "gemini-3.1-pro-preview", DisplayName: "Gemini 3.1 Pro Preview", Tier: TierSupported, ContextWindow: 1_048_576, MaxOutputTokens: 65_536,
				Profile: Profile{Family: "gemini-3", Temperature: true, Thinking: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true, InlineVideo: true}},
			{ID: "gemini-3.1-flash-lite-preview", DisplayName: "Gemini 3.1 Flash Lite Preview", Tier: TierSupported, ContextWindow: 1_048_576, MaxOutputTokens: 65_536,
				Profile: Profile{Family: "gemini-3", Temperature: true, Thinking: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true, InlineVideo: true}},
		}},
		{Provider: ProviderOpenAI, DefaultModel: defaultOpenAI, Models: []Model{
			{ID: "gpt-5.6-sol", DisplayName: "GPT-5.6 Sol", Tier: TierSupported, ContextWindow: 1_050_000, MaxOutputTokens: 128_000,
				Profile: Profile{Family: "gpt-5", Reasoning: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true, ImageGeneration: true}},
			{ID: "gpt-5.6-terra", DisplayName: "GPT-5.6 Terra", Tier: TierSupported, ContextWindow: 1_050_000, MaxOutputTokens: 128_000,
				Profile: Profile{Family: "gpt-5", Reasoning: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true, ImageGeneration: true}},
			{ID: "gpt-5.6-luna", DisplayName: "GPT-5.6 Luna", Tier: TierSupported, ContextWindow: 1_050_000, MaxOutputTokens: 128_000,
				Profile: Profile{Family: "gpt-5", Reasoning: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true, ImageGeneration: true}},
			{ID: "gpt-5.6", DisplayName: "GPT-5.6 Sol", Tier: TierSupported, ContextWindow: 1_050_000, MaxOutputTokens: 128_000,
				Profile: Profile{Family: "gpt-5", Reasoning: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true, ImageGeneration: true}},
			{ID: "gpt-5.5", DisplayName: "GPT-5.5", Tier: TierRecommended, ContextWindow: 1_050_000, MaxOutputTokens: 128_000,
				Profile: Profile{Family: "gpt-5", Reasoning: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true, ImageGeneration: true}},
			{ID: "gpt-5.5-pro", DisplayName: "GPT-5.5 Pro", Tier: TierRecommended, ContextWindow: 1_050_000, MaxOutputTokens: 128_000,
				Profile: Profile{Family: "gpt-5", Reasoning: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true, ImageGeneration: true}},
			{ID: "gpt-5.4", DisplayName: "GPT-5.4", Tier: TierSupported, ContextWindow: 1_050_000, MaxOutputTokens: 128_000,
				Profile: Profile{Family: "gpt-5", Reasoning: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true, ImageGeneration: true}},
			{ID: "gpt-5.4-mini", DisplayName: "GPT-5.4 Mini", Tier: TierSupported, ContextWindow: 128_000, MaxOutputTokens: 16_384,
				Profile: Profile{Family: "gpt-5", Reasoning: true, WebSearch: true, Vision: true, ImageInput: true, ImageToolResults: true, ImageGeneration: true}},
			{ID: "gpt-5.3-codex", DisplayName: "GPT-5.3 Codex", Tier: TierSupported, ContextWindow: 400_000, MaxOutputTokens: 128_000,
				Profile: Profile{Family: "codex", Reasoning: true, Vision: true, ImageInput: true, ImageToolResults: true, ImageGeneration: true}},
			{ID: "gpt-realtime-2", DisplayName: "GPT Realtime 2", Tier: TierRecommended, ContextWindow: 128_000, MaxOutputTokens: 32_000,
				Profile: Profile{Family: "gpt-realtime", Temperature: true, Reasoning: true, Vision: true, ImageInput: true, Realtime: true, ImageGeneration: true}},
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
