package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/rkat-dev/rkat/agentpeer"
)

// newAgentCmd returns `rkat agent`: agents as peers in realtime channels.
func newAgentCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "agent",
		Short: "Run agents as peers in realtime channels",
	}
	cmd.AddCommand(newAgentJoinCmd())
	return cmd
}

type agentJoinFlags struct {
	realm        realmFlags
	url          string
	key          string
	token        string
	channel      string
	name         string
	model        string
	provider     string
	systemPrompt string
	metadata     map[string]string
	answerAgents bool
}

func newAgentJoinCmd() *cobra.Command {
	var f agentJoinFlags
	var level *slog.Level
	cmd := &cobra.Command{
		Use:   "join --url ws://HOST:PORT/v1 (--key KEY | --token JWT) --channel CHANNEL",
		Short: "Join a realtime channel as an agent and answer prompts until interrupted",
		Long: `Join CHANNEL on the realtime server at URL as an agent peer and answer, until
interrupted, every prompt published to the channel (on the channel) and every
prompt sent to the agent directly (to the sender alone); the protocol is in
docs/agent-peer-protocol.md. Each conversation is a session of the realm, so a
restarted agent continues them. With a realtime model (--model gpt-realtime-2,
offline with --provider scripted) a person who adds a microphone track to
their connection with the agent talks with it: a live channel on their
conversation, its audio back on a track, transcripts as chat messages.

Presence metadata ({"kind":"agent","name":...,"model":...} plus --metadata)
travels only in a token: with a secret key (sk_...) the agent mints its own
through POST /v1/tokens; --token takes one minted elsewhere; a publishable
key joins without metadata.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: *level}))
			return runAgentJoin(cmd, &f, log)
		},
	}
	fl := cmd.Flags()
	f.realm.register(fl)
	fl.StringVar(&f.url, "url", "", "realtime server, ws://HOST:PORT/v1 (or wss://)")
	fl.StringVar(&f.key, "key", "", "secret key sk_... (the agent mints tokens with its metadata) or publishable key")
	fl.StringVar(&f.token, "token", "", "a JWT to connect with instead of a key")
	fl.StringVar(&f.channel, "channel", "", "channel to join")
	fl.StringVar(&f.name, "name", agentpeer.DefaultName, "the agent's name in presence and in its sessions' labels")
	fl.StringVar(&f.model, "model", "", "model id (default: the provider's default)")
	fl.StringVar(&f.provider, "provider", "", "provider: anthropic, openai, gemini, self_hosted or scripted (with --model: that provider serves it)")
	fl.StringVar(&f.systemPrompt, "system-prompt", "", "system prompt of every conversation")
	fl.StringToStringVar(&f.metadata, "metadata", nil, "extra presence metadata, k=v (repeatable)")
	fl.BoolVar(&f.answerAgents, "answer-agents", false, "also answer peers whose presence kind is agent")
	level = logLevelFlag(cmd, slog.LevelWarn)
	for _, name := range []string{"url", "channel"} {
		_ = cmd.MarkFlagRequired(name)
	}
	cmd.MarkFlagsMutuallyExclusive("key", "token")
	cmd.MarkFlagsOneRequired("key", "token")
	return cmd
}

func runAgentJoin(cmd *cobra.Command, f *agentJoinFlags, log *slog.Logger) error {
	ctx := cmd.Context()
	resolver, err := newResolver(os.Getenv)
	if err != nil {
		return err
	}
	_, model, err := resolver.Resolve(f.provider, f.model)
	if err != nil {
		return err
	}
	svc, closeAll, err := f.realm.openHost(ctx, resolver, false)
	if err != nil {
		return err
	}
	defer closeAll()
	cfg := agentpeer.Config{
		Sessions: svc, URL: f.url, Channel: f.channel, Token: f.token, Name: f.name,
		Model: model.ID, Provider: model.Provider, AnswerAgents: f.answerAgents, Logger: log,
		Joined: func(id string) { fmt.Fprintf(cmd.OutOrStdout(), "agent %s joined %s\n", id, f.channel) },
	}
	cfg.SetKey(f.key)
	if cmd.Flags().Changed("system-prompt") {
		cfg.SystemPrompt = &f.systemPrompt
	}
	if len(f.metadata) > 0 {
		cfg.Metadata = make(map[string]any, len(f.metadata))
		for k, v := range f.metadata {
			cfg.Metadata[k] = v
		}
	}
	a, err := agentpeer.New(ctx, cfg)
	if err != nil {
		return err
	}
	return a.Run(ctx)
}
