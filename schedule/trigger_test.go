package schedule

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/llm"
)

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseTriggerRejects(t *testing.T) {
	tests := []struct {
		raw, field string
	}{
		{`{"type":"weekly"}`, "trigger.type"},
		{`{"type":"once"}`, "trigger.due_at_utc"},
		{`{"type":"once","due_at_utc":"yesterday"}`, "trigger"},
		{`{"type":"once","due_at_utc":"2026-01-01T00:00:00Z","every_seconds":5}`, "trigger.every_seconds"},
		{`{"type":"interval","start_at_utc":"2026-01-01T00:00:00Z"}`, "trigger.every_seconds"},
		{`{"type":"interval","every_seconds":5}`, "trigger.start_at_utc"},
		{`{"type":"interval","start_at_utc":"2026-01-01T00:00:00Z","every_seconds":-1}`, "trigger"},
		{`{"type":"interval","start_at_utc":"2026-01-02T00:00:00Z","every_seconds":5,"end_at_utc":"2026-01-01T00:00:00Z"}`, "trigger.end_at_utc"},
		{`{"type":"interval","start_at_utc":"2026-01-01T00:00:00Z","every_seconds":5,"bogus":1}`, "trigger"},
		{`{"type":"calendar"}`, "trigger.timezone"},
		{`{"type":"calendar","timezone":"Mars/Olympus"}`, "trigger.timezone"},
		{`{"type":"calendar","timezone":"UTC","minute":{"kind":"values","values":[60]}}`, "trigger.minute"},
		{`{"type":"calendar","timezone":"UTC","hour":{"kind":"some"}}`, "trigger.hour.kind"},
		{`{"type":"calendar","timezone":"UTC","day_of_month":{"kind":"values","values":[]}}`, "trigger.day_of_month"},
		{`{"type":"calendar","timezone":"UTC","day_of_month":{"kind":"values","values":[31]},"month":{"kind":"values","values":[2]}}`, "trigger"},
		{`{"type":"cron","expression":"* * * *","timezone":"UTC"}`, "trigger.expression"},
		{`{"type":"cron","expression":"61 * * * *","timezone":"UTC"}`, "trigger.expression"},
		{`{"type":"cron","expression":"@daily","timezone":"UTC"}`, "trigger.expression"},
		{`{"type":"cron","expression":"0 9 * * *"}`, "trigger.timezone"},
		// The time zone is checked before the fields.
		{`{"type":"calendar","timezone":"Mars/Olympus","minute":{"kind":"values","values":[60]}}`, "trigger.timezone"},
		{`{"type":"cron","expression":"61 * * * *","timezone":"Mars/Olympus"}`, "trigger.timezone"},
		{`[1]`, "trigger"},
		{`{"type":"once","due_at_utc":"2026-01-01T00:00:00Z"} {}`, "trigger"},
	}
	for _, tt := range tests {
		_, err := ParseTrigger(json.RawMessage(tt.raw), time.Now())
		var ie *InvalidError
		if !errors.As(err, &ie) || ie.Field != tt.field || !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseTrigger(%s) = %v, want an invalid %s", tt.raw, err, tt.field)
		}
	}
}

// TestParseTriggerUsesTheGivenClock: whether a calendar trigger still fires
// is judged at the caller's now (the service's clock), not the machine's.
func TestParseTriggerUsesTheGivenClock(t *testing.T) {
	raw := json.RawMessage(`{"type":"calendar","timezone":"UTC","year":{"kind":"values","values":[2030]}}`)
	if _, err := ParseTrigger(raw, mustTime("2029-06-01T00:00:00Z")); err != nil {
		t.Fatalf("before 2030: %v", err)
	}
	var ie *InvalidError
	if _, err := ParseTrigger(raw, mustTime("2031-01-01T00:00:00Z")); !errors.As(err, &ie) || ie.Field != "trigger" {
		t.Fatalf("after 2030: %v, want never fires", err)
	}
}

func TestParseTriggerNormalizes(t *testing.T) {
	tr, err := ParseTrigger(json.RawMessage(`{"type":"calendar","timezone":"Europe/Stockholm",
		"hour":{"kind":"values","values":[9,9,8]}}`), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(tr)
	want := `{"type":"calendar","timezone":"Europe/Stockholm","minute":{"kind":"any"},"hour":{"kind":"values","values":[8,9]},` +
		`"day_of_month":{"kind":"any"},"month":{"kind":"any"},"day_of_week":{"kind":"any"}}`
	if string(got) != want {
		t.Errorf("normalized = %s\nwant %s", got, want)
	}
	tr, err = ParseTrigger(json.RawMessage(`{"type":"interval","start_at_utc":"2026-01-01T01:00:00.123456+01:00","every_seconds":60}`), time.Now())
	if err != nil || tr.StartAt.String() != "2026-01-01 00:00:00.123 +0000 UTC" {
		t.Errorf("interval start = %v, %v", tr.StartAt, err)
	}
}

// TestNextAcrossDST walks triggers across the 2026 DST changes: New York
// springs forward on 8 March (02:00 -> 03:00) and falls back on 1 November
// (02:00 -> 01:00); Stockholm springs forward on 29 March.
func TestNextAcrossDST(t *testing.T) {
	tests := []struct {
		name, trigger, from string
		want                []string
	}{
		{"cron daily at a skipped time", `{"type":"cron","expression":"30 2 * * *","timezone":"America/New_York"}`,
			"2026-03-06T12:00:00Z", []string{"2026-03-07T07:30:00Z", "2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z"}},
		{"cron hourly through fall back", `{"type":"cron","expression":"0 * * * *","timezone":"America/New_York"}`,
			"2026-11-01T04:30:00Z", []string{"2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z", "2026-11-01T07:00:00Z"}},
		{"cron at a repeated time", `{"type":"cron","expression":"30 1 * * *","timezone":"America/New_York"}`,
			"2026-10-31T12:00:00Z", []string{"2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z", "2026-11-02T06:30:00Z"}},
		{"cron weekdays 09:00 Stockholm", `{"type":"cron","expression":"0 9 * * MON-FRI","timezone":"Europe/Stockholm"}`,
			"2026-03-26T12:00:00Z", []string{"2026-03-27T08:00:00Z", "2026-03-30T07:00:00Z", "2026-03-31T07:00:00Z"}},
		{"cron day of month or weekday", `{"type":"cron","expression":"0 0 1 * 0","timezone":"UTC"}`,
			"2026-02-26T00:00:00Z", []string{"2026-03-01T00:00:00Z", "2026-03-08T00:00:00Z", "2026-03-15T00:00:00Z"}},
		{"calendar 09:00 Stockholm", `{"type":"calendar","timezone":"Europe/Stockholm","minute":{"kind":"values","values":[0]},"hour":{"kind":"values","values":[9]}}`,
			"2026-03-28T12:00:00Z", []string{"2026-03-29T07:00:00Z", "2026-03-30T07:00:00Z"}},
		{"calendar at a skipped time", `{"type":"calendar","timezone":"America/New_York","minute":{"kind":"values","values":[30]},"hour":{"kind":"values","values":[2]}}`,
			"2026-03-07T12:00:00Z", []string{"2026-03-09T06:30:00Z"}},
		{"calendar leap day", `{"type":"calendar","timezone":"UTC","minute":{"kind":"values","values":[0]},"hour":{"kind":"values","values":[0]},"day_of_month":{"kind":"values","values":[29]},"month":{"kind":"values","values":[2]}}`,
			"2026-01-01T00:00:00Z", []string{"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"}},
		{"interval with end", `{"type":"interval","start_at_utc":"2026-01-01T00:00:00Z","every_seconds":3600,"end_at_utc":"2026-01-01T02:00:00Z"}`,
			"2026-01-01T00:30:00Z", []string{"2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z"}},
		{"interval before start", `{"type":"interval","start_at_utc":"2026-01-01T00:00:00Z","every_seconds":10}`,
			"2025-01-01T00:00:00Z", []string{"2026-01-01T00:00:00Z", "2026-01-01T00:00:10Z"}},
		{"once", `{"type":"once","due_at_utc":"2026-01-01T00:00:00Z"}`, "2025-12-31T00:00:00Z", []string{"2026-01-01T00:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := ParseTrigger(json.RawMessage(tt.trigger), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			times, err := tr.dueTimes()
			if err != nil {
				t.Fatal(err)
			}
			cur := mustTime(tt.from)
			var got []string
			for range len(tt.want) + 1 {
				next, ok := times.next(cur)
				if !ok {
					break
				}
				got = append(got, next.Format(time.RFC3339))
				cur = next
			}
			for i, w := range tt.want {
				if i >= len(got) || got[i] != w {
					t.Fatalf("due times = %v, want %v first", got, tt.want)
				}
			}
		})
	}
}

func FuzzParseTrigger(f *testing.F) {
	for _, seed := range []string{
		`{"type":"once","due_at_utc":"2026-01-01T00:00:00Z"}`,
		`{"type":"interval","start_at_utc":"2026-01-01T00:00:00Z","every_seconds":60,"end_at_utc":"2026-02-01T00:00:00Z"}`,
		`{"type":"calendar","timezone":"Europe/Stockholm","minute":{"kind":"values","values":[0]},"hour":{"kind":"values","values":[9]},"day_of_week":{"kind":"values","values":[1,2,3,4,5]}}`,
		`{"type":"cron","expression":"*/15 9-17 * * MON-FRI","timezone":"America/New_York"}`,
		`{"type":"cron","expression":"0 0 L * *","timezone":"UTC"}`,
		`{"type":"interval","start_at_utc":"2026-01-01T00:00:00Z","every_seconds":9223372036}`,
		`{}`, `null`, `{"type":"calendar","timezone":"UTC","year":{"kind":"values","values":[2030]}}`,
	} {
		f.Add([]byte(seed))
	}
	from := mustTime("2026-06-01T00:00:00Z")
	f.Fuzz(func(t *testing.T, raw []byte) {
		tr, err := ParseTrigger(raw, from)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			return
		}
		times, err := tr.dueTimes()
		if err != nil {
			t.Fatalf("due times of a valid trigger: %v", err)
		}
		// A valid trigger yields increasing due times at ms precision.
		cur := from
		for range 3 {
			next, ok := times.next(cur)
			if !ok {
				return
			}
			if !next.After(cur) || !next.Equal(next.Truncate(time.Millisecond)) {
				t.Fatalf("next(%v) = %v", cur, next)
			}
			cur = next
		}
	})
}

func mustBlocks(text string) []llm.Block { return []llm.Block{llm.Text(text)} }
