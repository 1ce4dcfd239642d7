// Package testworld builds the world a test needs through muster's real
// services, wired as internal/app wires them: agencies, people, courses,
// venues, cohorts, sessions and enrollments, over a test database and a
// movable clock. Nothing is inserted behind a service's back, so a test's
// world obeys the same rules and writes the same audit trail as production.
package testworld

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/app"
	"muster/internal/clock"
	"muster/internal/config"
)

// Start is where the clock stands unless a test moves it: before every
// cohort the builders schedule by default.
var Start = time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)

// World is a database with muster's services over it.
type World struct {
	T     testing.TB
	DB    *gorm.DB
	Ctx   context.Context
	Clock *clock.Fixed
	App   *app.App
	// Admin is a platform administrator of its own agency, who may act anywhere.
	Admin access.Actor
}

// New builds the services over gdb with the clock at Start.
func New(t testing.TB, gdb *gorm.DB) *World {
	t.Helper()
	return NewAt(t, gdb, Start)
}

// NewAt builds the services over gdb with the clock at now.
func NewAt(t testing.TB, gdb *gorm.DB, now time.Time) *World {
	t.Helper()
	return build(t, gdb, now, true)
}

// NewQuietAt builds the services like NewAt, except that people are created
// without the e-mailed invitation to choose a password, for tests that
// count every notification.
func NewQuietAt(t testing.TB, gdb *gorm.DB, now time.Time) *World {
	t.Helper()
	return build(t, gdb, now, false)
}

func build(t testing.TB, gdb *gorm.DB, now time.Time, invite bool) *World {
	t.Helper()
	cfg, err := config.LoadFrom(nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.BaseURL = "https://muster.example"
	clk := clock.NewFixed(now)
	a, err := app.New(cfg, gdb, clk, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Certify.Close() })
	if !invite {
		a.Identity.Outbox = nil
	}
	w := &World{T: t, DB: gdb, Ctx: context.Background(), Clock: clk, App: a}
	w.Admin = w.Person(w.Agency("SEC", "IR"), "Platform Admin", access.Admin)
	return w
}

// unique numbers names, codes and addresses so builders never collide.
var unique atomic.Int64

func next() int64 { return unique.Add(1) }

// must fails the test when a builder's service call fails.
func (w *World) must(what string, err error) {
	w.T.Helper()
	if err != nil {
		w.T.Fatalf("testworld: %s: %v", what, err)
	}
}

// Date parses a YYYY-MM-DD day, failing the test when it is malformed.
func (w *World) Date(s string) time.Time {
	w.T.Helper()
	t, err := time.Parse(time.DateOnly, s)
	w.must("date "+s, err)
	return t
}

// At moves the clock to the given instant, RFC 3339 or a day (09:00 UTC).
func (w *World) At(s string) {
	w.T.Helper()
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		w.Clock.Set(t)
		return
	}
	w.Clock.Set(w.Date(s).Add(9 * time.Hour))
}

func short(prefix string, n int64) string { return fmt.Sprintf("%s%d", strings.ToUpper(prefix), n) }
