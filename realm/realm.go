// Package realm resolves where a realm's durable state lives: the state root
// (~/.rkat unless given), the realm name (named, isolated or derived from a
// working directory) and the realm's database file under
// <state root>/realms/<name>/state.db. Both `rkat run` and `rkat-rpc` use it.
package realm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/rkat-dev/rkat/internal/randhex"
	"github.com/rkat-dev/rkat/store"
	"github.com/rkat-dev/rkat/store/memory"
	"github.com/rkat-dev/rkat/store/postgres"
	"github.com/rkat-dev/rkat/store/sqlite"
)

// EnvStateRoot overrides the default state root when set.
const EnvStateRoot = "RKAT_STATE_ROOT"

// ErrInvalid reports unusable options (bad realm name, conflicting flags).
var ErrInvalid = errors.New("realm: invalid options")

// EnvStoreURL selects a shared store (postgres://...) when no --store flag
// does.
const EnvStoreURL = "RKAT_STORE_URL"

// Backend names.
const (
	BackendSQLite   = "sqlite"
	BackendMemory   = "memory"
	BackendPostgres = "postgres"
)

// Options say which realm to use. At most one of Name and Isolated is set;
// with neither, the realm is derived from WorkDir (the CLI's default) or,
// with WorkDir empty too, a fresh isolated realm (the RPC server's default).
type Options struct {
	StateRoot string // empty: $RKAT_STATE_ROOT, else ~/.rkat
	Name      string // a named realm: shared durable state
	Isolated  bool   // a fresh realm with a generated name
	WorkDir   string // derive the realm from this directory
	Backend   string // "sqlite" (default) or "memory"
	// Store is a shared store's URL (postgres://...); empty: $RKAT_STORE_URL,
	// else ConfigStore's [store] url. When set, the realm lives there as a
	// value of its realm column, whatever Backend says.
	Store string
	// ConfigStore is a [store] url already read from a config file; it
	// applies when neither Store nor $RKAT_STORE_URL is set.
	ConfigStore string
	// ConfigFiles are the config.toml files whose [store] url applies when
	// neither Store nor $RKAT_STORE_URL is set.
	ConfigFiles []string
	Getenv      func(string) string
}

// Realm is a resolved realm.
type Realm struct {
	Name      string
	StateRoot string
	Dir       string // <state root>/realms/<name>
	Backend   string
	StoreURL  string // the Postgres URL of BackendPostgres
}

// DBPath is the realm's SQLite file.
func (r Realm) DBPath() string { return filepath.Join(r.Dir, "state.db") }

var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidName reports whether name can name a realm (letters, digits, '.',
// '_' and '-', at most 64, not starting with a punctuation mark).
func ValidName(name string) bool { return namePattern.MatchString(name) }

// Resolve turns options into a realm. It reads only o.ConfigFiles.
func Resolve(o Options) (Realm, error) {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Name != "" && o.Isolated {
		return Realm{}, fmt.Errorf("%w: a named realm cannot be isolated", ErrInvalid)
	}
	switch o.Backend {
	case "":
		o.Backend = BackendSQLite
	case BackendSQLite, BackendMemory:
	default:
		return Realm{}, fmt.Errorf("%w: unknown backend %q (want sqlite or memory)", ErrInvalid, o.Backend)
	}
	if o.Store == "" {
		o.Store = o.Getenv(EnvStoreURL)
	}
	if o.Store == "" {
		o.Store = o.ConfigStore
	}
	if o.Store == "" {
		var err error
		if o.Store, err = ConfigStore(o.ConfigFiles...); err != nil {
			return Realm{}, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
	}
	if o.Store != "" {
		if !strings.HasPrefix(o.Store, "postgres://") && !strings.HasPrefix(o.Store, "postgresql://") {
			return Realm{}, fmt.Errorf("%w: store URL must start with postgres:// or postgresql://", ErrInvalid)
		}
		o.Backend = BackendPostgres
	}
	root, err := StateRoot(o.StateRoot, o.Getenv)
	if err != nil {
		return Realm{}, err
	}
	var name string
	switch {
	case o.Name != "":
		if !ValidName(o.Name) {
			return Realm{}, fmt.Errorf("%w: realm name %q (use letters, digits, '.', '_', '-', at most 64)", ErrInvalid, o.Name)
		}
		name = o.Name
	case o.Isolated || o.WorkDir == "":
		name = "iso-" + randhex.String(8)
	default:
		if name, err = WorkDirName(o.WorkDir); err != nil {
			return Realm{}, err
		}
	}
	return Realm{Name: name, StateRoot: root, Dir: filepath.Join(root, "realms", name), Backend: o.Backend, StoreURL: o.Store}, nil
}

// StateRoot returns dir if set, else $RKAT_STATE_ROOT, else ~/.rkat, made
// absolute.
func StateRoot(dir string, getenv func(string) string) (string, error) {
	if dir == "" {
		dir = getenv(EnvStateRoot)
	}
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("realm: no state root: %w (use --state-root)", err)
		}
		dir = filepath.Join(home, ".rkat")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("realm: state root: %w", err)
	}
	return abs, nil
}

// WorkDirName derives a stable realm name from a directory: "ws-" and the
// first 16 hex digits of the SHA-256 of its absolute, cleaned path.
func WorkDirName(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("realm: work dir: %w", err)
	}
	sum := sha256.Sum256([]byte(filepath.Clean(abs)))
	return "ws-" + hex.EncodeToString(sum[:8]), nil
}

// Open opens the realm's store: the SQLite file (created if missing), a
// fresh memory store, or the realm's rows in the Postgres database, whose
// event bus warns on log (nil discards its warnings).
func Open(ctx context.Context, r Realm, log *slog.Logger) (store.Store, error) {
	switch r.Backend {
	case BackendMemory:
		return memory.New(), nil
	case BackendPostgres:
		st, err := postgres.Open(ctx, postgres.Config{URL: r.StoreURL, Realm: r.Name, Logger: log})
		if err != nil {
			return nil, fmt.Errorf("realm %s: %w", r.Name, err)
		}
		return st, nil
	}
	st, err := sqlite.Open(ctx, sqlite.Config{Path: r.DBPath()})
	if err != nil {
		return nil, fmt.Errorf("realm %s: %w", r.Name, err)
	}
	return st, nil
}
