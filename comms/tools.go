package comms

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/rkat-dev/rkat/llm"
	"github.com/rkat-dev/rkat/tool"
)

// Tools returns the model-facing tools of a peer: peers, send_message,
// send_request and send_response (the reference's names). Failures (an
// absent peer, bad arguments) are error results the model can read.
func Tools(p *Peer) []tool.Tool {
	return []tool.Tool{
		commsTool(p, "peers", "List the peers you can message: their peer_id, name and metadata.",
			`{"type":"object","properties":{},"additionalProperties":false}`,
			func(context.Context, *Peer, json.RawMessage) (any, error) {
				return map[string]any{"peers": Directory(p)}, nil
			}),
		commsTool(p, "send_message", "Send a one-way message to a peer (by peer_id or name). No reply is expected. handling_mode \"queue\" (default) delivers at the peer's next turn boundary, \"steer\" into its running turn.",
			`{"type":"object","properties":{"peer_id":{"type":"string"},"body":{"type":"string"},"handling_mode":{"type":"string","enum":["queue","steer"]}},"required":["peer_id","body"],"additionalProperties":false}`,
			sendTool(KindMessage)),
		commsTool(p, "send_request", "Send a request to a peer and expect a correlated reply: it arrives later as a peer_response whose in_reply_to is the request_id returned here (or the one you chose).",
			`{"type":"object","properties":{"peer_id":{"type":"string"},"intent":{"type":"string"},"request_id":{"type":"string"},"params":{"type":"object"},"body":{"type":"string"},"handling_mode":{"type":"string","enum":["queue","steer"]}},"required":["peer_id","intent"],"additionalProperties":false}`,
			sendTool(KindRequest)),
		commsTool(p, "send_response", "Answer a peer's request: in_reply_to is its request_id, status accepted (interim), completed or failed.",
			`{"type":"object","properties":{"peer_id":{"type":"string"},"in_reply_to":{"type":"string"},"status":{"type":"string","enum":["accepted","completed","failed"]},"result":{},"handling_mode":{"type":"string","enum":["queue","steer"]}},"required":["peer_id","in_reply_to","status"],"additionalProperties":false}`,
			sendTool(KindResponse)),
	}
}

func commsTool(p *Peer, name, desc, schema string, fn func(context.Context, *Peer, json.RawMessage) (any, error)) tool.Tool {
	return tool.Func{
		Definition: llm.ToolDef{Name: name, Description: desc, InputSchema: json.RawMessage(schema)},
		Fn: func(ctx context.Context, args json.RawMessage) (tool.Result, error) {
			out, err := fn(ctx, p, args)
			if err != nil {
				return tool.ErrorResult(fmt.Sprintf("%s: %v", name, err)), nil
			}
			r, err := tool.JSONResult(out)
			if err != nil {
				return tool.ErrorResult(fmt.Sprintf("%s: %v", name, err)), nil
			}
			return r, nil
		},
	}
}

// sendArgs are the arguments of the send tools.
type sendArgs struct {
	PeerID       string          `json:"peer_id"`
	Body         string          `json:"body"`
	Intent       string          `json:"intent"`
	Params       json.RawMessage `json:"params"`
	RequestID    string          `json:"request_id"`
	InReplyTo    string          `json:"in_reply_to"`
	Status       string          `json:"status"`
	Result       json.RawMessage `json:"result"`
	HandlingMode string          `json:"handling_mode"`
}

func sendTool(kind string) func(context.Context, *Peer, json.RawMessage) (any, error) {
	return func(ctx context.Context, p *Peer, raw json.RawMessage) (any, error) {
		var a sendArgs
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&a); err != nil {
			return nil, fmt.Errorf("bad arguments: %w", err)
		}
		env, err := p.Send(ctx, a.PeerID, Envelope{Kind: kind, Body: a.Body, Intent: a.Intent, Params: a.Params, RequestID: a.RequestID,
			InReplyTo: a.InReplyTo, Status: a.Status, Result: a.Result, HandlingMode: a.HandlingMode})
		if err != nil {
			return nil, err
		}
		out := map[string]string{"status": "sent", "envelope_id": env.ID}
		if env.RequestID != "" {
			out["request_id"] = env.RequestID
		}
		return out, nil
	}
}

// DirectoryEntry is one peer as comms/peers and the peers tool list it.
type DirectoryEntry struct {
	PeerID        string          `json:"peer_id"`
	Name          string          `json:"name"`
	Address       Address         `json:"address"`
	Source        string          `json:"source"`
	SendableKinds []string        `json:"sendable_kinds"`
	Capabilities  Capabilities    `json:"capabilities"`
	Meta          json.RawMessage `json:"meta"`
}

// Address locates a peer: transport "realtime", endpoint
// "<channel>#<peer id>".
type Address struct {
	Transport string `json:"transport"`
	Endpoint  string `json:"endpoint"`
}

// Capabilities is the contract's PeerCapabilitySet.
type Capabilities struct {
	Version    int            `json:"version"`
	Extensions map[string]any `json:"extensions"`
}

// Directory lists the peers present in p's channel. Comms peers (whose
// metadata the hub's JWT vouches for) are "trusted" and take every kind;
// other clients (people with the JS SDK) are "unknown" and take messages.
func Directory(p *Peer) []DirectoryEntry {
	out := []DirectoryEntry{}
	for _, pi := range p.Peers() {
		e := DirectoryEntry{PeerID: pi.PeerID, Name: pi.Name, Address: Address{"realtime", p.m.Channel + "#" + pi.PeerID},
			Source: "unknown", SendableKinds: []string{KindMessage}, Capabilities: Capabilities{1, map[string]any{}},
			Meta: peerMeta(pi.Meta)}
		if e.Name == "" {
			e.Name = pi.PeerID
		}
		if pi.Kind == MetaKind {
			e.Source, e.SendableKinds = "trusted", []string{KindMessage, KindRequest, KindResponse}
		}
		out = append(out, e)
	}
	return out
}

// peerMeta keeps the contract's PeerMeta fields of presence metadata.
func peerMeta(raw json.RawMessage) json.RawMessage {
	var m struct {
		Description string            `json:"description,omitempty"`
		Labels      map[string]string `json:"labels,omitempty"`
	}
	_ = json.Unmarshal(raw, &m) // absent or foreign metadata: empty meta
	b, _ := json.Marshal(m)
	return b
}

// Text renders an inbound envelope as the user text a session's model
// reads: a bracketed header naming the kind, the sender and the ids to
// answer with, then the body, params or result.
func (in Inbound) Text() string {
	var b bytes.Buffer
	name := in.From.Name
	if name == "" {
		name = in.From.PeerID
	}
	fmt.Fprintf(&b, "[comms %s from %s, peer_id %s", in.Kind, name, in.From.PeerID)
	switch in.Kind {
	case KindRequest:
		fmt.Fprintf(&b, ", request_id %s, intent %s]", in.RequestID, in.Intent)
		if len(in.Params) > 0 {
			fmt.Fprintf(&b, "\nparams: %s", in.Params)
		}
		b.WriteString("\nAnswer with send_response (this peer_id, in_reply_to the request_id).")
	case KindResponse:
		fmt.Fprintf(&b, ", in_reply_to %s, status %s]", in.InReplyTo, in.Status)
		if len(in.Result) > 0 {
			fmt.Fprintf(&b, "\nresult: %s", in.Result)
		}
	case KindLifecycle:
		fmt.Fprintf(&b, "] %s", in.LifecycleKind)
	default:
		b.WriteString("]")
	}
	if in.Body != "" {
		b.WriteString("\n" + in.Body)
	}
	return b.String()
}
