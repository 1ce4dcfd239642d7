package notify_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/db/dbtest"
	"muster/internal/jobs"
	"muster/internal/notify"
)

// TestDigestArrivesInEachCoordinatorsMorning: two coordinators, one in
// Tehran (their agency's zone) and one in Dushanbe (their own), each with a
// request waiting. Two processes, each with its own queue client and
// mailer, scan for mornings at every step of the injected clock; the SMTP
// server receives each coordinator's digest once, after 07:00 in their own
// zone and not before, and the next one the next local morning.
func TestDigestArrivesInEachCoordinatorsMorning(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		w.agencyZone(w.agency, "Asia/Tehran")
		tehran := w.coord
		other := w.addAgency("")
		dushanbe := w.personIn(other, "ru", "Dushanbe Coordinator", access.Coordinator)
		w.userZone(dushanbe, "Asia/Dushanbe")
		approval := w.cohort(5, true)
		w.request(w.person("fa", "Waiting Here"), approval)
		w.request(w.personIn(other, "tg", "Waiting There"), approval)

		mb := notify.StartMailbox(t, false, "")
		w.start(mb.Mailer(t, notify.TLSNone))
		second := &notify.Reminders{DB: gdb, Clock: w.clock, Outbox: &notify.Outbox{Clock: w.clock}}
		send := w.sender(mb.Mailer(t, notify.TLSNone))
		q := newQueue(t, gdb, w.clock, send, second)
		second.Jobs, second.Outbox.Jobs = q, q
		if err := q.Start(w.ctx); err != nil {
			t.Fatal(err)
		}
		processes := []*jobs.Queue{w.queue, q}
		to := map[string]string{w.email(tehran): "Tehran", w.email(dushanbe): "Dushanbe"}

		// 01:45 UTC is 05:15 in Tehran and 06:45 in Dushanbe; 02:00 is 07:00
		// in Dushanbe; 03:30 is 07:00 in Tehran.
		for _, step := range []struct {
			at   string
			want []string // the digests received so far, by coordinator
		}{
			{"2026-03-02T01:45:00Z", nil},
			{"2026-03-02T01:59:59Z", nil},
			{"2026-03-02T02:00:00Z", []string{"Dushanbe"}},
			{"2026-03-02T02:15:00Z", []string{"Dushanbe"}},
			{"2026-03-02T03:29:59Z", []string{"Dushanbe"}},
			{"2026-03-02T03:30:00Z", []string{"Dushanbe", "Tehran"}},
			{"2026-03-02T19:00:00Z", []string{"Dushanbe", "Tehran"}},
			{"2026-03-03T01:45:00Z", []string{"Dushanbe", "Tehran"}},
			{"2026-03-03T02:00:00Z", []string{"Dushanbe", "Dushanbe", "Tehran"}},
		} {
			at, err := time.Parse(time.RFC3339, step.at)
			if err != nil {
				t.Fatal(err)
			}
			w.clock.Set(at)
			// Each process's leader offers the scan; both are worked.
			for range 2 {
				for _, p := range processes {
					scan(t, w.ctx, gdb, p)
				}
			}
			settle(t, gdb)
			var got []string
			for _, d := range mb.Messages() {
				if who, ok := to[d.To[0]]; ok {
					got = append(got, who)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, step.want) {
				t.Fatalf("at %s the coordinators received digests %v, want %v", step.at, got, step.want)
			}
		}
		digests := w.outbox(dushanbe.UserID)
		if n := len(digests); n == 0 || facts(t, digests[0])["count"] != 1.0 {
			t.Fatalf("Dushanbe's digests: %+v", digests)
		}
		msg, err := notify.Compose(catalogs, "https://muster.example", digests[0], notify.Recipient{FullName: "C", Language: "en"})
		if err != nil || msg.Subject != "Requests waiting for your approval: 1" {
			t.Errorf("digest: %v %q", err, msg.Subject)
		}
	})
}

// TestDigestIsNotSentTwiceADay: a day's digest job queued again, as after
// the first was pruned, sends nothing more; a coordinator who turned the
// digest off gets none.
func TestDigestIsNotSentTwiceADay(t *testing.T) {
	gdb := dbtest.SQLite(t)
	w := newWorld(t, gdb)
	w.request(w.person("fa", "Waiting"), w.cohort(5, true))
	quiet := w.person("en", "Quiet Coordinator", access.Coordinator)
	if err := gdb.Create(&notify.OptOut{UserID: quiet.UserID, Kind: notify.KindApprovalsWaiting, CreatedAt: w.clock.Now()}).Error; err != nil {
		t.Fatal(err)
	}
	for range 2 {
		for _, who := range []access.Actor{w.coord, quiet} {
			if err := w.remind.Digest(w.ctx, notify.DigestArgs{UserID: who.UserID, Day: "2026-03-01"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := len(w.outbox(w.coord.UserID)); n != 1 {
		t.Errorf("coordinator got %d digests, want 1", n)
	}
	if n := len(w.outbox(quiet.UserID)); n != 0 {
		t.Errorf("coordinator who turned digests off got %d", n)
	}
}

// scan inserts the morning scan through p, as its leader does every quarter hour.
func scan(t *testing.T, ctx context.Context, gdb *gorm.DB, p *jobs.Queue) {
	t.Helper()
	err := gdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return p.Insert(tx, notify.DigestScanArgs{}, nil) })
	if err != nil {
		t.Fatal(err)
	}
}

// settle waits until the queue has no job due left to work and the outbox
// nothing left to send, for at most 20 seconds.
func settle(t *testing.T, gdb *gorm.DB) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var due, unsent int64
		if err := gdb.Table("river_job").Where("state IN ?", []string{"available", "running", "retryable", "pending"}).Count(&due).Error; err != nil {
			t.Fatal(err)
		}
		if err := gdb.Model(&notify.Notification{}).Where("sent_at IS NULL AND next_attempt_at IS NOT NULL").Count(&unsent).Error; err != nil {
			t.Fatal(err)
		}
		if due == 0 && unsent == 0 {
			return
		}
		if time.Now().After(deadline) {
			var rows []map[string]any
			gdb.Table("river_job").Select("kind, state, scheduled_at, attempt, errors").Find(&rows)
			t.Logf("%v", rows)
			t.Fatalf("%d jobs still due and %d e-mails unsent", due, unsent)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
