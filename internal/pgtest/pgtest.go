// Package pgtest starts one private Postgres cluster for a test binary:
// initdb into a temporary directory, pg_ctl start on a free loopback port
// (no Unix socket), and a fresh database per test. As root the server runs
// as the unprivileged user nobody, which owns the data directory, because
// postgres refuses to run as root. Where Debian's postgresql is missing the
// tests skip, except under CI=true, where they fail.
//
// Use from TestMain:
//
//	var pg pgtest.Cluster
//	func TestMain(m *testing.M) { goleak.VerifyTestMain(pg.Wrap(m)) }
//
// and pg.URL(t) in a test.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rkat-dev/rkat/internal/interoptest"
)

// Cluster is a private Postgres server, started by the first URL call;
// the zero value is ready for Wrap.
type Cluster struct {
	// Durable keeps fsync on (for benchmarks); tests run with fsync=off.
	Durable bool

	wrapped bool
	once    sync.Once
	dir     string // data directory
	bin     string // directory of initdb, pg_ctl
	port    int
	asUser  string // "" or the user the server runs as
	missing error  // why no cluster runs
	dbs     atomic.Int64
}

// Wrap returns m with the cluster stopped after its tests if one of them
// started it. A failed start is reported by URL in each test that needs it.
func (c *Cluster) Wrap(m interface{ Run() int }) interface{ Run() int } { return wrapped{c, m} }

type wrapped struct {
	c *Cluster
	m interface{ Run() int }
}

func (w wrapped) Run() int {
	w.c.wrapped = true
	defer w.c.stop()
	return w.m.Run()
}

// bindir finds Debian's newest /usr/lib/postgresql/<version>/bin.
func bindir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Strings(dirs)
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	return "", errors.New("postgres is not installed (apt-get install postgresql)")
}

func (c *Cluster) start() error {
	bin, err := bindir()
	if err != nil {
		return err
	}
	c.bin = bin
	parent := "" // as root, /tmp: $TMPDIR may sit where nobody cannot go
	if os.Geteuid() == 0 {
		parent = "/tmp"
	}
	if c.dir, err = os.MkdirTemp(parent, "rkat-pgtest-"); err != nil {
		return err
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("nobody")
		if err != nil {
			return fmt.Errorf("pgtest: running as root needs the user nobody: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(c.dir, uid, gid); err != nil {
			return fmt.Errorf("pgtest: %w", err)
		}
		c.asUser = "nobody"
	}
	data := filepath.Join(c.dir, "data")
	if out, err := c.run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"); err != nil {
		return fmt.Errorf("pgtest: initdb: %w\n%s", err, out)
	}
	if c.port, err = freePort(); err != nil {
		return err
	}
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200", c.port)
	if !c.Durable {
		opts += " -c fsync=off"
	}
	if out, err := c.run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(c.dir, "server.log"), "-w", "-t", "60", "start"); err != nil {
		return fmt.Errorf("pgtest: pg_ctl start: %w\n%s", err, out)
	}
	return nil
}

func (c *Cluster) stop() {
	if c.dir == "" {
		return
	}
	if c.port != 0 {
		c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop")
	}
	os.RemoveAll(c.dir)
}

// run runs one of the cluster's programs, as c.asUser when set.
func (c *Cluster) run(prog string, args ...string) ([]byte, error) {
	path := filepath.Join(c.bin, prog)
	cmd := exec.Command(path, args...)
	if c.asUser != "" {
		cmd = exec.Command("runuser", append([]string{"-u", c.asUser, "--", path}, args...)...)
	}
	cmd.Dir = c.dir
	return cmd.CombinedOutput()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// URL creates a fresh database for t and returns its connection string. It
// skips t when no cluster runs, or fails it under CI=true.
func (c *Cluster) URL(t testing.TB) string {
	t.Helper()
	if !c.wrapped {
		t.Fatal("pgtest: the test binary's TestMain does not Wrap the cluster")
	}
	c.once.Do(func() { c.missing = c.start() })
	if c.missing != nil {
		interoptest.Missing(t, "postgres cluster: %v", c.missing)
	}
	name := fmt.Sprintf("t%d", c.dbs.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.url("postgres"))
	if err != nil {
		t.Fatalf("pgtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	return c.url(name)
}

func (c *Cluster) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}
