package agent_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/agent"
	"github.com/rkat-dev/rkat/agent/event"
	"github.com/rkat-dev/rkat/llm"
)

const citySchema = `{"type":"object","properties":{"city":{"type":"string","minLength":2},"pop":{"type":"integer"}},"required":["city"]}`

func TestStructuredOutput(t *testing.T) {
	cases := []struct {
		name      string
		responses string // "" = default scripted behaviour
		retries   int
		want      string // structured output, "" when extraction must fail
		attempts  int    // extraction attempts made
	}{
		{"first try", `{"text":"Paris it is."},{"text":"{\"city\": \"Paris\", \"pop\": 2}"}`, 0, `{"city":"Paris","pop":2}`, 1},
		{"fenced", "{\"text\":\"Paris.\"},{\"text\":\"```json\\n{\\\"city\\\":\\\"Paris\\\"}\\n```\"}", 0, `{"city":"Paris"}`, 1},
		{"second try", `{"text":"Paris."},{"text":"Paris"},{"text":"{\"city\":\"Paris\"}"}`, 0, `{"city":"Paris"}`, 2},
		{"tool call then json", `{"text":"Paris."},{"tool_calls":[{"name":"echo","args":{}}]},{"text":"{\"city\":\"Paris\"}"}`, 0, `{"city":"Paris"}`, 2},
		{"default behaviour", "", 0, `{"city":"xx"}`, 1},
		{"exhausted", `{"text":"Paris."},{"text":"{\"city\":\"P\"}"}`, 1, "", 2},
		{"no retries", `{"text":"Paris."},{"text":"not json"}`, -1, "", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			script := ""
			if tc.responses != "" {
				script = `{"rules":[{"match":"capital","responses":[` + tc.responses + `]}]}`
			}
			rec := &recorder{}
			cfg := newConfig(t, script, rec, echoTool())
			cfg.OutputSchema = compileSchema(t, citySchema)
			cfg.StructuredOutputRetries = tc.retries
			res, err := run(t.Context(), cfg, "capital of France?")
			checkTranscript(t, res.Messages)
			if res.Turns != 1+tc.attempts {
				t.Fatalf("turns = %d, want %d", res.Turns, 1+tc.attempts)
			}
			if len(res.SchemaWarnings) == 0 {
				t.Fatal("no schema warnings for a schema with optional properties")
			}
			if tc.want != "" {
				if err != nil || string(res.StructuredOutput) != tc.want {
					t.Fatalf("structured output %s, err %v", res.StructuredOutput, err)
				}
				ok := all[event.ExtractionSucceeded](rec)
				if len(ok) != 1 || string(ok[0].StructuredOutput) != tc.want || len(ok[0].SchemaWarnings) == 0 {
					t.Fatalf("extraction_succeeded = %+v", ok)
				}
				rc := all[event.RunCompleted](rec)[0]
				if !rc.ExtractionRequired || string(rc.StructuredOutput) != tc.want {
					t.Fatalf("run_completed = %+v", rc)
				}
				return
			}
			var re *agent.RunError
			if !errors.Is(err, agent.ErrStructuredOutput) || !errors.As(err, &re) || re.Cause != agent.CauseStructuredOutput {
				t.Fatalf("err = %v", err)
			}
			xe := res.ExtractionError
			if xe == nil || xe.Attempts != tc.attempts || xe.Reason == "" || xe.LastOutput == "" {
				t.Fatalf("extraction error = %+v", xe)
			}
			failed := all[event.ExtractionFailed](rec)
			if len(failed) != 1 || failed[0].Attempts != tc.attempts || failed[0].Reason != xe.Reason {
				t.Fatalf("extraction_failed = %+v", failed)
			}
			if res.Text != "Paris." {
				t.Fatalf("text = %q, want the answer before extraction", res.Text)
			}
		})
	}
}

func TestExtractionRequestCarriesSchema(t *testing.T) {
	cfg := newConfig(t, `{"rules":[{"match":"","responses":[{"text":"a"},{"text":"{\"city\":\"Rome\"}"}]}]}`, &recorder{})
	cfg.OutputSchema = compileSchema(t, citySchema)
	res, err := run(t.Context(), cfg, "x")
	if err != nil {
		t.Fatal(err)
	}
	req := res.Messages[2]
	if req.Role != llm.RoleUser || len(req.Content) != 2 || !strings.HasPrefix(req.Content[0].Text, llm.ExtractionPrompt) {
		t.Fatalf("extraction request = %+v", req)
	}
	if !json.Valid([]byte(req.Content[1].Text)) {
		t.Fatalf("schema block %q is not JSON", req.Content[1].Text)
	}
}

// compileSchema compiles a schema the test expects to be valid.
func compileSchema(t *testing.T, schema string) *agent.OutputSchema {
	t.Helper()
	o, err := agent.CompileOutputSchema(json.RawMessage(schema))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestInvalidOutputSchema(t *testing.T) {
	for _, tc := range []struct {
		schema string
		want   string
	}{
		{`{"type":`, "not valid JSON"},
		{`{"type":"no-such-type"}`, "not a valid JSON Schema"},
		{`{"$ref":"file:///etc/passwd"}`, "only references inside the schema"},
	} {
		o, cerr := agent.CompileOutputSchema(json.RawMessage(tc.schema))
		if o != nil || cerr == nil || !strings.Contains(cerr.Error(), tc.want) {
			t.Errorf("schema %s: %v, %v; want an error saying %q", tc.schema, o, cerr, tc.want)
			continue
		}
		// A run given the refused schema fails once it has started.
		rec := &recorder{}
		cfg := newConfig(t, "", rec)
		cfg.OutputSchema = agent.InvalidOutputSchema(json.RawMessage(tc.schema), cerr)
		res, err := run(t.Context(), cfg, "x")
		var re *agent.RunError
		if !errors.As(err, &re) || re.Cause != agent.CauseStructuredOutput || !errors.Is(err, cerr) || res.Turns != 0 {
			t.Errorf("schema %s: run err %v, turns %d", tc.schema, err, res.Turns)
		}
		if got := rec.types(); len(got) != 2 || got[0] != event.TypeRunStarted || got[1] != event.TypeRunFailed {
			t.Errorf("schema %s: events %v", tc.schema, got)
		}
	}
}
