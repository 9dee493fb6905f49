package wire

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Reserved channel prefixes, matched ASCII case-insensitively at the start of
// a channel name (spec §5.5).
const (
	ReservedPrefixMetered  = "_metered/"
	ReservedPrefixInternal = "_internal/"
	ReservedPrefixSystem   = "_system/"
)

// reservedPrefixes are the prefixes IsReserved checks; a fixed array, so
// the check (on every subscribe and publish) allocates nothing.
var reservedPrefixes = [...]string{ReservedPrefixMetered, ReservedPrefixInternal, ReservedPrefixSystem}

// IsReserved reports whether channel starts with a reserved prefix.
func IsReserved(channel string) bool {
	for _, p := range reservedPrefixes {
		if len(channel) >= len(p) && strings.EqualFold(channel[:len(p)], p) {
			return true
		}
	}
	return false
}

// Sentinel errors returned by the validators.
var (
	ErrEmpty       = errors.New("empty")
	ErrTooLong     = errors.New("too long")
	ErrControlChar = errors.New("contains a control character")
	ErrBadPattern  = errors.New("invalid channel pattern")
)

// isControl reports whether r is U+0000–U+001F, U+007F or U+0080–U+009F.
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f)
}

// validateName checks a non-empty name of at most max characters (runes)
// without control characters.
func validateName(s string, max int) error {
	if s == "" {
		return ErrEmpty
	}
	if utf8.RuneCountInString(s) > max {
		return fmt.Errorf("%w (max %d characters)", ErrTooLong, max)
	}
	for _, r := range s {
		if isControl(r) {
			return ErrControlChar
		}
	}
	return nil
}

// ValidateChannel checks a channel name: non-empty, at most MaxChannelLen
// characters, no control characters.
func ValidateChannel(s string) error { return validateName(s, MaxChannelLen) }

// ValidatePeerID checks a peer id used as a send target: non-empty, at most
// MaxPeerIDLen characters, no control characters.
func ValidatePeerID(s string) error { return validateName(s, MaxPeerIDLen) }

// ValidateSubject checks a JWT sub claim: 1–MaxPeerIDLen printable ASCII
// characters (0x20–0x7E).
func ValidateSubject(s string) error {
	if s == "" {
		return ErrEmpty
	}
	if len(s) > MaxPeerIDLen {
		return fmt.Errorf("%w (max %d characters)", ErrTooLong, MaxPeerIDLen)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return fmt.Errorf("%w: not printable ASCII", ErrControlChar)
		}
	}
	return nil
}

// Pattern is a compiled channel authorization pattern (spec §5.3): `*`
// matches any run of characters except `/`, `**` any run including `/`,
// `\*` and `\\` are a literal `*` and `\`; everything else matches itself,
// case-sensitively. A Pattern is immutable and safe for concurrent use.
type Pattern struct {
	src string
	re  *regexp.Regexp
}

// CompilePattern validates and compiles a channel pattern. A pattern must be
// a valid channel name (ValidateChannel) and may use `\` only before `*` or
// `\`.
func CompilePattern(p string) (*Pattern, error) {
	if err := ValidateChannel(p); err != nil {
		return nil, fmt.Errorf("%w %q: %w", ErrBadPattern, p, err)
	}
	var b strings.Builder
	b.WriteString(`(?s)^`)
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '\\':
			if i+1 >= len(p) || (p[i+1] != '*' && p[i+1] != '\\') {
				return nil, fmt.Errorf("%w %q: `\\` must precede `*` or `\\`", ErrBadPattern, p)
			}
			i++
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
		case '*':
			if i+1 < len(p) && p[i+1] == '*' {
				i++
				b.WriteString(`.*`)
			} else {
				b.WriteString(`[^/]*`)
			}
		default:
			// Copy the run of ordinary bytes up to the next special byte.
			j := i
			for j < len(p) && p[j] != '\\' && p[j] != '*' {
				j++
			}
			b.WriteString(regexp.QuoteMeta(p[i:j]))
			i = j - 1
		}
	}
	b.WriteString(`$`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("%w %q: %w", ErrBadPattern, p, err)
	}
	return &Pattern{src: p, re: re}, nil
}

// String returns the pattern source.
func (p *Pattern) String() string { return p.src }

// Match reports whether channel matches the whole pattern.
func (p *Pattern) Match(channel string) bool { return p.re.MatchString(channel) }

// Covers reports whether every channel matched by sub is also matched by p,
// judged conservatively on the pattern text: it is exact for literal
// patterns and for p ending in `**`, and otherwise requires the texts to be
// equal. It answers whether a JWT channels claim stays inside a signing key's
// patterns.
func (p *Pattern) Covers(sub *Pattern) bool {
	if p.src == sub.src || !strings.ContainsAny(sub.src, `*\`) && p.Match(sub.src) {
		return true
	}
	if prefix, ok := strings.CutSuffix(p.src, "**"); ok && !strings.ContainsAny(prefix, `*\`) {
		// p = literal prefix + "**": sub is covered when its own literal
		// head (before any wildcard) starts with prefix.
		head := sub.src
		if k := strings.IndexAny(head, `*\`); k >= 0 {
			head = head[:k]
		}
		return strings.HasPrefix(head, prefix)
	}
	return false
}

// Patterns is a set of compiled patterns; a channel is allowed when any
// pattern matches it.
type Patterns []*Pattern

// CompilePatterns compiles every pattern in srcs.
func CompilePatterns(srcs []string) (Patterns, error) {
	out := make(Patterns, 0, len(srcs))
	for _, s := range srcs {
		p, err := CompilePattern(s)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// Match reports whether any pattern in ps matches channel.
func (ps Patterns) Match(channel string) bool {
	for _, p := range ps {
		if p.Match(channel) {
			return true
		}
	}
	return false
}

// Covers reports whether sub is covered by at least one pattern of ps (see
// Pattern.Covers).
func (ps Patterns) Covers(sub *Pattern) bool {
	for _, p := range ps {
		if p.Covers(sub) {
			return true
		}
	}
	return false
}
