package builtin_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rkat-dev/rkat/tool/builtin"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestCurrentTime(t *testing.T) {
	ct := builtin.CurrentTime()
	def := ct.Def()
	if def.Name != "current_time" || !json.Valid(def.InputSchema) {
		t.Fatalf("def = %+v", def)
	}
	cases := []struct {
		args    string
		wantErr string
		zone    string // expected offset suffix, "" to skip
	}{
		{``, "", "Z"},
		{`{}`, "", "Z"},
		{`{"timezone":"UTC"}`, "", "Z"},
		{`{"timezone":"Asia/Kolkata"}`, "", "+05:30"},
		{`{"timezone":"Mars/Olympus"}`, "unknown time zone", ""},
		{`{"timezone":"../../etc/passwd"}`, "unknown time zone", ""},
		{`{"timezone":5}`, "invalid arguments", ""},
	}
	for _, tc := range cases {
		res, err := ct.Call(t.Context(), json.RawMessage(tc.args))
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("args %s: err = %v, want %q", tc.args, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("args %s: %v", tc.args, err)
		}
		text := res.Content[0].Text
		got, perr := time.Parse(time.RFC3339, text)
		if perr != nil || !strings.HasSuffix(text, tc.zone) || time.Since(got) > time.Hour || time.Since(got) < -time.Hour {
			t.Fatalf("args %s: result %q", tc.args, text)
		}
	}
}
