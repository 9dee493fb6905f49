package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/realm"
	"github.com/rkat-dev/rkat/schedule"
)

func TestSchedulesCommand(t *testing.T) {
	c := newCLI(t)
	ctx := context.Background()
	r, err := realm.Resolve(realm.Options{StateRoot: c.root, Name: "ops"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := realm.Open(ctx, r, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := schedule.New(schedule.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	name := "nightly"
	rec, err := svc.Create(ctx, schedule.CreateRequest{Name: &name, Labels: map[string]string{"team": "ops"},
		Trigger: json.RawMessage(`{"type":"cron","expression":"0 2 * * *","timezone":"Europe/Stockholm"}`),
		Target:  json.RawMessage(`{"target_kind":"session","type":"exact_session","session_id":"s1","action":{"type":"prompt","prompt":"report"}}`)})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	id := rec.ScheduleID

	out, _, code := c.run("schedules", "list", "--realm", "ops")
	if code != 0 || !strings.Contains(out, id) || !strings.Contains(out, `cron "0 2 * * *" Europe/Stockholm`) || !strings.Contains(out, "nightly") {
		t.Fatalf("list (%d):\n%s", code, out)
	}
	var listed struct{ Schedules []schedule.Record }
	out, _, _ = c.run("schedules", "list", "--realm", "ops", "--json", "--label", "team=ops")
	if err := json.Unmarshal([]byte(out), &listed); err != nil || len(listed.Schedules) != 1 {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	for _, step := range []struct {
		args  []string
		phase string
		rev   uint64
	}{
		{[]string{"pause", id}, "paused", 1},
		{[]string{"show", id}, "paused", 1},
		{[]string{"resume", id}, "active", 1},
		{[]string{"delete", id}, "deleted", 2},
	} {
		var got schedule.Record
		out, errOut, code := c.run(append(append([]string{"schedules"}, step.args...), "--realm", "ops", "--json")...)
		if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got.Phase != step.phase || got.Revision != step.rev {
			t.Errorf("schedules %v (%d): %s %s", step.args, code, out, errOut)
		}
	}
	var occs struct{ Occurrences []schedule.Occurrence }
	out, _, _ = c.run("schedules", "occurrences", id, "--realm", "ops", "--json")
	if err := json.Unmarshal([]byte(out), &occs); err != nil || len(occs.Occurrences) != 30 {
		t.Fatalf("occurrences: %v, %d\n%.300s", err, len(occs.Occurrences), out)
	}
	for _, o := range occs.Occurrences {
		if o.Phase != "superseded" || o.DueAt.Before(time.Now()) {
			t.Errorf("occurrence after delete = %+v", o)
		}
	}
	out, _, _ = c.run("schedules", "occurrences", id, "--realm", "ops")
	if !strings.Contains(out, "superseded") {
		t.Errorf("occurrences text:\n%.300s", out)
	}
	if _, errOut, code := c.run("schedules", "show", "0196f3a2-5c1e-7d00-8a10-2b9c4e6f0a11", "--realm", "ops"); code != 1 || !strings.Contains(errOut, "not found") {
		t.Errorf("show unknown = %d %q", code, errOut)
	}
}
