package skill

import (
	"fmt"
	"regexp"
	"strings"
)

// MaxInjectionBytes bounds the rendered text of the skills of one request.
const MaxInjectionBytes = 32 << 10

// closeTag matches a closing skill tag inside a body, which would end the
// block early.
var closeTag = regexp.MustCompile(`(?i)</skill\s*>`)

// Render returns the instructions of the skills with keys ks, one
// <skill id="..."> block each, for the system prompt. Every key must name a
// skill of c (ErrNotFound, ErrInvalidKey otherwise); the text must fit
// MaxInjectionBytes.
func (c *Catalog) Render(ks []Key) (string, error) {
	var b strings.Builder
	for _, k := range ks {
		s, err := c.Get(k)
		if err != nil {
			return "", err
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "<skill id=%q name=%q>\n%s\n</skill>", k.String(), s.Name,
			closeTag.ReplaceAllString(s.Body, "&lt;/skill&gt;"))
	}
	if b.Len() > MaxInjectionBytes {
		return "", fmt.Errorf("%w: the requested skills render to %d bytes, more than %d", ErrTooLarge, b.Len(), MaxInjectionBytes)
	}
	return b.String(), nil
}
