package skill

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ErrMalformed marks a SKILL.md that cannot be parsed or validated.
var ErrMalformed = errors.New("skill: malformed SKILL.md")

// nameRE is the shape of a skill name: a lowercase slug, as the folder name.
var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// Document is a parsed SKILL.md.
type Document struct {
	Name        string
	Description string
	Metadata    map[string]string
	Body        string
}

// frontmatter is the YAML head of a SKILL.md. Unknown keys are allowed
// (other tools add their own) and ignored.
type frontmatter struct {
	Name        string            `yaml:"name"`
	Description string            `yaml:"description"`
	Metadata    map[string]string `yaml:"metadata"`
	Version     string            `yaml:"version"`
}

// Parse reads a SKILL.md: a "---" line, YAML frontmatter, a "---" line and
// the Markdown body. The name must be a lowercase slug (a-z, 0-9, '-', at
// most 64 characters) and, when dir is not empty, equal dir; the
// description must not be empty. Errors wrap ErrMalformed.
func Parse(data []byte, dir string) (Document, error) {
	head, body, err := split(data)
	if err != nil {
		return Document{}, err
	}
	var fm frontmatter
	if err := yaml.Unmarshal(head, &fm); err != nil {
		return Document{}, fmt.Errorf("%w: frontmatter: %w", ErrMalformed, err)
	}
	switch {
	case !nameRE.MatchString(fm.Name):
		return Document{}, fmt.Errorf("%w: name %q must be a lowercase slug of a-z, 0-9 and '-' (at most 64 characters)", ErrMalformed, fm.Name)
	case dir != "" && fm.Name != dir:
		return Document{}, fmt.Errorf("%w: name %q must equal its folder name %q", ErrMalformed, fm.Name, dir)
	case strings.TrimSpace(fm.Description) == "":
		return Document{}, fmt.Errorf("%w: description is required", ErrMalformed)
	}
	if fm.Version != "" {
		if fm.Metadata == nil {
			fm.Metadata = map[string]string{}
		}
		fm.Metadata["version"] = fm.Version
	}
	return Document{Name: fm.Name, Description: strings.TrimSpace(fm.Description), Metadata: fm.Metadata,
		Body: strings.TrimSpace(string(body))}, nil
}

// split separates the frontmatter from the body.
func split(data []byte) (head, body []byte, err error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	rest, ok := bytes.CutPrefix(data, []byte("---\n"))
	if !ok {
		return nil, nil, fmt.Errorf("%w: it must start with a '---' line opening the YAML frontmatter", ErrMalformed)
	}
	if h, ok := bytes.CutPrefix(rest, []byte("---\n")); ok {
		return nil, h, fmt.Errorf("%w: empty frontmatter", ErrMalformed)
	}
	i := bytes.Index(rest, []byte("\n---\n"))
	if i < 0 {
		if h, ok := bytes.CutSuffix(rest, []byte("\n---")); ok {
			return h, nil, nil
		}
		return nil, nil, fmt.Errorf("%w: the frontmatter has no closing '---' line", ErrMalformed)
	}
	return rest[:i], rest[i+len("\n---\n"):], nil
}
