package server

import (
	"encoding/json"
	"time"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/store"
)

// historyRow converts a committed row to its wire form (contract 4.4).
func historyRow(r store.Row) wire.HistoryRow {
	out := wire.HistoryRow{CreatedAt: r.Created.UTC().Format(time.RFC3339Nano), RunID: r.RunID}
	switch r.Role {
	case store.RoleSystem:
		out.Role = wire.RowSystem
		out.Content = mustJSON(wire.PlainText(r.Content))
		if r.Source != "" || r.IdempotencyKey != "" {
			out.Identity = &wire.RowIdentity{Source: r.Source, IdempotencyKey: r.IdempotencyKey}
		}
	case store.RoleSystemNotice:
		out.Role, out.Kind, out.Body = wire.RowSystemNotice, r.Kind, r.Body
		if out.Kind == "" {
			out.Kind = "generic"
		}
		for _, b := range r.Content {
			out.Blocks = append(out.Blocks, mustJSON(wire.ContentBlockOf(b)))
		}
	case store.RoleAssistant:
		out.Role = wire.RowBlockAssistant
		out.StopReason = string(r.StopReason)
		if !r.StopReason.Valid() {
			out.StopReason = string(llm.StopEndTurn)
		}
		for _, b := range r.Content {
			out.Blocks = append(out.Blocks, mustJSON(assistantBlock(b)))
		}
		if len(out.Blocks) == 0 {
			out.Blocks = append(out.Blocks, mustJSON(wire.AssistantBlock{BlockType: "text", Data: mustJSON(map[string]string{"text": ""})}))
		}
	case store.RoleToolResults:
		out.Role = wire.RowToolResults
		out.Results = []wire.ToolResult{}
		for _, b := range r.Content {
			out.Results = append(out.Results, wire.ToolResult{ToolUseID: b.ID,
				Content: wire.Content(append([]llm.Block{llm.Text(b.Text)}, b.Images...)), IsError: b.IsError})
		}
	default: // user rows, and any role this version does not know
		out.Role = wire.RowUser
		out.Content = wire.Content(r.Content)
		if len(r.Content) == 0 {
			out.Content = mustJSON("")
		}
		out.TranscriptRole = r.TranscriptRole
	}
	return out
}

func assistantBlock(b llm.Block) wire.AssistantBlock {
	switch b.Type {
	case llm.BlockText:
		return wire.AssistantBlock{BlockType: "text", Data: mustJSON(map[string]string{"text": b.Text})}
	case llm.BlockReasoning:
		return wire.AssistantBlock{BlockType: "reasoning", Data: mustJSON(map[string]string{"text": b.Text})}
	case llm.BlockToolUse:
		args := b.Args
		var obj map[string]json.RawMessage
		if json.Unmarshal(args, &obj) != nil || obj == nil {
			args = json.RawMessage("{}")
		}
		return wire.AssistantBlock{BlockType: "tool_use", Data: mustJSON(map[string]any{"id": b.ID, "name": b.Name, "args": args})}
	}
	return wire.AssistantBlock{BlockType: "unknown"}
}

// mustJSON marshals values that cannot fail to marshal (strings, maps of
// strings and raw JSON already validated).
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}
