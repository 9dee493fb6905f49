package wire

// MethodHelpAsk answers a question about using this server with a model
// run; the answer is a RunResult like session/create's.
const MethodHelpAsk = "help/ask"

// Execution postures of help/ask.
const (
	HelpExplainOnly   = "explain_only"
	HelpPlanExecution = "plan_execution"
)

// HelpParams are help/ask's params.
type HelpParams struct {
	Question      string `json:"question"`
	Prompt        string `json:"prompt,omitempty"` // inert: described, never run
	ExecutionMode string `json:"execution_mode,omitempty"`
	Model         string `json:"model,omitempty"`
	Provider      string `json:"provider,omitempty"`
	MaxTokens     *int   `json:"max_tokens,omitempty"`
}
