package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rkat-dev/rkat/agent"
	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/host"
	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/llm/providers"
	"github.com/rkat-dev/rkat/realm"
	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/tool"
	"github.com/rkat-dev/rkat/tool/builtin"
)

// Exit codes of `rkat run`.
const (
	exitFailure     = 1
	exitBudget      = 2
	exitInterrupted = 130
)

// realmFlags select the state root and realm of a command.
type realmFlags struct {
	stateRoot string
	name      string
	store     string
	leaseTTL  time.Duration
	isolated  bool
}

// register adds the realm flags to fs.
func (f *realmFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.stateRoot, "state-root", "", "state directory (default $RKAT_STATE_ROOT or ~/.rkat)")
	fs.StringVar(&f.name, "realm", "", "named realm (default: derived from the working directory)")
	fs.StringVar(&f.store, "store", "", "shared store URL (postgres://...; default $RKAT_STORE_URL, else [store] url of config.toml)")
	fs.DurationVar(&f.leaseTTL, "lease-ttl", 0, "how long the session stays busy for others if this process dies mid-turn (default 10s)")
}

// openService opens the realm's store and a read-only session service over
// it (no resolver, no tools). The returned function closes them.
func (f *realmFlags) openService(ctx context.Context) (*session.Service, func(), error) {
	r, st, err := f.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	svc, err := session.New(ctx, session.Config{Store: st, Realm: r.Name, LeaseTTL: f.leaseTTL})
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return svc, func() { svc.Close(); st.Close() }, nil
}

// openHost opens the realm's runtime through host for a CLI command: the
// MCP servers, skills and hooks of ./.rkat and ~/.rkat, current_time, the
// builtin tools of config.toml when builtins, and no schedule executor.
// The returned function closes it.
func (f *realmFlags) openHost(ctx context.Context, resolver *providers.Resolver, builtins bool) (*session.Service, func(), error) {
	r, err := f.resolve()
	if err != nil {
		return nil, nil, err
	}
	home, wd := configDirs()
	h, err := host.New(host.Config{Realm: r, Resolver: resolver, ProjectDir: wd, UserDir: home, Builtins: builtins,
		Tools: []tool.Tool{builtin.CurrentTime()}, NoScheduler: true, ToolTimeout: agent.DefaultToolTimeout, LeaseTTL: f.leaseTTL})
	if err != nil {
		return nil, nil, err
	}
	svc, _, err := h.Open(ctx)
	if err != nil {
		h.Close()
		return nil, nil, err
	}
	return svc, h.Close, nil
}

// openStore opens the realm's store.
func (f *realmFlags) openStore(ctx context.Context) (realm.Realm, store.Store, error) {
	r, err := f.resolve()
	if err != nil {
		return r, nil, err
	}
	st, err := realm.Open(ctx, r, nil)
	return r, st, err
}

// resolve names the realm of the flags and the working directory.
func (f *realmFlags) resolve() (realm.Realm, error) {
	wd, err := os.Getwd()
	if err != nil {
		return realm.Realm{}, err
	}
	home, _ := os.UserHomeDir()
	return realm.Resolve(realm.Options{StateRoot: f.stateRoot, Name: f.name, Isolated: f.isolated, WorkDir: wd,
		Store: f.store, ConfigFiles: providers.ConfigPaths(home, wd)})
}

type runFlags struct {
	realm        realmFlags
	sessionID    string
	model        string
	provider     string
	systemPrompt string
	maxTokens    int
	outputSchema string
	budget       agent.Budget
	labels       map[string]string
	json         bool
	builtins     bool
	shell        bool
}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [flags] PROMPT",
		Short: "Run one turn of an agent session, streaming the answer",
		Long: "Run one turn: a new session, or --session ID to continue one. The answer streams to stdout,\n" +
			"usage goes to stderr. Exit codes: 0 ok, 2 budget exhausted, 130 interrupted, 1 other errors.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRun(cmd, &f, strings.Join(args, " "))
		},
	}
	fl := cmd.Flags()
	f.realm.register(fl)
	fl.BoolVar(&f.realm.isolated, "isolated", false, "use a fresh realm of its own")
	fl.StringVar(&f.sessionID, "session", "", "continue this session")
	fl.StringVar(&f.model, "model", "", "model id (default: the provider's default)")
	fl.StringVar(&f.provider, "provider", "", "provider: anthropic, openai, gemini, self_hosted or scripted")
	fl.StringVar(&f.systemPrompt, "system-prompt", "", "system prompt")
	fl.IntVar(&f.maxTokens, "max-tokens", 0, "maximum output tokens per model call")
	fl.StringVar(&f.outputSchema, "output-schema", "", "JSON Schema file; the run ends with validated structured output")
	fl.Int64Var(&f.budget.MaxTokens, "budget-tokens", 0, "token budget of the run (input+output)")
	fl.DurationVar(&f.budget.MaxDuration, "budget-duration", 0, "wall-time budget of the run, e.g. 30s")
	fl.IntVar(&f.budget.MaxToolCalls, "budget-tool-calls", 0, "tool-call budget of the run")
	fl.IntVar(&f.budget.MaxTurns, "budget-turns", 0, "model-call budget of the run")
	fl.StringToStringVar(&f.labels, "label", nil, "label of a new session, k=v (repeatable)")
	fl.BoolVar(&f.json, "json", false, "print the result as one JSON object")
	fl.BoolVar(&f.builtins, "enable-builtins", false, "give a new session the builtin tools: files, apply_patch, tasks, datetime (default from [tools] config)")
	fl.BoolVar(&f.shell, "enable-shell", false, "give a new session the shell tool and its job tools (default from [tools] config)")
	return cmd
}

// runResultJSON is the --json output of `rkat run`.
type runResultJSON struct {
	SessionID        string                 `json:"session_id"`
	Text             string                 `json:"text"`
	Turns            int                    `json:"turns"`
	ToolCalls        int                    `json:"tool_calls"`
	Usage            wire.Usage             `json:"usage"`
	StructuredOutput json.RawMessage        `json:"structured_output,omitempty"`
	ExtractionError  *agent.ExtractionError `json:"extraction_error,omitempty"`
	TerminalCause    string                 `json:"terminal_cause_kind,omitempty"`
}

func runRun(cmd *cobra.Command, f *runFlags, prompt string) error {
	ctx := cmd.Context()
	out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
	var schema *agent.OutputSchema
	if f.outputSchema != "" {
		data, err := os.ReadFile(f.outputSchema)
		if err != nil {
			return &exitError{code: exitFailure, err: fmt.Errorf("--output-schema: %w", err)}
		}
		// CompileOutputSchema says when the file is not JSON at all.
		if schema, err = agent.CompileOutputSchema(data); err != nil {
			return &exitError{code: exitFailure, err: fmt.Errorf("--output-schema: %s: %w", f.outputSchema, err)}
		}
	}
	resolver, err := newResolver(os.Getenv)
	if err != nil {
		return &exitError{code: exitFailure, err: err}
	}
	if f.sessionID == "" || f.model != "" || f.provider != "" {
		// Fail on a missing key or unknown model before touching the state root.
		_, m, err := resolver.Resolve(f.provider, f.model)
		if err != nil {
			return &exitError{code: exitFailure, err: err}
		}
		if m.Uncatalogued {
			fmt.Fprintf(errOut, "rkat: warning: model %q is not in the catalog; sending it to %s as named, assuming no special capabilities\n", m.ID, m.Provider)
		}
	}
	flags := cmd.Flags()
	if f.sessionID != "" && (flags.Changed("enable-builtins") || flags.Changed("enable-shell")) {
		return &exitError{code: exitFailure, err: errors.New("--enable-builtins and --enable-shell apply to new sessions; a session keeps its own")}
	}
	svc, closeAll, err := f.realm.openHost(ctx, resolver, true)
	if err != nil {
		return &exitError{code: exitFailure, err: err}
	}
	defer closeAll()

	onEvent := func(session.Envelope) {}
	if !f.json {
		onEvent = streamTo(out, errOut)
	}
	var res session.RunResult
	if f.sessionID == "" {
		req := session.CreateRequest{
			Prompt: []llm.Block{llm.Text(prompt)}, Model: f.model, Provider: f.provider, MaxTokens: f.maxTokens,
			OutputSchema: schema, Budget: f.budget, Labels: f.labels, OnEvent: onEvent,
		}
		if flags.Changed("enable-builtins") {
			req.EnableBuiltins = &f.builtins
		}
		if flags.Changed("enable-shell") {
			req.EnableShell = &f.shell
		}
		if cmd.Flags().Changed("system-prompt") {
			req.SystemPrompt = &f.systemPrompt
		}
		var cr session.CreateResult
		cr, err = svc.Create(ctx, req)
		if cr.Run != nil {
			res = *cr.Run
		}
		res.SessionID = cr.SessionID
	} else {
		req := session.TurnRequest{
			SessionID: f.sessionID, Prompt: []llm.Block{llm.Text(prompt)}, Model: f.model, Provider: f.provider,
			MaxTokens: f.maxTokens, OutputSchema: schema, OnEvent: onEvent,
		}
		if cmd.Flags().Changed("system-prompt") {
			req.SystemPrompt = &f.systemPrompt
		}
		if f.budget != (agent.Budget{}) {
			req.Budget = &f.budget
		}
		res, err = svc.Turn(ctx, req)
	}
	if res.SessionID != "" {
		if f.json {
			writeJSON(out, runResultJSON{
				SessionID: res.SessionID, Text: res.Text, Turns: res.Turns, ToolCalls: res.ToolCalls,
				Usage: wire.UsageOf(res.Usage), StructuredOutput: res.StructuredOutput, ExtractionError: res.ExtractionError,
				TerminalCause: string(res.TerminalCause),
			})
		} else {
			if len(res.StructuredOutput) > 0 {
				fmt.Fprintf(out, "%s\n", res.StructuredOutput)
			}
			fmt.Fprintf(errOut, "[session %s · turns %d · tool calls %d · tokens in %d out %d]\n",
				res.SessionID, res.Turns, res.ToolCalls, res.Usage.InputTokens, res.Usage.OutputTokens)
		}
	}
	return runExit(err)
}

// runExit maps a run error to the process exit code.
func runExit(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, session.ErrInterrupted):
		return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
	case errors.Is(err, agent.ErrBudgetExhausted):
		return &exitError{code: exitBudget, err: err}
	}
	return &exitError{code: exitFailure, err: err}
}

// streamTo prints answer text to out as it arrives and tool activity to
// errOut.
func streamTo(out, errOut io.Writer) func(session.Envelope) {
	atLineStart := true
	tools := newToolDisplay(errOut)
	return func(env session.Envelope) {
		if tools.event(env.Event) {
			return
		}
		switch ev := env.Event.(type) {
		case event.TextDelta:
			fmt.Fprint(out, ev.Delta)
			atLineStart = strings.HasSuffix(ev.Delta, "\n")
		case event.TextComplete:
			if !atLineStart {
				fmt.Fprintln(out)
				atLineStart = true
			}
		case event.Retrying:
			fmt.Fprintf(errOut, "[retrying in %s: %s]\n", time.Duration(ev.DelayMS)*time.Millisecond, ev.Error)
		case event.ToolConfigChanged:
			fmt.Fprintln(errOut, toolChangeLine(ev.Payload))
		case event.BudgetWarning:
			fmt.Fprintf(errOut, "[budget %s at %.0f%%]\n", ev.BudgetType, ev.Percent)
		}
	}
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
