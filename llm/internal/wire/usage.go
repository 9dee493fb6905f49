package wire

import "github.com/rkat-dev/rkat/llm"

// CachedUsage maps the usage of APIs that count cached prompt tokens inside
// the prompt total (OpenAI, Gemini, most Chat Completions servers): the
// cached part is reported as cache reads and the rest as input.
func CachedUsage(prompt, cached, output int64) llm.Usage {
	cached = min(cached, prompt)
	return llm.Usage{InputTokens: prompt - cached, OutputTokens: output, CacheReadTokens: cached}
}
