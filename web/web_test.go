package web_test

import (
	"io"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/rkat-dev/rkat/web"
)

// TestAssets: the console's files are served, and none of them loads
// anything from another origin (the machine may be offline).
func TestAssets(t *testing.T) {
	h := web.Handler()
	external := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//|@import|url\(\s*["']?https?:`)
	for _, tc := range []struct{ path, contentType, contains string }{
		{"/", "text/html", `<script src="console.js">`},
		{"/console.js", "text/javascript", `"/rpc?key="`},
		{"/console.css", "text/css", ".app"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", tc.path, nil))
		body, _ := io.ReadAll(rec.Body)
		if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), tc.contentType) || !strings.Contains(string(body), tc.contains) {
			t.Errorf("GET %s = %d %q, %d bytes", tc.path, rec.Code, rec.Header().Get("Content-Type"), len(body))
		}
		if m := external.Find(body); m != nil {
			t.Errorf("%s loads from another origin: %s", tc.path, m)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/nope.js", nil))
	if rec.Code != 404 {
		t.Errorf("GET /nope.js = %d", rec.Code)
	}
}
