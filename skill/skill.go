package skill

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// Limits of what a Library reads.
const (
	MaxSkillBytes      = 64 << 10  // one SKILL.md
	MaxResourceBytes   = 256 << 10 // one resource read by the model
	MaxResources       = 256       // resources listed per skill
	MaxSkillsPerSource = 512       // skill folders read per source
)

// Sentinel errors; match with errors.Is.
var (
	// ErrNotFound: no skill with that key, or no such resource.
	ErrNotFound = errors.New("skill: not found")
	// ErrInvalidKey: a key without a source uuid or a skill name.
	ErrInvalidKey = errors.New("skill: invalid key")
	// ErrTooLarge: the requested skills render to more than MaxInjectionBytes.
	ErrTooLarge = errors.New("skill: injection too large")
)

// Scope is where a skill comes from.
type Scope string

// Scopes in precedence order (a project skill shadows a user skill of the
// same name, which shadows a builtin one).
const (
	ScopeProject Scope = "project"
	ScopeUser    Scope = "user"
	ScopeBuiltin Scope = "builtin"
)

// Key identifies a skill: its source and its name (the contract's SkillKey).
type Key struct {
	SourceUUID string `json:"source_uuid"`
	SkillName  string `json:"skill_name"`
}

func (k Key) String() string { return k.SourceUUID + "/" + k.SkillName }

// Source is one place skills come from, with the contract's provenance.
type Source struct {
	UUID          string `json:"source_uuid"`
	DisplayName   string `json:"display_name"`
	TransportKind string `json:"transport_kind"` // "embedded" or "filesystem"
	Fingerprint   string `json:"fingerprint"`
	Scope         Scope  `json:"-"`

	dir   string // filesystem root of the source; "" for embedded
	embed fs.FS  // embedded root
}

// open returns the source's file system and a function releasing it. A
// filesystem source is opened as an os.Root so no path escapes it.
func (s *Source) open() (fs.FS, func(), error) {
	if s.embed != nil {
		return s.embed, func() {}, nil
	}
	r, err := os.OpenRoot(s.dir)
	if err != nil {
		return nil, nil, err
	}
	return r.FS(), func() { r.Close() }, nil
}

// Skill is one skill of a Catalog.
type Skill struct {
	Key         Key
	Name        string
	Description string
	Metadata    map[string]string
	Body        string
	Source      *Source
	// Active is false when a higher source has a skill of the same name,
	// which ShadowedBy names.
	Active     bool
	ShadowedBy *Source
}

// Problem is a SKILL.md (or a source) that could not be read; it was skipped.
type Problem struct {
	Source   *Source
	Location string // the SKILL.md's path, relative to the source for embedded ones
	Err      error
}

// Config configures a Library.
type Config struct {
	// ProjectDir and UserDir are the folders holding skill folders (usually
	// <root>/.rkat/skills); empty or missing folders hold no skills.
	ProjectDir string
	UserDir    string
	// Builtin holds the embedded skills, one folder each at its root; nil
	// uses the skills shipped with rkat, an empty fs.FS none.
	Builtin fs.FS
}

// Library reads the skills of its sources.
type Library struct {
	sources []*Source // precedence order
}

//go:embed builtin
var shipped embed.FS

// New returns a Library over cfg's sources.
func New(cfg Config) *Library {
	b := cfg.Builtin
	if b == nil {
		b, _ = fs.Sub(shipped, "builtin")
	}
	l := &Library{}
	for _, s := range []struct {
		scope Scope
		dir   string
	}{{ScopeProject, cfg.ProjectDir}, {ScopeUser, cfg.UserDir}} {
		if s.dir == "" {
			continue
		}
		abs, err := filepath.Abs(s.dir)
		if err != nil {
			abs = filepath.Clean(s.dir)
		}
		l.sources = append(l.sources, newSource(s.scope, "filesystem", "file://"+filepath.ToSlash(abs), string(s.scope)+" skills ("+abs+")", abs, nil))
	}
	l.sources = append(l.sources, newSource(ScopeBuiltin, "embedded", "rkat:builtin-skills", "builtin skills", "", b))
	return l
}

// newSource derives a source's stable identity from its location: the uuid
// is a UUIDv5 of the location, the fingerprint a SHA-256 of transport and
// location, so the same folder keeps its keys across restarts.
func newSource(scope Scope, transport, location, display, dir string, fsys fs.FS) *Source {
	sum := sha256.Sum256([]byte(transport + "\x00" + location))
	return &Source{
		UUID:          uuid.NewSHA1(uuid.NameSpaceURL, []byte(location)).String(),
		DisplayName:   display,
		TransportKind: transport,
		Fingerprint:   "sha256:" + hex.EncodeToString(sum[:]),
		Scope:         scope,
		dir:           dir,
		embed:         fsys,
	}
}

// Sources returns the library's sources in precedence order.
func (l *Library) Sources() []*Source { return slices.Clone(l.sources) }

// Catalog is the skills of a Library at one moment.
type Catalog struct {
	lib      *Library
	skills   []Skill // sources in precedence order, names sorted within one
	problems []Problem
}

// Load reads every source. It never fails: unreadable sources and malformed
// skills are reported in Problems and skipped.
func (l *Library) Load() *Catalog {
	c := &Catalog{lib: l}
	winner := map[string]*Source{}
	for _, src := range l.sources {
		for _, sk := range c.readSource(src) {
			if w, ok := winner[sk.Name]; ok {
				sk.ShadowedBy = w
			} else {
				sk.Active = true
				winner[sk.Name] = src
			}
			c.skills = append(c.skills, sk)
		}
	}
	return c
}

// readSource reads the skills of one source, sorted by folder name.
func (c *Catalog) readSource(src *Source) []Skill {
	fsys, release, err := src.open()
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		c.problems = append(c.problems, Problem{Source: src, Location: src.dir, Err: err})
		return nil
	}
	defer release()
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		c.problems = append(c.problems, Problem{Source: src, Location: src.dir, Err: err})
		return nil
	}
	var out []Skill
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if len(out) == MaxSkillsPerSource {
			c.problems = append(c.problems, Problem{Source: src, Location: src.location(e.Name()),
				Err: fmt.Errorf("skill: more than %d skills in one source; the rest are skipped", MaxSkillsPerSource)})
			break
		}
		doc, err := readDoc(fsys, e.Name())
		if errors.Is(err, fs.ErrNotExist) {
			continue // a folder without SKILL.md is not a skill
		}
		if err != nil {
			c.problems = append(c.problems, Problem{Source: src, Location: src.location(path.Join(e.Name(), "SKILL.md")), Err: err})
			continue
		}
		out = append(out, Skill{Key: Key{SourceUUID: src.UUID, SkillName: doc.Name}, Name: doc.Name,
			Description: doc.Description, Metadata: doc.Metadata, Body: doc.Body, Source: src})
	}
	return out
}

// location names a path of the source for reports.
func (s *Source) location(rel string) string {
	if s.dir == "" {
		return "builtin:" + rel
	}
	return filepath.Join(s.dir, filepath.FromSlash(rel))
}

func readDoc(fsys fs.FS, dir string) (Document, error) {
	data, err := readLimited(fsys, path.Join(dir, "SKILL.md"), MaxSkillBytes)
	if err != nil {
		return Document{}, err
	}
	return Parse(data, dir)
}

// readLimited reads a regular file of at most limit bytes.
func readLimited(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("skill: %s is not a regular file", name)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("skill: %s is larger than %d bytes", name, limit)
	}
	return data, nil
}

// Skills returns every skill, active and shadowed, sources in precedence
// order.
func (c *Catalog) Skills() []Skill { return slices.Clone(c.skills) }

// Problems returns the skills and sources that were skipped.
func (c *Catalog) Problems() []Problem { return slices.Clone(c.problems) }

// Get returns the skill with key k.
func (c *Catalog) Get(k Key) (Skill, error) {
	if k.SourceUUID == "" || k.SkillName == "" {
		return Skill{}, fmt.Errorf("%w: source_uuid and skill_name are required", ErrInvalidKey)
	}
	for _, s := range c.skills {
		if s.Key == k {
			return s, nil
		}
	}
	return Skill{}, fmt.Errorf("%w: %s", ErrNotFound, k)
}

// Resources lists the resource files of a skill (every regular file of its
// folder but SKILL.md and hidden ones), slash-separated and sorted.
func (c *Catalog) Resources(k Key) ([]string, error) {
	s, err := c.Get(k)
	if err != nil {
		return nil, err
	}
	fsys, release, err := s.Source.open()
	if err != nil {
		return nil, fmt.Errorf("skill: open %s: %w", s.Source.DisplayName, err)
	}
	defer release()
	var out []string
	err = fs.WalkDir(fsys, s.Name, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != s.Name {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel := strings.TrimPrefix(p, s.Name+"/")
		if rel == "SKILL.md" {
			return nil
		}
		if len(out) == MaxResources {
			return fs.SkipAll
		}
		out = append(out, rel)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("skill: list resources of %s: %w", k, err)
	}
	slices.Sort(out)
	return out, nil
}

// ReadResource returns one resource of a skill, named as Resources lists it.
func (c *Catalog) ReadResource(k Key, name string) ([]byte, error) {
	list, err := c.Resources(k)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(list, name) {
		return nil, fmt.Errorf("%w: skill %s has no resource %q", ErrNotFound, k, name)
	}
	s, _ := c.Get(k)
	fsys, release, err := s.Source.open()
	if err != nil {
		return nil, fmt.Errorf("skill: open %s: %w", s.Source.DisplayName, err)
	}
	defer release()
	return readLimited(fsys, path.Join(s.Name, name), MaxResourceBytes)
}
