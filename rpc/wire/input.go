package wire

// MethodInputStatus reads the state of one input of a session.
const MethodInputStatus = "session/input_status"

// Selector kinds of session/input_status.
const (
	SelectByInputID        = "input_id"
	SelectByIdempotencyKey = "idempotency_key"
)

// InputStatusParams are session/input_status's params.
type InputStatusParams struct {
	SessionID string        `json:"session_id"`
	Selector  InputSelector `json:"selector"`
}

// InputSelector names an input by its id (session/external_event's
// input_id) or by the idempotency key it was given.
type InputSelector struct {
	By    string `json:"by"`
	Value string `json:"value"`
}

// InputStatusResult answers session/input_status; State is null when no
// input of the session matches.
type InputStatusResult struct {
	State *InputState `json:"state"`
}

// InputState is one input's state. CurrentState is "queued" (held while a
// turn runs) or "applied" (committed to the session's history); times are
// RFC 3339.
type InputState struct {
	InputID        string `json:"input_id"`
	CurrentState   string `json:"current_state"`
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	AttemptCount   int    `json:"attempt_count"`
	RecoveryCount  int    `json:"recovery_count"`
	CreatedAt      string `json:"created_at"`
	UpdatedAt      string `json:"updated_at"`
}
