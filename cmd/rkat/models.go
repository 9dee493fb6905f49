package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/rpc/wire"
)

func newModelsCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "models",
		Short: "List the model catalog",
		Long: "List every provider's models with tier, limits and capabilities; '*' marks each provider's default.\n" +
			"Self-hosted models come from [self_hosted.servers.<id>] in ~/.rkat/config.toml or ./.rkat/config.toml.\n" +
			"--json prints the catalog in the shape of the models/catalog RPC result.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := newResolver(os.Getenv)
			if err != nil {
				return &exitError{code: exitFailure, err: err}
			}
			if asJSON {
				writeJSON(cmd.OutOrStdout(), wire.ModelsCatalog{ContractVersion: wire.CurrentVersion(), Providers: r.Catalog().Providers()})
				return nil
			}
			return printModels(cmd.OutOrStdout(), r.Catalog())
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the models/catalog result as JSON")
	return cmd
}

// printModels writes the catalog as a table.
func printModels(w io.Writer, c *llm.Catalog) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROVIDER\tMODEL\tNAME\tTIER\tCONTEXT\tMAX OUT\tCAPABILITIES")
	for _, p := range c.Providers() {
		for _, m := range p.Models {
			id := m.ID
			if id == p.DefaultModel {
				id += " *"
			}
			provider := p.Provider
			if m.ServerID != "" {
				provider += "/" + m.ServerID
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", provider, id, m.DisplayName, m.Tier,
				tokens(m.ContextWindow), tokens(m.MaxOutputTokens), capabilities(m.Profile))
		}
	}
	return tw.Flush()
}

// tokens prints a token count compactly: 1.05M, 200K, 4.1K.
func tokens(n int) string {
	switch {
	case n == 0:
		return "-"
	case n >= 1_000_000:
		return fmt.Sprintf("%.3gM", float64(n)/1e6)
	case n >= 1_000:
		return fmt.Sprintf("%.3gK", float64(n)/1e3)
	}
	return fmt.Sprint(n)
}

func capabilities(p llm.Profile) string {
	var out []string
	for _, c := range []struct {
		on   bool
		name string
	}{
		{p.Vision || p.ImageInput, "vision"}, {p.Thinking, "thinking"}, {p.Reasoning, "reasoning"},
		{p.WebSearch, "web-search"}, {p.Realtime, "realtime"}, {p.ImageGeneration, "image-gen"},
		{p.InlineVideo, "video"}, {p.Temperature, "temperature"},
	} {
		if c.on {
			out = append(out, c.name)
		}
	}
	return strings.Join(out, ",")
}
