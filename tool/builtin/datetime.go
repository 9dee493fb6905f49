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
// in RFC 3339 form, in UTC or in the IANA time zone given as "timezone". It
// is the older, always-available form of datetime and stays as its alias.
func CurrentTime() tool.Tool { return currentTime{now: time.Now} }

// Datetime returns the "datetime" tool: the current date and time as a JSON
// object (iso8601, date, time, timezone, unix_timestamp and the parts), in
// UTC or in the IANA time zone given as "timezone".
func Datetime() tool.Tool { return datetime{now: time.Now} }

type datetime struct{ now func() time.Time }

func (datetime) Def() llm.ToolDef {
	return llm.ToolDef{
		Name:        "datetime",
		Description: "Returns the current date and time: ISO 8601 timestamp, date, time, time zone and Unix timestamp.",
		InputSchema: schema(`"timezone":{"type":"string","description":"IANA time zone name, e.g. Europe/Paris; default UTC"}`),
	}
}

func (d datetime) Call(_ context.Context, args json.RawMessage) (tool.Result, error) {
	in, err := decodeArgs[struct {
		Timezone string `json:"timezone"`
	}](args)
	if err != nil {
		return tool.Result{}, err
	}
	loc, err := location(in.Timezone)
	if err != nil {
		return tool.Result{}, err
	}
	t := d.now().In(loc)
	return tool.JSONResult(map[string]any{
		"iso8601": t.Format(time.RFC3339), "date": t.Format(time.DateOnly), "time": t.Format(time.TimeOnly),
		"timezone": loc.String(), "unix_timestamp": t.Unix(),
		"year": t.Format("2006"), "month": t.Format("01"), "day": t.Format("02"), "weekday": t.Weekday().String(),
	})
}

// location resolves an IANA zone name; "" is UTC.
func location(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	return l, nil
}

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
	loc, err := location(in.Timezone)
	if err != nil {
		return tool.Result{}, fmt.Errorf("current_time: %w", err)
	}
	return tool.TextResult(c.now().In(loc).Format(time.RFC3339)), nil
}
