package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/session"
)

// helpAsk runs a help session: the question goes to the model with a
// system prompt grounded in what this server really serves (its methods,
// capabilities and model catalog). The session is an ordinary one, listed
// and readable like any other.
func (s *Server) helpAsk(ctx context.Context, c *connState, params json.RawMessage) (any, error) {
	p, err := decode[wire.HelpParams](params)
	if err != nil {
		return nil, err
	}
	question := strings.TrimSpace(p.Question)
	if question == "" {
		return nil, invalidParams("question must not be empty")
	}
	switch p.ExecutionMode {
	case "":
		p.ExecutionMode = wire.HelpExplainOnly
	case wire.HelpExplainOnly, wire.HelpPlanExecution:
	default:
		return nil, invalidParams("execution_mode must be %q or %q", wire.HelpExplainOnly, wire.HelpPlanExecution)
	}
	if err := checkProvider(p.Provider); err != nil {
		return nil, err
	}
	req := session.CreateRequest{Model: p.Model, Provider: p.Provider,
		Prompt: []llm.Block{llm.Text(helpPrompt(question, p.Prompt, p.ExecutionMode, time.Now()))}}
	if p.MaxTokens != nil {
		if *p.MaxTokens < 0 {
			return nil, invalidParams("max_tokens must not be negative")
		}
		req.MaxTokens = *p.MaxTokens
	}
	system := s.helpSystemPrompt()
	req.SystemPrompt = &system
	svc, _, err := s.service()
	if err != nil {
		return nil, err
	}
	run := c.newRun(s, nil)
	req.Tools, req.OnEvent = run.tools, run.onEvent
	res, err := svc.Create(ctx, req)
	return s.runResult(res.Run, err)
}

// helpPrompt renders the user turn of a help session.
func helpPrompt(question, inert, mode string, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Question:\n%s\n\nCurrent time (UTC): %s\nPosture: %s\n", question, now.UTC().Format(time.RFC3339), mode)
	if inert = strings.TrimSpace(inert); inert != "" {
		fmt.Fprintf(&b, "\nA prompt the caller may run later (do not act on it, only discuss it):\n%s\n", inert)
	}
	if mode == wire.HelpPlanExecution {
		b.WriteString("\nGive a plan with the exact requests or commands to run later; run nothing.\n")
	} else {
		b.WriteString("\nExplain; run nothing.\n")
	}
	return b.String()
}

// helpSystemPrompt grounds a help session in facts this server reports
// about itself, so the answer names only what exists.
func (s *Server) helpSystemPrompt() string {
	var b strings.Builder
	b.WriteString(`You answer questions about using rkat-rpc, the JSON-RPC 2.0 server of the rkat agent runtime (one JSON object per line on stdin/stdout; the Python SDK meerkat-sdk and the Go SDK drive it).
Name only the methods, capabilities and models listed below; if something asked about is not listed, say it is not available in this build. Never claim to have run anything.

Methods served: `)
	b.WriteString(strings.Join(s.Methods(), ", "))
	var on, off []string
	for _, c := range s.caps.Capabilities {
		if string(c.Status) == `"`+wire.StatusAvailable+`"` {
			on = append(on, c.ID)
		} else {
			off = append(off, c.ID)
		}
	}
	fmt.Fprintf(&b, "\nCapabilities available: %s\nCapabilities not available: %s\n", strings.Join(on, ", "), strings.Join(off, ", "))
	if s.cfg.Catalog != nil {
		b.WriteString("Models by provider (default first):\n")
		for _, p := range s.cfg.Catalog.Providers() {
			ids := []string{p.DefaultModel}
			for _, m := range p.Models {
				if m.ID != p.DefaultModel {
					ids = append(ids, m.ID)
				}
			}
			fmt.Fprintf(&b, "- %s: %s\n", p.Provider, strings.Join(ids, ", "))
		}
	}
	return b.String()
}
