package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/rkat-dev/rkat/schedule"
)

func newSchedulesCmd() *cobra.Command {
	var rf realmFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "schedules",
		Short: "List, inspect, pause, resume and delete a realm's schedules",
		Long: "Operator view of the realm's schedules. rkat-rpc processes on the realm run them;\n" +
			"these commands change the stored schedules, which the running executors follow.",
	}
	rf.register(cmd.PersistentFlags())
	cmd.PersistentFlags().BoolVar(&asJSON, "json", false, "print JSON (the RPC result shapes)")

	// serve runs fetch on the realm's schedules and prints the result.
	serve := func(cmd *cobra.Command, fetch func(ctx context.Context, s *schedule.Service) (any, error), text func(io.Writer, any)) error {
		_, st, err := rf.openStore(cmd.Context())
		if err != nil {
			return err
		}
		defer st.Close()
		s, err := schedule.New(schedule.Config{Store: st})
		if err != nil {
			return err
		}
		v, err := fetch(cmd.Context(), s)
		if err != nil {
			return err
		}
		if asJSON {
			writeJSON(cmd.OutOrStdout(), v)
		} else {
			text(cmd.OutOrStdout(), v)
		}
		return nil
	}
	record := func(w io.Writer, v any) { printSchedules(w, []schedule.Record{v.(schedule.Record)}) }

	var list schedule.ListRequest
	listCmd := &cobra.Command{
		Use:   "list",
		Short: "List schedules that are not deleted, oldest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serve(cmd, func(ctx context.Context, s *schedule.Service) (any, error) {
				l, err := s.List(ctx, list)
				return map[string][]schedule.Record{"schedules": l}, err
			}, func(w io.Writer, v any) { printSchedules(w, v.(map[string][]schedule.Record)["schedules"]) })
		},
	}
	listCmd.Flags().StringToStringVar(&list.Labels, "label", nil, "only schedules with this label, k=v (repeatable)")
	listCmd.Flags().IntVar(&list.Offset, "offset", 0, "skip this many schedules")
	listCmd.Flags().IntVar(&list.Limit, "limit", 100, "show at most this many schedules")

	byID := func(use, short string, op func(*schedule.Service, context.Context, string) (schedule.Record, error)) *cobra.Command {
		return &cobra.Command{
			Use: use + " ID", Short: short, Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return serve(cmd, func(ctx context.Context, s *schedule.Service) (any, error) { return op(s, ctx, args[0]) }, record)
			},
		}
	}

	var all bool
	occCmd := &cobra.Command{
		Use:   "occurrences ID",
		Short: "List a schedule's occurrences by due time",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return serve(cmd, func(ctx context.Context, s *schedule.Service) (any, error) {
				occs, err := s.Occurrences(ctx, args[0], all)
				return map[string][]schedule.Occurrence{"occurrences": occs}, err
			}, func(w io.Writer, v any) { printOccurrences(w, v.(map[string][]schedule.Occurrence)["occurrences"]) })
		},
	}
	occCmd.Flags().BoolVar(&all, "all", true, "include finished occurrences")

	cmd.AddCommand(listCmd,
		byID("show", "Show one schedule", (*schedule.Service).Get),
		occCmd,
		byID("pause", "Pause a schedule (its revision stays)", (*schedule.Service).Pause),
		byID("resume", "Resume a paused schedule", (*schedule.Service).Resume),
		byID("delete", "Delete a schedule; its occurrences stay readable", (*schedule.Service).Delete))
	return cmd
}

func printSchedules(w io.Writer, list []schedule.Record) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPHASE\tREV\tTRIGGER\tNEXT ORDINAL\tNAME")
	for _, r := range list {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%d\t%s\n", r.ScheduleID, r.Phase, r.Revision, describeTrigger(r.Trigger),
			r.NextOccurrenceOrdinal, r.Name)
	}
	tw.Flush()
}

func describeTrigger(t schedule.Trigger) string {
	switch t.Type {
	case schedule.TriggerOnce:
		return "once at " + t.DueAt.Format(time.RFC3339)
	case schedule.TriggerInterval:
		return fmt.Sprintf("every %ds from %s", t.EverySeconds, t.StartAt.Format(time.RFC3339))
	case schedule.TriggerCron:
		return fmt.Sprintf("cron %q %s", t.Expression, t.Timezone)
	}
	return "calendar " + t.Timezone
}

func printOccurrences(w io.Writer, list []schedule.Occurrence) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ORDINAL\tREV\tDUE\tPHASE\tATTEMPTS\tDETAIL")
	for _, o := range list {
		detail := o.FailureDetail
		if o.RuntimeOutcome != nil && detail == "" {
			detail = o.RuntimeOutcome.Kind + " " + o.RuntimeOutcome.SessionID
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%d\t%s\n", o.OccurrenceOrdinal, o.ScheduleRevision, o.DueAt.Format(time.RFC3339),
			o.Phase, o.AttemptCount, detail)
	}
	tw.Flush()
}
