package main

import (
	"fmt"
	"os"

	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/tool/mcp"
)

// openMCP loads the MCP servers of .rkat/mcp.toml in the working directory
// and ~/.rkat/mcp.toml; they start at the first turn. A file that does not
// load is reported in the turn, which runs without its servers.
func openMCP() (*mcp.Sessions, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	home, _ := os.UserHomeDir()
	servers, loadErr := mcp.LoadConfig(wd, home, os.LookupEnv)
	return mcp.NewSessions(mcp.Config{Servers: servers, LoadError: loadErr, ProjectDir: wd}), nil
}

// toolChangeLine is the stderr line of `rkat run` for a tool change.
func toolChangeLine(c event.ToolConfigChange) string {
	if c.StatusInfo.Error != "" {
		return fmt.Sprintf("[mcp %s %s failed, continuing without it: %s]", c.Operation, c.Target, c.StatusInfo.Error)
	}
	return fmt.Sprintf("[mcp %s %s: %s]", c.Operation, c.Target, c.StatusInfo.Phase)
}
