package notify_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/clock"
	"muster/internal/cohort"
	"muster/internal/enrollment"
	"muster/internal/i18n"
	"muster/internal/identity"
	"muster/internal/jobs"
	"muster/internal/notify"
	"muster/internal/testworld"
)

// world is a database with one agency, its coordinator and a published
// course, built through testworld's services with a clock stopped on
// 1 March 2026, enrollment and the schedule wired to the test's outbox.
type world struct {
	t      *testing.T
	ctx    context.Context
	gdb    *gorm.DB
	clock  *clock.Fixed
	tw     *testworld.World
	enroll *enrollment.Service
	agency string
	coord  access.Actor
	course *catalog.Course
	box    *notify.Outbox // the outbox of enrollment and the schedule, inserting into queue
	send   *notify.Sender // mail off until a test gives it a Mailer
	queue  *jobs.Queue    // works send's jobs once a test starts it
	remind *notify.Reminders
}

var catalogs = i18n.MustLoad()

// quiet drops the sender's logs of expected failures.
var quiet = slog.New(slog.DiscardHandler)

func newWorld(t *testing.T, gdb *gorm.DB) *world {
	t.Helper()
	tw := testworld.NewQuietAt(t, gdb, time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	clk := tw.Clock
	w := &world{t: t, ctx: tw.Ctx, gdb: gdb, clock: clk, tw: tw, enroll: tw.App.Enroll}
	// The tests count and send what enrollment and the schedule queue, so
	// both tell this outbox, whose jobs the test's queue works.
	w.box = &notify.Outbox{Clock: clk}
	tw.App.Enroll.Notifier = notify.Enrollments{Outbox: w.box}
	tw.App.Cohorts.Schedule = notify.ScheduleChanges{Outbox: w.box}
	w.send = w.sender(nil)
	w.remind = &notify.Reminders{DB: gdb, Clock: clk, Outbox: w.box}
	w.queue = newQueue(t, gdb, clk, w.send, w.remind)
	w.box.Jobs, w.remind.Jobs = w.queue, w.queue
	w.agency = w.addAgency("")
	w.coord = w.person("en", "Coordinator", access.Coordinator)
	w.course = tw.Course(w.coord, testworld.Standard{PassMark: 70, MinAttendancePercent: 80, ValidityMonths: 12})
	return w
}

// addAgency adds an agency whose people read times in zone ("" for none) and returns its id.
func (w *world) addAgency(zone string) string {
	w.t.Helper()
	id := w.tw.Agency("DCA", "TJ")
	if zone != "" {
		w.tw.AgencyZone(id, zone)
	}
	return id
}

// agencyZone sets the time zone agency's people read times in.
func (w *world) agencyZone(agency, zone string) {
	w.t.Helper()
	w.tw.AgencyZone(agency, zone)
}

// userZone gives a person a time zone of their own.
func (w *world) userZone(a access.Actor, zone string) {
	w.t.Helper()
	w.tw.UpdateUser(a.UserID, identity.UserPatch{TimeZone: &zone})
}

// person adds a user of the agency who reads lang, with roles (a trainee by default).
func (w *world) person(lang, name string, roles ...string) access.Actor {
	w.t.Helper()
	return w.personIn(w.agency, lang, name, roles...)
}

// personIn adds a user of agency who reads lang, with roles (a trainee by default).
func (w *world) personIn(agency, lang, name string, roles ...string) access.Actor {
	w.t.Helper()
	return w.tw.Reader(agency, lang, name, roles...)
}

// disable disables or enables actor's account through the identity service.
func (w *world) disable(a access.Actor, disabled bool) {
	w.t.Helper()
	w.tw.UpdateUser(a.UserID, identity.UserPatch{Disabled: &disabled})
}

// email is the address of actor's user.
func (w *world) email(a access.Actor) string {
	w.t.Helper()
	var u identity.User
	if err := w.gdb.Where("id = ?", a.UserID).Take(&u).Error; err != nil {
		w.t.Fatal(err)
	}
	return u.Email
}

// cohort adds an open cohort of the course with capacity seats, from 22 to 26 March.
func (w *world) cohort(capacity int, requiresApproval bool) *cohort.Cohort {
	w.t.Helper()
	return w.cohortFrom("2026-03-22", capacity, requiresApproval)
}

// cohortFrom adds an open cohort of the course with capacity seats, five
// days from startsOn in Dushanbe's zone, open for enrollment from the
// clock's instant to half a day before it starts.
func (w *world) cohortFrom(startsOn string, capacity int, requiresApproval bool) *cohort.Cohort {
	w.t.Helper()
	start := w.tw.Date(startsOn)
	return w.tw.Cohort(w.coord, testworld.Plan{Course: w.course, StartsOn: startsOn, EndsOn: start.AddDate(0, 0, 4).Format(time.DateOnly),
		ClosesAt: start.Add(-12 * time.Hour).Format(time.RFC3339), Capacity: capacity, RequiresApproval: requiresApproval, TimeZone: "Asia/Dushanbe"})
}

// session adds a session of c from start for length, as the coordinator.
func (w *world) session(c *cohort.Cohort, start time.Time, length time.Duration, topic, room string) *cohort.Session {
	w.t.Helper()
	s, err := w.tw.App.Cohorts.AddSession(w.ctx, w.coord, c.ID, cohort.SessionInput{StartsAt: start.Format(time.RFC3339),
		EndsAt: start.Add(length).Format(time.RFC3339), Topic: topic, Room: room})
	if err != nil {
		w.t.Fatalf("session: %v", err)
	}
	return s
}

func (w *world) request(who access.Actor, c *cohort.Cohort) *enrollment.Row {
	w.t.Helper()
	r, err := w.enroll.Enroll(w.ctx, who, c.ID, enrollment.Request{})
	if err != nil {
		w.t.Fatalf("enroll %s: %v", who.Name, err)
	}
	return r
}

// outbox lists the notifications to userID, oldest first.
func (w *world) outbox(userID string) []notify.Notification {
	w.t.Helper()
	var ns []notify.Notification
	if err := w.gdb.Where("user_id = ?", userID).Order("created_at, id").Find(&ns).Error; err != nil {
		w.t.Fatal(err)
	}
	return ns
}

func (w *world) count() int64 {
	w.t.Helper()
	var n int64
	if err := w.gdb.Model(&notify.Notification{}).Count(&n).Error; err != nil {
		w.t.Fatal(err)
	}
	return n
}

// facts decodes a notification's data.
func facts(t *testing.T, n notify.Notification) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(n.Data), &m); err != nil {
		t.Fatalf("data of %s: %v", n.ID, err)
	}
	return m
}

// sender is a sender on the world's database and clock through m.
func (w *world) sender(m notify.Mailer) *notify.Sender {
	return &notify.Sender{DB: w.gdb, Clock: w.clock, Mailer: m, Messages: catalogs, Logger: quiet, BaseURL: "https://muster.example", Organizer: "noreply@muster.example"}
}

// newQueue is a job queue client over gdb working notify's jobs through s
// and r, polling often; it stops when the test ends.
func newQueue(t *testing.T, gdb *gorm.DB, clk clock.Clock, s *notify.Sender, r *notify.Reminders) *jobs.Queue {
	t.Helper()
	ws := river.NewWorkers()
	notify.AddWorkers(ws, s, r)
	q, err := jobs.New(gdb, clk, jobs.Config{Workers: ws, Logger: quiet, Poll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
	})
	return q
}

// start lets the world's queue work its jobs with mail going through m.
func (w *world) start(m notify.Mailer) {
	w.t.Helper()
	w.send.Mailer = m
	if err := w.queue.Start(w.ctx); err != nil {
		w.t.Fatal(err)
	}
}

// waitFor waits until mb has received n messages, for at most 20 seconds.
func waitFor(t *testing.T, mb *notify.Mailbox, n int) []notify.Delivery {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for len(mb.Messages()) < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	got := mb.Messages()
	if len(got) < n {
		t.Fatalf("server received %d messages, want %d", len(got), n)
	}
	return got
}
