// Package builtin holds the tools rkat ships with.
package builtin

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
	_ "time/tzdata" // zone data for hosts without it

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
)

// CurrentTime returns the "current_time" tool: it reports the current time
// in RFC 3339 form, in UTC or in the IANA time zone given as "timezone".
func CurrentTime() tool.Tool { return currentTime{now: time.Now} }

type currentTime struct{ now func() time.Time }

func (currentTime) Def() llm.ToolDef {
	return llm.ToolDef{
		Name:        "current_time",
		Description: "Returns the current date and time in RFC 3339 format.",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"timezone":{"type":"string","description":"IANA time zone name, e.g. Europe/Paris; default UTC"}},"additionalProperties":false}`),
	}
}

func (c currentTime) Call(_ context.Context, args json.RawMessage) (tool.Result, error) {
	var in struct {
		Timezone string `json:"timezone"`
	}
	if len(args) > 0 {
		if err := json.Unmarshal(args, &in); err != nil {
			return tool.Result{}, fmt.Errorf("current_time: invalid arguments: %w", err)
		}
	}
	loc := time.UTC
	if in.Timezone != "" {
		l, err := time.LoadLocation(in.Timezone)
		if err != nil {
			return tool.Result{}, fmt.Errorf("current_time: unknown time zone %q", in.Timezone)
		}
		loc = l
	}
	return tool.TextResult(c.now().In(loc).Format(time.RFC3339)), nil
}
