package session

// maxCachedSessions bounds the sessions each per-session cache of the
// service keeps: the history cache (committed rows) and the schema cache
// (compiled output schemas).
const maxCachedSessions = 256

// makeRoom evicts one entry of m at random when m already holds
// maxCachedSessions entries and none for key.
func makeRoom[V any](m map[string]V, key string) {
	if _, ok := m[key]; !ok && len(m) >= maxCachedSessions {
		for k := range m {
			delete(m, k)
			break
		}
	}
}
