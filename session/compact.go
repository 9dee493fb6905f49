package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rkat-dev/rkat/agent"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/store"
)

// Compaction defaults.
const (
	// DefaultCompactionThreshold is the share of the model's context window
	// past which a session's history is compacted.
	DefaultCompactionThreshold = 0.8
	// compactKeepRows is the least number of recent rows kept verbatim.
	compactKeepRows = 2
	// maxSummaryInput bounds the text handed to the summarising call.
	maxSummaryInput  = 400_000
	summaryMaxTokens = 2048
)

const summaryPrompt = "You compact a conversation between a user and an AI agent. Write a concise summary of the " +
	"transcript you are given that lets the agent continue the conversation: the user's goals and requests, decisions " +
	"made, facts learned, tool calls made and what they returned, open questions and the current state of the work. " +
	"Answer with the summary only."

// compactor summarises a session's older rows with the session's model into
// a durable compaction summary row (agent.Compactor).
type compactor struct {
	st       store.Store
	id       string
	runID    string
	fence    uint64 // the turn's lease token: a turn that lost its lease writes no summary
	provider llm.Provider
	model    string
	limit    int64
	rows     []store.Row // committed rows
	lead     []store.Row // this turn's leading rows but the prompt, not committed yet
}

func (c *compactor) Limit() int64 { return c.limit }

// Compact summarises the transcript rows before a cut (a conversational user
// row after the last summary, keeping at least compactKeepRows rows), commits
// the summary row and returns the new history: summary, kept rows and this
// turn's leading rows, as the turn's prepare builds it.
func (c *compactor) Compact(ctx context.Context) ([]llm.Message, int64, error) {
	last := lastSummary(c.rows)
	cut := -1
	for i := len(c.rows) - compactKeepRows; i > last+1 && cut < 0; i-- {
		if conversational(c.rows[i]) {
			cut = i
		}
	}
	if cut < 0 {
		return nil, 0, agent.ErrNothingToCompact
	}
	older := view(c.rows[:cut])
	text, err := c.summarise(ctx, older)
	if err != nil {
		return nil, 0, err
	}
	summary := store.Row{Role: store.RoleUser, TranscriptRole: store.TranscriptCompactionSummary, Replaces: cut,
		Content: []llm.Block{llm.Text("Summary of the earlier conversation:\n" + text)}, RunID: c.runID, Created: time.Now()}
	if _, err := c.st.Commit(context.WithoutCancel(ctx), store.Commit{SessionID: c.id, Fence: c.fence, Rows: []store.Row{summary},
		Update: store.Update{Touch: summary.Created}}); err != nil {
		return nil, 0, fmt.Errorf("session: commit compaction summary of %s: %w", c.id, err)
	}
	rows := append(append([]store.Row{summary}, c.rows[cut:]...), c.lead...)
	hist, _ := transcriptOf(rows)
	if n := len(hist); n > 0 && hist[n-1].Role == llm.RoleUser {
		hist = hist[:n-1] // prepare merged it into the run's input
	}
	return hist, agent.EstimateTokens([]llm.Message{llm.UserText(text)}), nil
}

// conversational reports whether a row starts a user message of the
// conversation (not tool results, injected context or a summary), where a
// transcript can start without splitting a tool call from its result.
func conversational(r store.Row) bool {
	if r.Role != store.RoleUser || r.TranscriptRole != "" {
		return false
	}
	for _, b := range r.Content {
		if b.Type == llm.BlockToolResult {
			return false
		}
	}
	return true
}

// summarise asks the session's model for a summary of rows.
func (c *compactor) summarise(ctx context.Context, rows []store.Row) (string, error) {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString("[" + string(r.Role) + "] ")
		if r.Body != "" {
			b.WriteString(r.Body + "\n")
		}
		for _, blk := range r.Content {
			switch blk.Type {
			case llm.BlockText:
				b.WriteString(blk.Text)
			case llm.BlockToolUse:
				b.WriteString("called tool " + blk.Name + " with " + string(blk.Args))
			case llm.BlockToolResult:
				b.WriteString("tool " + blk.Name + " returned: " + blk.Text)
			default:
				b.WriteString("[" + string(blk.Type) + "]")
			}
			b.WriteString("\n")
		}
	}
	input := b.String()
	if len(input) > maxSummaryInput {
		input = input[len(input)-maxSummaryInput:]
	}
	st, err := c.provider.Stream(ctx, &llm.Request{Model: c.model, System: summaryPrompt, MaxTokens: summaryMaxTokens,
		Messages: []llm.Message{llm.UserText("Summarise this transcript:\n\n" + input)}})
	if err != nil {
		return "", fmt.Errorf("session: summary call: %w", err)
	}
	defer st.Close()
	var out strings.Builder
	for {
		ev, err := st.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("session: summary call: %w", err)
		}
		if ev.Type == llm.EventTextDelta {
			out.WriteString(ev.Text)
		}
		if ev.Type == llm.EventStop {
			break
		}
	}
	if strings.TrimSpace(out.String()) == "" {
		return "", errors.New("session: the summary call returned no text")
	}
	return strings.TrimSpace(out.String()), nil
}
