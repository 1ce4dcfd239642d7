// Package loadgen runs muster as real processes and drives them over HTTP:
// it builds the binary once, starts N servers on one database with free
// ports, stops or kills them, and fires requests with a bounded number in
// flight, collecting each answer's latency, status and outcome.
//
//	bin, _ := loadgen.Build(ctx, t.TempDir())
//	procs, _ := loadgen.Start(ctx, loadgen.Options{Binary: bin, DatabaseURL: url}, 2)
//	defer loadgen.StopAll(procs)
//	rep := loadgen.Storm(ctx, loadgen.StormPlan{URLs: loadgen.URLs(procs), CohortID: c, Trainees: ts, InFlight: 64})
//	fmt.Println(rep.Summary())
package loadgen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// Build compiles the muster command into dir and returns the binary's path.
// It must run inside the module (tests and `go run` do). It builds with the
// same settings as the tests, so their compiled packages are reused.
func Build(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "muster")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "muster/cmd/muster")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build muster: %v\n%s", err, out)
	}
	return bin, nil
}

// Options says how to start muster servers.
type Options struct {
	Binary      string        // from Build
	DatabaseURL string        // shared by every server; migrated by the first to start
	Env         []string      // extra NAME=value settings, after the defaults
	Ready       time.Duration // how long to wait for /readyz; 60 s when zero
	Log         io.Writer     // servers' standard error; kept in memory for errors when nil
}

// Process is one running muster server.
type Process struct {
	URL  string // http://127.0.0.1:PORT
	cmd  *exec.Cmd
	done chan struct{}
	err  error // the exit status, once done is closed
	log  *tail
}

// Start launches n servers on opt.DatabaseURL, each on a free port, and
// returns once every one answers /readyz with 200. On failure it stops the
// ones it started.
func Start(ctx context.Context, opt Options, n int) ([]*Process, error) {
	var procs []*Process
	for range n {
		p, err := start(opt)
		if err != nil {
			StopAll(procs)
			return nil, err
		}
		procs = append(procs, p)
	}
	wait := opt.Ready
	if wait == 0 {
		wait = time.Minute
	}
	for _, p := range procs {
		if err := p.waitReady(ctx, wait); err != nil {
			StopAll(procs)
			return nil, err
		}
	}
	return procs, nil
}

func start(opt Options) (*Process, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	p := &Process{URL: "http://" + addr, done: make(chan struct{}), log: &tail{max: 16 << 10}}
	p.cmd = exec.Command(opt.Binary, "serve", "--migrate")
	p.cmd.Env = append(os.Environ(), "MUSTER_ADDR="+addr, "MUSTER_BASE_URL="+p.URL, "DATABASE_URL="+opt.DatabaseURL,
		"MUSTER_LOG_LEVEL=warn", "MUSTER_SHUTDOWN_TIMEOUT=5s")
	p.cmd.Env = append(p.cmd.Env, opt.Env...)
	p.cmd.Stdout = io.Discard
	p.cmd.Stderr = p.log
	if opt.Log != nil {
		p.cmd.Stderr = io.MultiWriter(p.log, opt.Log)
	}
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	return p, nil
}

// freePort asks the kernel for a port nobody listens on.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls /readyz until it answers 200, the process exits or the
// time runs out.
func (p *Process) waitReady(ctx context.Context, within time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, p.URL+"/readyz", nil)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-p.done:
			return fmt.Errorf("muster at %s exited before it was ready (%v):\n%s", p.URL, p.err, p.log)
		case <-ctx.Done():
			return fmt.Errorf("muster at %s not ready within %v:\n%s", p.URL, within, p.log)
		case <-tick.C:
		}
	}
}

// Stop sends SIGTERM and waits for the process to end; a clean shutdown
// answers nil.
func (p *Process) Stop() error { return p.signal(syscall.SIGTERM) }

// Kill ends the process at once with SIGKILL, as a crash would.
func (p *Process) Kill() error {
	err := p.signal(syscall.SIGKILL)
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return nil // killed is the expected end
	}
	return err
}

func (p *Process) signal(sig os.Signal) error {
	select {
	case <-p.done:
		return p.err
	default:
	}
	if err := p.cmd.Process.Signal(sig); err != nil {
		return err
	}
	<-p.done
	return p.err
}

// Exited reports whether the process has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Log is the end of what the process wrote to standard error.
func (p *Process) Log() string { return p.log.String() }

// StopAll stops every process, returning the first error.
func StopAll(procs []*Process) error {
	var first error
	for _, p := range procs {
		if err := p.Stop(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// URLs lists the processes' base URLs.
func URLs(procs []*Process) []string {
	out := make([]string, len(procs))
	for i, p := range procs {
		out[i] = p.URL
	}
	return out
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = bytes.Clone(t.buf[over:])
	}
	return len(b), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
