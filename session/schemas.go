package session

import (
	"encoding/json"
	"sync"

	"github.com/rkat-dev/rkat/agent"
)

// schemaCache keeps the compiled output schemas of recently used sessions.
// A session's output schema never changes, so an entry stays valid.
type schemaCache struct {
	mu       sync.Mutex
	sessions map[string]*agent.OutputSchema
}

// put records the compiled output schema of session id.
func (c *schemaCache) put(id string, o *agent.OutputSchema) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sessions == nil {
		c.sessions = map[string]*agent.OutputSchema{}
	}
	makeRoom(c.sessions, id)
	c.sessions[id] = o
}

// get returns the compiled output schema of session id, compiling raw, the
// stored one, when the cache has none (another process created the
// session, or it was evicted).
func (c *schemaCache) get(id string, raw json.RawMessage) (*agent.OutputSchema, error) {
	c.mu.Lock()
	o := c.sessions[id]
	c.mu.Unlock()
	if o != nil {
		return o, nil
	}
	o, err := agent.CompileOutputSchema(raw)
	if err != nil {
		return nil, err
	}
	c.put(id, o)
	return o, nil
}
