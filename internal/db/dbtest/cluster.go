package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Cluster is a private PostgreSQL server a test starts, stops and restarts
// at will (the shared test server is never touched), in a temporary folder
// on a free port, made with the PostgreSQL binaries on the machine
// (MUSTER_PG_BIN, else the newest /usr/lib/postgresql/*/bin).
type Cluster struct {
	t    testing.TB
	bin  string
	dir  string // the data folder
	Port int
	as   []string // runuser prefix when running as root
}

// StartCluster initialises and starts a private cluster, stopped and
// removed when the test ends. Without PostgreSQL's server binaries the test
// is skipped, or fails when MUSTER_REQUIRE_POSTGRES is set.
func StartCluster(t testing.TB) *Cluster {
	t.Helper()
	c := newCluster(t, "primary")
	c.run("initdb", "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "-D", c.dir)
	conf := "listen_addresses = '127.0.0.1'\nwal_level = replica\nmax_wal_senders = 4\nhot_standby = on\nfsync = off\n"
	if err := os.WriteFile(filepath.Join(c.dir, "postgresql.auto.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	c.chown(filepath.Join(c.dir, "postgresql.auto.conf"))
	c.Start()
	return c
}

// StartReplica makes a streaming replica of c with pg_basebackup and starts
// it on a port of its own.
func (c *Cluster) StartReplica() *Cluster {
	c.t.Helper()
	r := newCluster(c.t, "replica")
	c.run("pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(c.Port), "-U", "postgres", "-D", r.dir, "-R", "-X", "stream", "--no-sync")
	r.Start()
	return r
}

func newCluster(t testing.TB, name string) *Cluster {
	t.Helper()
	bin := pgBin()
	if bin == "" {
		if os.Getenv("MUSTER_REQUIRE_POSTGRES") != "" {
			t.Fatal("PostgreSQL is required (MUSTER_REQUIRE_POSTGRES) but its server binaries (initdb, pg_ctl) are not installed; set MUSTER_PG_BIN")
		}
		t.Skip("PostgreSQL server binaries not installed: private-cluster test skipped")
	}
	root, err := os.MkdirTemp("", "muster-pg-")
	if err != nil {
		t.Fatal(err)
	}
	c := &Cluster{t: t, bin: bin, dir: filepath.Join(root, name), Port: freePort(t)}
	if os.Geteuid() == 0 { // initdb refuses root: run as postgres in a folder it owns
		c.as = []string{"runuser", "-u", "postgres", "--"}
		c.chown(root)
	}
	t.Cleanup(func() {
		c.pgctl("stop", "-m", "immediate")
		_ = os.RemoveAll(root)
	})
	return c
}

// Start starts the server and waits until it accepts connections.
func (c *Cluster) Start() {
	c.t.Helper()
	opts := fmt.Sprintf("-p %d -k %s", c.Port, filepath.Dir(c.dir))
	if out, err := c.pgctl("start", "-w", "-t", "60", "-o", opts, "-l", c.dir+".log"); err != nil {
		log, _ := os.ReadFile(c.dir + ".log")
		c.t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
}

// Stop stops the server: mode "fast" ends sessions cleanly, "immediate" is a crash.
func (c *Cluster) Stop(mode string) {
	c.t.Helper()
	if out, err := c.pgctl("stop", "-w", "-m", mode); err != nil {
		c.t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}

// URL is the address of database name on the cluster.
func (c *Cluster) URL(name string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, name)
}

// SQL opens a plain connection pool to the cluster's postgres database.
func (c *Cluster) SQL() *sql.DB {
	c.t.Helper()
	s, err := sql.Open("pgx", c.URL("postgres"))
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { _ = s.Close() })
	return s
}

func (c *Cluster) pgctl(args ...string) (string, error) {
	return c.exec("pg_ctl", append([]string{"-D", c.dir}, args...)...)
}

func (c *Cluster) run(tool string, args ...string) {
	c.t.Helper()
	if out, err := c.exec(tool, args...); err != nil {
		c.t.Fatalf("%s: %v\n%s", tool, err, out)
	}
}

func (c *Cluster) exec(tool string, args ...string) (string, error) {
	argv := append(append(append([]string{}, c.as...), filepath.Join(c.bin, tool)), args...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, argv[0], argv[1:]...).CombinedOutput()
	return string(out), err
}

// chown gives path to the postgres user when the test runs as root.
func (c *Cluster) chown(path string) {
	if c.as == nil {
		return
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		c.t.Fatalf("running as root needs a postgres user: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(path, uid, gid); err != nil {
		c.t.Fatal(err)
	}
}

// pgBin finds the folder of initdb and pg_ctl.
func pgBin() string {
	if b := os.Getenv("MUSTER_PG_BIN"); b != "" {
		return b
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	return ""
}

func version(binDir string) int {
	n, _ := strconv.Atoi(strings.Split(filepath.Base(filepath.Dir(binDir)), ".")[0])
	return n
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
