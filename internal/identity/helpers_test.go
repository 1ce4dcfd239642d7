package identity

import (
	"context"
	"os"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/clock"
	"muster/internal/paging"
)

var ctx = context.Background()

// TestMain makes argon2id cheap for these tests: they hash and verify
// hundreds of passwords, and the cost parameters are tested on their own.
func TestMain(m *testing.M) {
	hashParams.Memory, hashParams.Time = 8*1024, 1
	os.Exit(m.Run())
}

const testPassword = "correct horse battery"

type fixture struct {
	svc   *Service
	clk   *clock.Fixed
	ir    *Agency
	tj    *Agency
	admin *User
}

func newFixture(t *testing.T, gdb *gorm.DB) *fixture {
	t.Helper()
	clk := clock.NewFixed(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	f := &fixture{svc: NewService(gdb, clk), clk: clk}
	f.ir = f.agency(t, "IR-ANP", "IR")
	f.tj = f.agency(t, "TJ-DCA", "TJ")
	f.admin = f.user(t, f.ir, "admin@example.ir", access.Admin)
	return f
}

func (f *fixture) agency(t *testing.T, short, country string) *Agency {
	t.Helper()
	a, err := f.svc.CreateAgency(ctx, access.System(), AgencyInput{Name: short + " agency", ShortName: short, Country: country, Kind: "police"})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// user creates an active user with testPassword who need not change it.
func (f *fixture) user(t *testing.T, a *Agency, email string, roles ...string) *User {
	t.Helper()
	cu, err := f.svc.Bootstrap(ctx, UserInput{Email: email, FullName: "Name " + email, AgencyID: a.ID, Roles: roles, Password: testPassword})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	u, err := f.svc.UserByID(ctx, cu.ID)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (f *fixture) actor(u *User) access.Actor { return u.Actor("192.0.2.1") }

// auditCount counts audit events with action about subject ("" for any).
func auditCount(t *testing.T, gdb *gorm.DB, action, subject string) int64 {
	t.Helper()
	q := gdb.Model(&audit.Event{}).Where("action = ?", action)
	if subject != "" {
		q = q.Where("subject_id = ?", subject)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func pageParams(page, per int) paging.Params { return paging.Params{Page: page, PerPage: per} }

// verified is actor after a second factor.
func verified(a access.Actor) access.Actor {
	a.SecondFactor = true
	return a
}

// countRows counts rows of model matching where.
func countRows(t *testing.T, gdb *gorm.DB, model any, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := gdb.Model(model).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
