package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/rpc/wire"
	"github.com/rkat-dev/rkat/session"
	"github.com/rkat-dev/rkat/store"
)

func newSessionsCmd() *cobra.Command {
	var rf realmFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "sessions",
		Short: "List, show, page through and archive stored sessions",
	}
	rf.register(cmd.PersistentFlags())
	cmd.PersistentFlags().BoolVar(&asJSON, "json", false, "print JSON")

	// serve runs fetch with a read-only session service of the realm and
	// prints its result as JSON (through toJSON) or as text.
	serve := func(cmd *cobra.Command, fetch func(ctx context.Context, svc *session.Service) (any, error),
		toJSON func(any) any, text func(io.Writer, any)) error {
		svc, closeAll, err := rf.openService(cmd.Context())
		if err != nil {
			return err
		}
		defer closeAll()
		v, err := fetch(cmd.Context(), svc)
		if err != nil {
			return err
		}
		if asJSON {
			writeJSON(cmd.OutOrStdout(), toJSON(v))
		} else {
			text(cmd.OutOrStdout(), v)
		}
		return nil
	}

	var list session.ListRequest
	listCmd := &cobra.Command{
		Use:   "list",
		Short: "List sessions, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serve(cmd, func(ctx context.Context, svc *session.Service) (any, error) { return svc.List(ctx, list) },
				func(v any) any { return listJSONOf(v.(session.ListResult)) },
				func(w io.Writer, v any) { printSessions(w, v.(session.ListResult)) })
		},
	}
	listCmd.Flags().StringToStringVar(&list.Labels, "label", nil, "only sessions with this label, k=v (repeatable)")
	listCmd.Flags().BoolVar(&list.IncludeArchived, "all", false, "include archived sessions")
	listCmd.Flags().IntVar(&list.Offset, "offset", 0, "skip this many sessions")
	listCmd.Flags().IntVar(&list.Limit, "limit", 100, "show at most this many sessions")

	showCmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a session's metadata",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return serve(cmd, func(ctx context.Context, svc *session.Service) (any, error) { return svc.Read(ctx, args[0]) },
				func(v any) any { return sessionJSONOf(v.(session.Info)) },
				func(w io.Writer, v any) { printSession(w, v.(session.Info)) })
		},
	}

	var offset, limit int
	historyCmd := &cobra.Command{
		Use:   "history ID",
		Short: "Print a session's committed history, oldest first",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return serve(cmd, func(ctx context.Context, svc *session.Service) (any, error) {
				return svc.History(ctx, args[0], offset, limit)
			},
				func(v any) any { return historyJSONOf(v.(session.HistoryPage)) },
				func(w io.Writer, v any) { printHistory(w, v.(session.HistoryPage)) })
		},
	}
	historyCmd.Flags().IntVar(&offset, "offset", 0, "first row")
	historyCmd.Flags().IntVar(&limit, "limit", 100, "at most this many rows")

	archiveCmd := &cobra.Command{
		Use:   "archive ID",
		Short: "Archive a session (it takes no more turns)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return serve(cmd, func(ctx context.Context, svc *session.Service) (any, error) {
				return args[0], svc.Archive(ctx, args[0])
			},
				func(v any) any { return map[string]any{"session_id": v, "archived": true} },
				func(w io.Writer, v any) { fmt.Fprintf(w, "archived %s\n", v) })
		},
	}
	cmd.AddCommand(listCmd, showCmd, historyCmd, archiveCmd)
	return cmd
}

// sessionJSON is the JSON form of a session in `rkat sessions` output.
type sessionJSON struct {
	SessionID         string            `json:"session_id"`
	Realm             string            `json:"realm"`
	Model             string            `json:"model"`
	Provider          string            `json:"provider"`
	CreatedAt         int64             `json:"created_at"`
	UpdatedAt         int64             `json:"updated_at"`
	MessageCount      int               `json:"message_count"`
	Runs              int               `json:"runs"`
	Usage             wire.Usage        `json:"usage"`
	Archived          bool              `json:"archived"`
	Deferred          bool              `json:"deferred,omitempty"`
	LastAssistantText string            `json:"last_assistant_text,omitempty"`
	Labels            map[string]string `json:"labels,omitempty"`
}

func sessionJSONOf(s session.Info) sessionJSON {
	return sessionJSON{
		SessionID: s.ID, Realm: s.Realm, Model: s.Model, Provider: s.Provider,
		CreatedAt: s.Created.Unix(), UpdatedAt: s.Updated.Unix(), MessageCount: s.MessageCount, Runs: s.Runs,
		Usage: wire.UsageOf(s.Usage), Archived: s.Archived, Deferred: s.Deferred != nil,
		LastAssistantText: s.LastAssistantText, Labels: s.Labels,
	}
}

func listJSONOf(res session.ListResult) map[string]any {
	out := make([]sessionJSON, len(res.Sessions))
	for i, s := range res.Sessions {
		out[i] = sessionJSONOf(s)
	}
	return map[string]any{"sessions": out, "total": res.Total}
}

// rowJSON is the JSON form of a history row.
type rowJSON struct {
	Index     int    `json:"index"`
	CreatedAt string `json:"created_at"`
	store.Row
}

func historyJSONOf(p session.HistoryPage) map[string]any {
	rows := make([]rowJSON, len(p.Rows))
	for i, r := range p.Rows {
		rows[i] = rowJSON{Index: p.Offset + i, CreatedAt: r.Created.UTC().Format(time.RFC3339Nano), Row: r}
	}
	return map[string]any{
		"session_id": p.SessionID, "message_count": p.MessageCount, "offset": p.Offset,
		"limit": p.Limit, "has_more": p.HasMore, "messages": rows,
	}
}

func printSessions(w io.Writer, res session.ListResult) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SESSION\tUPDATED\tROWS\tTOKENS\tMODEL\tLABELS")
	for _, s := range res.Sessions {
		model := s.Model
		if s.Archived {
			model += " (archived)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\n", s.ID, s.Updated.Local().Format("2006-01-02 15:04"),
			s.MessageCount, s.Usage.Total(), model, formatLabels(s.Labels))
	}
	tw.Flush()
	if shown := len(res.Sessions); shown < res.Total {
		fmt.Fprintf(w, "(%d of %d shown)\n", shown, res.Total)
	}
}

func printSession(w io.Writer, s session.Info) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "session\t%s\nrealm\t%s\nmodel\t%s (%s)\n", s.ID, s.Realm, s.Model, s.Provider)
	fmt.Fprintf(tw, "created\t%s\nupdated\t%s\n", s.Created.Local().Format(time.RFC3339), s.Updated.Local().Format(time.RFC3339))
	fmt.Fprintf(tw, "rows\t%d\nruns\t%d\ntokens\tin %d, out %d\n", s.MessageCount, s.Runs, s.Usage.InputTokens, s.Usage.OutputTokens)
	fmt.Fprintf(tw, "archived\t%v\ndeferred\t%v\n", s.Archived, s.Deferred != nil)
	if len(s.Labels) > 0 {
		fmt.Fprintf(tw, "labels\t%s\n", formatLabels(s.Labels))
	}
	if s.LastAssistantText != "" {
		fmt.Fprintf(tw, "last answer\t%s\n", oneLine(s.LastAssistantText, 120))
	}
	tw.Flush()
}

func printHistory(w io.Writer, p session.HistoryPage) {
	for i, r := range p.Rows {
		fmt.Fprintf(w, "[%d] %s: %s\n", p.Offset+i, rowLabel(r), oneLine(blocksText(r), 200))
	}
	if p.HasMore {
		fmt.Fprintf(w, "(more: --offset %d)\n", p.Offset+len(p.Rows))
	}
}

func rowLabel(r store.Row) string {
	switch {
	case r.TranscriptRole != "":
		return string(r.Role) + " (" + r.TranscriptRole + ")"
	case r.Role == store.RoleSystemNotice:
		return string(r.Role) + " (" + r.Kind + ")"
	}
	return string(r.Role)
}

// blocksText renders a row's content as one line of text.
func blocksText(r store.Row) string {
	var parts []string
	if r.Body != "" {
		parts = append(parts, r.Body)
	}
	for _, b := range r.Content {
		switch b.Type {
		case llm.BlockText:
			parts = append(parts, b.Text)
		case llm.BlockToolUse:
			parts = append(parts, fmt.Sprintf("<tool %s %s>", b.Name, b.Args))
		case llm.BlockToolResult:
			mark := ""
			if b.IsError {
				mark = " error"
			}
			parts = append(parts, fmt.Sprintf("<result%s %s>", mark, b.Text))
		default:
			parts = append(parts, "<"+string(b.Type)+">")
		}
	}
	return strings.Join(parts, " ")
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func formatLabels(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		keys[i] = k + "=" + m[k]
	}
	return strings.Join(keys, ",")
}
