package audit_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/db"
	"muster/internal/db/dbtest"
)

var (
	base  = time.Date(2026, 11, 1, 10, 0, 0, 123456789, time.UTC)
	alice = access.Actor{UserID: "01930000-0000-7000-8000-000000000001", Name: "Ali", IP: "192.0.2.1"}
)

// record writes n events, one a day from day, each in its own transaction,
// and returns their ids. Details mix what jsonb respells: key order, HTML
// characters, exponents and decimals.
func record(t *testing.T, gdb *gorm.DB, day time.Time, n int) []int64 {
	t.Helper()
	var ids []int64
	for i := range n {
		e := audit.Entry{Action: "user.update", SubjectType: "user", SubjectID: fmt.Sprint("u", i), AgencyID: "01930000-0000-7000-8000-00000000000A",
			Details: map[string]any{"zeta": i, "alpha": "<b>&", "big": 1e21, "small": 1e-7, "pi": 3.25, "list": []any{true, nil, "ы"}}}
		err := db.Tx(context.Background(), gdb, nil, func(tx *gorm.DB) error {
			return audit.Record(tx, day.Add(time.Duration(i)*24*time.Hour), alice, e)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	gdb.Model(&audit.Event{}).Order("id DESC").Limit(n).Pluck("id", &ids)
	return ids
}

func verify(t *testing.T, gdb *gorm.DB) audit.Report {
	t.Helper()
	r, err := (&audit.Service{DB: gdb}).Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// tamper runs statements past the append-only guard as an intruder with the
// database's own privileges would: PostgreSQL's superuser switches triggers
// off for the session, SQLite's file owner drops them.
func tamper(t *testing.T, gdb *gorm.DB, stmts ...string) {
	t.Helper()
	err := gdb.Connection(func(conn *gorm.DB) error {
		if db.Dialect(conn) == db.Postgres {
			stmts = append([]string{"SET session_replication_role = replica"}, append(stmts, "SET session_replication_role = origin")...)
		} else {
			stmts = append([]string{"DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete", "DROP TRIGGER audit_chain_no_delete"}, stmts...)
		}
		for _, s := range stmts {
			if err := conn.Exec(s).Error; err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestChainIntactThenTamperedRowNamed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		ids := record(t, gdb, base, 5)
		r := verify(t, gdb)
		if r.Break != nil || r.Links != 5 || r.HeadSeq != 5 || len(r.HeadHash) != 32 {
			t.Fatalf("fresh chain: %+v", r)
		}
		victim := ids[2]
		tamper(t, gdb, fmt.Sprintf("UPDATE audit_events SET actor_name = 'Someone else' WHERE id = %d", victim))
		r = verify(t, gdb)
		if r.Break == nil || r.Break.EventID != victim || !strings.Contains(r.Break.Problem, "fields were changed") {
			t.Fatalf("tampered event %d: %+v", victim, r.Break)
		}
	})
}

func TestChainNamesDeletionsAndForgedHashes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		stmts func(ids []int64) []string
		want  string
		seq   int64
	}{
		{"event deleted", func(ids []int64) []string {
			return []string{fmt.Sprintf("DELETE FROM audit_events WHERE id = %d", ids[1])}
		}, "event was deleted", 2},
		{"event and link deleted", func(ids []int64) []string {
			return []string{fmt.Sprintf("DELETE FROM audit_events WHERE id = %d", ids[1]), "DELETE FROM audit_chain WHERE seq = 2"}
		}, "seq 2 is missing", 2},
		{"content hash replaced", func(ids []int64) []string {
			return []string{fmt.Sprintf("UPDATE audit_events SET content_hash = (SELECT content_hash FROM audit_events WHERE id = %d) WHERE id = %d", ids[0], ids[3])}
		}, "fields were changed", 4},
		{"latest events deleted", func(ids []int64) []string {
			return []string{fmt.Sprintf("DELETE FROM audit_events WHERE id = %d", ids[4]), "DELETE FROM audit_chain WHERE seq = 5"}
		}, "latest events were deleted", 5},
		{"oldest events deleted", func(ids []int64) []string {
			return []string{fmt.Sprintf("DELETE FROM audit_events WHERE id = %d", ids[0]), "DELETE FROM audit_chain WHERE seq = 1"}
		}, "no audit.archive event accounts", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
				ids := record(t, gdb, base, 5)
				for i, j := 0, len(ids)-1; i < j; i, j = i+1, j-1 {
					ids[i], ids[j] = ids[j], ids[i] // oldest first, as sealed
				}
				tamper(t, gdb, tc.stmts(ids)...)
				r := verify(t, gdb)
				if r.Break == nil || r.Break.Seq != tc.seq || !strings.Contains(r.Break.Problem, tc.want) {
					t.Fatalf("want seq %d %q, got %+v", tc.seq, tc.want, r.Break)
				}
			})
		})
	}
}

// TestChainGuards: the application's own connection can neither change nor
// remove an event, a link or the head.
func TestChainGuards(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		ids := record(t, gdb, base, 2)
		for _, stmt := range []string{
			fmt.Sprintf("UPDATE audit_events SET action = 'x' WHERE id = %d", ids[0]),
			fmt.Sprintf("DELETE FROM audit_events WHERE id = %d", ids[0]),
			"UPDATE audit_chain SET hash = prev_hash",
			"DELETE FROM audit_chain",
			"DELETE FROM audit_chain_head",
		} {
			if err := gdb.Exec(stmt).Error; err == nil || !strings.Contains(err.Error(), "append-only") && !strings.Contains(err.Error(), "never deleted") {
				t.Errorf("%s: %v", stmt, err)
			}
		}
		if db.Dialect(gdb) == db.Postgres {
			for _, stmt := range []string{"TRUNCATE audit_events", "TRUNCATE audit_chain", "UPDATE audit_chain_head SET seq = 0"} {
				if err := gdb.Exec(stmt).Error; err == nil || !strings.Contains(err.Error(), "append-only") {
					t.Errorf("%s: %v", stmt, err)
				}
			}
		}
		if r := verify(t, gdb); r.Break != nil || r.Links != 2 {
			t.Fatalf("after refused changes: %+v", r)
		}
	})
}

// TestArchive exports the oldest events, removes them with their links and
// leaves a chain that still verifies from the audit.archive event.
func TestArchive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		ctx := context.Background()
		record(t, gdb, base, 5) // Nov 1 to Nov 5
		svc := &audit.Service{DB: gdb}
		var file bytes.Buffer
		synced := false
		d, err := svc.Archive(ctx, access.System(), time.Date(2026, 11, 4, 0, 0, 0, 0, time.UTC), &file, func() error { synced = true; return nil })
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(file.String()), "\n")
		if d.Events != 3 || d.ThroughSeq != 3 || len(lines) != 3 || !synced || !strings.Contains(lines[0], `"Seq":1`) {
			t.Fatalf("archive %+v, synced %v, file:\n%s", d, synced, file.String())
		}
		var left int64
		gdb.Model(&audit.Event{}).Where("action = ?", "user.update").Count(&left)
		if left != 2 {
			t.Fatalf("%d events left, want 2", left)
		}
		r := verify(t, gdb)
		if r.Break != nil || r.FirstSeq != 4 || r.ArchivedTo != 3 || r.Links != 3 { // two left and the archive event
			t.Fatalf("after archive: %+v %v", r, r.Break)
		}
		// Archiving again before the same day finds nothing and records nothing.
		file.Reset()
		if d, err := svc.Archive(ctx, access.System(), time.Date(2026, 11, 4, 0, 0, 0, 0, time.UTC), &file, func() error { return nil }); err != nil || d.Events != 0 || file.Len() != 0 {
			t.Fatalf("second archive: %+v %v", d, err)
		}
		if err := gdb.Exec("DELETE FROM audit_chain").Error; err == nil {
			t.Fatal("the archive left the guard lifted")
		}
	})
}

// TestArchiveRefusesBrokenTrail keeps the evidence of tampering.
func TestArchiveRefusesBrokenTrail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		ids := record(t, gdb, base, 3)
		tamper(t, gdb, fmt.Sprintf("UPDATE audit_events SET ip = '198.51.100.7' WHERE id = %d", ids[0]))
		var file bytes.Buffer
		_, err := (&audit.Service{DB: gdb}).Archive(context.Background(), access.System(), base.AddDate(1, 0, 0), &file, func() error { return nil })
		if err == nil || !strings.Contains(err.Error(), "broken") || file.Len() != 0 {
			t.Fatalf("archived a broken trail: %v", err)
		}
	})
}

// TestChainUnderConcurrentProcesses: several pools on one database (as
// several muster processes), many writers each, some transactions with two
// events and some rolled back; the chain holds every committed event once.
func TestChainUnderConcurrentProcesses(t *testing.T) {
	for _, tc := range []struct {
		name string
		url  func(testing.TB) string
	}{{"sqlite", dbtest.SQLiteURL}, {"postgres", dbtest.PostgresURL}} {
		t.Run(tc.name, func(t *testing.T) {
			url := tc.url(t)
			pools := []*gorm.DB{dbtest.Open(t, url), dbtest.Open(t, url), dbtest.Open(t, url)}
			const writers, each = 12, 10
			errs := make(chan error, writers*each)
			var wg sync.WaitGroup
			for w := range writers {
				wg.Go(func() {
					for i := range each {
						errs <- db.Tx(context.Background(), pools[w%len(pools)], nil, func(tx *gorm.DB) error {
							e := audit.Entry{Action: "enrollment.approve", SubjectType: "enrollment", SubjectID: fmt.Sprint(w, "-", i)}
							if err := audit.Record(tx, base, alice, e); err != nil {
								return err
							}
							if i%3 == 0 {
								if err := audit.Record(tx, base, alice, e); err != nil {
									return err
								}
							}
							if i%4 == 1 {
								return errRollback
							}
							return nil
						})
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil && err != errRollback {
					t.Fatal(err)
				}
			}
			var events int64
			pools[0].Model(&audit.Event{}).Count(&events)
			r := verify(t, pools[1])
			if r.Break != nil || r.Links != events || r.HeadSeq != events || events == 0 {
				t.Fatalf("%d events, report %+v %v", events, r, r.Break)
			}
		})
	}
}

var errRollback = fmt.Errorf("roll back")
