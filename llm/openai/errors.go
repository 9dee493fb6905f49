package openai

import "errors"

var (
	errOrphanArguments = errors.New("function call arguments for an item that is not an open function_call")
	errOrphanToolDelta = errors.New("tool call fragment without id or name for a call never started")
)
