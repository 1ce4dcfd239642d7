// Command muster-bench measures muster over HTTP as it runs in production:
// it creates a PostgreSQL database of its own, fills it with `muster seed
// --scale`, starts real muster processes, and drives them with a Go load
// generator next to a bare net/http + pgx handler running the best query
// for the same answer, in the same run, printing throughput, p50, p99 and
// the ratios. Then it storms a cohort with enrollments through two
// processes and checks every seat. `make bench` runs it.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"muster/internal/loadgen"
)

func main() {
	admin := flag.String("postgres", envOr("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"),
		"PostgreSQL URL of a role that may create databases; the bench creates and drops its own")
	courses := flag.Int("courses", 10000, "courses in the catalogue")
	conns := flag.Int("conns", 64, "requests in flight for the catalogue")
	duration := flag.Duration("duration", 10*time.Second, "how long each catalogue measurement runs")
	storms := flag.Int("storms", 3, "enrollment storms (500 trainees, 40 seats, quotas 20 + 20, two processes)")
	stormInFlight := flag.Int("storm-inflight", 64, "enrollment requests in flight during a storm (500 sends every trainee's at once)")
	keep := flag.Bool("keep", false, "keep the database afterwards")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *admin, *courses, *conns, *duration, storm{runs: *storms, inFlight: *stormInFlight}, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "muster-bench:", err)
		os.Exit(1)
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run(ctx context.Context, adminURL string, courses, conns int, duration time.Duration, storms storm, keep bool) error {
	dbURL, drop, err := createDatabase(ctx, adminURL)
	if err != nil {
		return err
	}
	if !keep {
		defer drop()
	} else {
		fmt.Println("database kept:", dbURL)
	}
	dir, err := os.MkdirTemp("", "muster-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Println("building muster ...")
	bin, err := loadgen.Build(ctx, dir)
	if err != nil {
		return err
	}
	began := time.Now()
	for _, args := range [][]string{{"migrate", "up"}, {"seed", "--scale", "--courses", fmt.Sprint(courses), "--people", "0", "--cohorts", "0"}} {
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "MUSTER_LOG_LEVEL=warn")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("muster %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		fmt.Printf("muster %s: %s", strings.Join(args, " "), out)
	}
	fmt.Printf("seeded in %v\n", time.Since(began).Round(time.Millisecond))
	procs, err := loadgen.Start(ctx, loadgen.Options{Binary: bin, DatabaseURL: dbURL}, 2)
	if err != nil {
		return err
	}
	defer loadgen.StopAll(procs)
	b, err := startBare(ctx, dbURL)
	if err != nil {
		return err
	}
	defer b.close()

	fmt.Printf("\ncatalogue, %d courses, %d in flight, %v each, one muster process against the bare handler:\n", courses, conns, duration)
	for _, path := range []string{"/api/v1/courses", "/api/v1/courses?q=crime", "/courses", "/courses?q=crime"} {
		m := measure(ctx, procs[0].URL+path, conns, duration)
		line := fmt.Sprintf("  %-26s muster %s", path, m.line())
		if strings.HasPrefix(path, "/api/") {
			bare := measure(ctx, b.URL+path, conns, duration)
			line += fmt.Sprintf("\n  %-26s bare   %s\n  %-26s ratio  %.2f of the bare handler's throughput", "", bare.line(), "", m.rep.Throughput()/bare.rep.Throughput())
		}
		fmt.Println(line)
	}
	if storms.runs > 0 {
		fmt.Printf("\nenrollment storms through %d processes, %d requests in flight:\n", len(procs), storms.inFlight)
		if err := storms.run(ctx, dbURL, loadgen.URLs(procs)); err != nil {
			return err
		}
	}
	return nil
}

// measurement is one load run with the load average when it started.
type measurement struct {
	rep  loadgen.Report
	load string
}

func (m measurement) line() string {
	return fmt.Sprintf("%6.0f req/s  p50 %7.1f ms  p99 %7.1f ms  failures %d  (load %s)", m.rep.Throughput(),
		ms(m.rep.Percentile(0.5)), ms(m.rep.Percentile(0.99)), m.rep.Failures()+nonOK(m.rep), m.load)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func nonOK(r loadgen.Report) int {
	n := 0
	for code, c := range r.Statuses() {
		if code != http.StatusOK && code < 500 && code != 0 {
			n += c
		}
	}
	return n
}

// measure warms the target up, then loads it for d.
func measure(ctx context.Context, target string, conns int, d time.Duration) measurement {
	client := loadgen.NewClient(conns)
	client.Transport.(*http.Transport).DisableCompression = true // both sides send plain JSON
	get := func(int) (*http.Request, error) { return http.NewRequest(http.MethodGet, target, nil) }
	loadgen.Run(ctx, loadgen.Load{N: 2 * conns, InFlight: conns, Client: client, Request: get})
	m := measurement{load: loadAverage()}
	m.rep = loadgen.Run(ctx, loadgen.Load{Duration: d, InFlight: conns, Client: client, Request: get})
	return m
}

// loadAverage is the machine's 1-minute load average.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}

// createDatabase makes an empty database next to the admin URL's.
func createDatabase(ctx context.Context, adminURL string) (string, func(), error) {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", nil, fmt.Errorf("PostgreSQL at %s: %w", adminURL, err)
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "muster_bench_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(ctx)
		return "", nil, err
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() {
		_, err := conn.Exec(context.Background(), "DROP DATABASE "+name+" WITH (FORCE)")
		if err != nil {
			fmt.Fprintln(os.Stderr, "drop", name+":", err)
		}
		conn.Close(context.Background())
	}
	return u.String(), drop, nil
}

// quietLogger discards the services' logs.
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
