package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/tool/mcp"
)

// toolChangeLine is the stderr line of `rkat run` for a tool change.
func toolChangeLine(c event.ToolConfigChange) string {
	if c.StatusInfo.Error != "" {
		return fmt.Sprintf("[mcp %s %s failed, continuing without it: %s]", c.Operation, c.Target, c.StatusInfo.Error)
	}
	return fmt.Sprintf("[mcp %s %s: %s]", c.Operation, c.Target, c.StatusInfo.Phase)
}

func newMCPCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "mcp", Short: "List, add and remove the MCP servers of .rkat/mcp.toml files"}
	var scope string
	scopeFlag := func(c *cobra.Command) {
		c.Flags().StringVar(&scope, "scope", "project", "which file: project (./.rkat/mcp.toml) or user (~/.rkat/mcp.toml)")
	}
	var add mcp.ServerConfig
	var headers []string
	addCmd := &cobra.Command{
		Use:   "add NAME [--url URL | -- COMMAND [ARGS...]]",
		Short: "Add a server: a command after --, or --url for an HTTP server",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := mcpFile(scope)
			if err != nil {
				return err
			}
			add.Name = args[0]
			if rest := args[1:]; len(rest) > 0 {
				add.Command, add.Args = rest[0], rest[1:]
			}
			for _, h := range headers {
				k, v, ok := strings.Cut(h, ":")
				if !ok {
					return fmt.Errorf("--header %q: want KEY:VALUE", h)
				}
				if add.Headers == nil {
					add.Headers = map[string]string{}
				}
				add.Headers[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
			if err := mcp.AddToFile(path, add); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "added %s to %s\n", add.Name, path)
			return nil
		},
	}
	scopeFlag(addCmd)
	addCmd.Flags().StringVarP(&add.URL, "url", "u", "", "URL of a streamable HTTP (or SSE) server")
	addCmd.Flags().StringVarP(&add.Transport, "transport", "t", "", "HTTP transport: streamable-http (default) or sse")
	addCmd.Flags().StringArrayVarP(&headers, "header", "H", nil, "HTTP header KEY:VALUE (repeatable)")
	addCmd.Flags().StringToStringVarP(&add.Env, "env", "e", nil, "environment variable KEY=VALUE of a command server (repeatable)")
	addCmd.Flags().IntVar(&add.ConnectTimeoutSecs, "connect-timeout-secs", 0, "start-up timeout (default 10)")

	removeCmd := &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove a server",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := mcpFile(scope)
			if err != nil {
				return err
			}
			found, err := mcp.RemoveFromFile(path, args[0])
			if err != nil {
				return err
			}
			if !found {
				return fmt.Errorf("%w: %q in %s", mcp.ErrUnknownServer, args[0], path)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "removed %s from %s\n", args[0], path)
			return nil
		},
	}
	scopeFlag(removeCmd)

	listCmd := &cobra.Command{
		Use:   "list",
		Short: "List the servers of both files (a project server shadows a user one of the same name)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tSCOPE\tSERVER")
			for _, sc := range []string{"project", "user"} {
				path, err := mcpFile(sc)
				if err != nil {
					return err
				}
				// ${VAR} references are shown as written.
				servers, err := mcp.ReadConfigFile(path, func(k string) (string, bool) { return "${" + k + "}", true })
				if err != nil {
					return err
				}
				for _, s := range servers {
					target := strings.Join(append([]string{s.Command}, s.Args...), " ")
					if s.URL != "" {
						target = s.URL
					}
					fmt.Fprintf(w, "%s\t%s\t%s\n", s.Name, sc, target)
				}
			}
			return w.Flush()
		},
	}
	cmd.AddCommand(listCmd, addCmd, removeCmd)
	return cmd
}

// mcpFile is the mcp.toml of a scope.
func mcpFile(scope string) (string, error) {
	var dir string
	var err error
	switch scope {
	case "project":
		dir, err = os.Getwd()
	case "user":
		dir, err = os.UserHomeDir()
	default:
		return "", fmt.Errorf("--scope %q: want project or user", scope)
	}
	if err != nil {
		return "", err
	}
	return mcp.ConfigFile(dir), nil
}
