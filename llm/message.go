// Package llm holds the provider-neutral vocabulary of the agent runtime:
// messages made of content blocks, tool definitions, usage, stop reasons, the
// streaming Provider interface, typed provider errors and the model catalog.
// Provider adapters (llm/anthropic, llm/openai, llm/gemini, llm/scripted)
// translate between these types and each provider's wire format.
package llm

import "encoding/json"

// Role is the author of a message.
type Role string

// Message roles. Tool results travel as blocks of a RoleUser message, the way
// most providers expect them; adapters regroup them where a provider differs.
const (
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
)

// BlockType names the kind of a content block.
type BlockType string

// Content block kinds.
const (
	BlockText       BlockType = "text"
	BlockImage      BlockType = "image"
	BlockToolUse    BlockType = "tool_use"
	BlockToolResult BlockType = "tool_result"
	BlockReasoning  BlockType = "reasoning"
)

// Block is one piece of message content. Which fields are meaningful depends
// on Type:
//   - text:        Text
//   - image:       MediaType, Data (base64)
//   - tool_use:    ID, Name, Args (the model's raw argument JSON), and
//     Signature when the provider put one on the call
//   - tool_result: ID (of the tool_use it answers), Text, IsError, and
//     Images: the result's image blocks, sent to providers that accept
//     images in tool results (Text names each with a placeholder)
//   - reasoning:   Text, Signature (opaque provider token to send back); or,
//     for a block the provider returned encrypted, Data only (opaque)
type Block struct {
	Type      BlockType       `json:"type"`
	Text      string          `json:"text,omitempty"`
	MediaType string          `json:"media_type,omitempty"`
	Data      string          `json:"data,omitempty"`
	ID        string          `json:"id,omitempty"`
	Name      string          `json:"name,omitempty"`
	Args      json.RawMessage `json:"args,omitempty"`
	IsError   bool            `json:"is_error,omitempty"`
	Signature string          `json:"signature,omitempty"`
	Images    []Block         `json:"images,omitempty"`
}

// Message is one entry of a conversation.
type Message struct {
	Role    Role    `json:"role"`
	Content []Block `json:"content"`
}

// Text returns a block holding s.
func Text(s string) Block { return Block{Type: BlockText, Text: s} }

// UserText returns a user message with a single text block.
func UserText(s string) Message { return Message{Role: RoleUser, Content: []Block{Text(s)}} }

// PlainText concatenates the text blocks of m.
func (m Message) PlainText() string {
	var out string
	for _, b := range m.Content {
		if b.Type == BlockText {
			out += b.Text
		}
	}
	return out
}

// ToolCalls returns the tool_use blocks of m.
func (m Message) ToolCalls() []Block {
	var out []Block
	for _, b := range m.Content {
		if b.Type == BlockToolUse {
			out = append(out, b)
		}
	}
	return out
}

// OnlyToolResults reports whether blocks is non-empty and holds tool results
// only: the user message that answers a batch of tool calls.
func OnlyToolResults(blocks []Block) bool {
	for _, b := range blocks {
		if b.Type != BlockToolResult {
			return false
		}
	}
	return len(blocks) > 0
}

// ToolDef describes a tool the model may call.
type ToolDef struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	InputSchema json.RawMessage `json:"input_schema"`
}

// Usage counts tokens of one model call or of a whole run.
type Usage struct {
	InputTokens         int64 `json:"input_tokens"`
	OutputTokens        int64 `json:"output_tokens"`
	CacheCreationTokens int64 `json:"cache_creation_tokens,omitempty"`
	CacheReadTokens     int64 `json:"cache_read_tokens,omitempty"`
}

// Total is input plus output tokens.
func (u Usage) Total() int64 { return u.InputTokens + u.OutputTokens }

// Add returns the element-wise sum of u and v.
func (u Usage) Add(v Usage) Usage {
	return Usage{
		InputTokens:         u.InputTokens + v.InputTokens,
		OutputTokens:        u.OutputTokens + v.OutputTokens,
		CacheCreationTokens: u.CacheCreationTokens + v.CacheCreationTokens,
		CacheReadTokens:     u.CacheReadTokens + v.CacheReadTokens,
	}
}

// StopReason says why the model ended its response.
type StopReason string

// Stop reasons, named as on the wire contract.
const (
	StopEndTurn       StopReason = "end_turn"
	StopToolUse       StopReason = "tool_use"
	StopMaxTokens     StopReason = "max_tokens"
	StopSequence      StopReason = "stop_sequence"
	StopContentFilter StopReason = "content_filter"
	StopCancelled     StopReason = "cancelled"
)

// Valid reports whether r is one of the known stop reasons.
func (r StopReason) Valid() bool {
	switch r {
	case StopEndTurn, StopToolUse, StopMaxTokens, StopSequence, StopContentFilter, StopCancelled:
		return true
	}
	return false
}
