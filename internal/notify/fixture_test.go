package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
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
)

// world is a database with one agency, its coordinator, a published course
// and enrollment wired to the outbox, with a clock stopped on 1 March 2026.
type world struct {
	t      *testing.T
	ctx    context.Context
	gdb    *gorm.DB
	clock  *clock.Fixed
	enroll *enrollment.Service
	agency string
	coord  access.Actor
	course *catalog.Course
	box    *notify.Outbox // the enrollment service's outbox, inserting into queue
	send   *notify.Sender // mail off until a test gives it a Mailer
	queue  *jobs.Queue    // works send's jobs once a test starts it
	remind *notify.Reminders
}

var serial atomic.Int64

var catalogs = i18n.MustLoad()

// quiet drops the sender's logs of expected failures.
var quiet = slog.New(slog.DiscardHandler)

func newWorld(t *testing.T, gdb *gorm.DB) *world {
	t.Helper()
	clk := clock.NewFixed(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	w := &world{t: t, ctx: context.Background(), gdb: gdb, clock: clk}
	w.box = &notify.Outbox{Clock: clk}
	w.enroll = &enrollment.Service{DB: gdb, Clock: clk, Notifier: notify.Enrollments{Outbox: w.box}}
	w.send = w.sender(nil)
	w.remind = &notify.Reminders{DB: gdb, Clock: clk, Outbox: w.box}
	w.queue = newQueue(t, gdb, clk, w.send, w.remind)
	w.box.Jobs, w.remind.Jobs = w.queue, w.queue
	now := clk.Now()
	w.agency = w.addAgency("")
	w.coord = w.person("en", "Coordinator", access.Coordinator)
	w.course = &catalog.Course{ID: uuid.NewString(), Code: fmt.Sprintf("CN-%d", 1000+serial.Add(1)%9000), OwnerAgencyID: w.agency,
		Title: "Counter-narcotics field work", Discipline: "counter_narcotics", Level: "basic", Delivery: "in_person",
		DurationHours: 40, Status: catalog.StatusPublished, CreatedAt: now, UpdatedAt: now}
	if err := gdb.Create(w.course).Error; err != nil {
		t.Fatalf("course: %v", err)
	}
	return w
}

// addAgency adds an agency whose people read times in zone ("" for none) and returns its id.
func (w *world) addAgency(zone string) string {
	w.t.Helper()
	now := w.clock.Now()
	ag := identity.Agency{ID: uuid.NewString(), Name: "Drug Control Agency", ShortName: fmt.Sprintf("DCA-%d", serial.Add(1)),
		Country: "TJ", Kind: "drug_control", TimeZone: zone, CreatedAt: now, UpdatedAt: now}
	if err := w.gdb.Create(&ag).Error; err != nil {
		w.t.Fatalf("agency: %v", err)
	}
	return ag.ID
}

// setZone gives a person a time zone of their own, or an agency its people's, by table.
func (w *world) setZone(table, id, zone string) {
	w.t.Helper()
	if err := w.gdb.Table(table).Where("id = ?", id).Update("time_zone", zone).Error; err != nil {
		w.t.Fatal(err)
	}
}

// person adds a user of the agency who reads lang, with roles (a trainee by default).
func (w *world) person(lang, name string, roles ...string) access.Actor {
	w.t.Helper()
	return w.personIn(w.agency, lang, name, roles...)
}

// personIn adds a user of agency who reads lang, with roles (a trainee by default).
func (w *world) personIn(agency, lang, name string, roles ...string) access.Actor {
	w.t.Helper()
	if len(roles) == 0 {
		roles = []string{access.Trainee}
	}
	n := serial.Add(1)
	now := w.clock.Now()
	u := identity.User{ID: uuid.NewString(), AgencyID: agency, Email: fmt.Sprintf("person%d@agency.example", n), FullName: name,
		ServiceNumber: fmt.Sprintf("SN-%d", n), Language: lang, CreatedAt: now, UpdatedAt: now}
	u.EmailKey = u.Email
	for _, r := range roles {
		u.Roles = append(u.Roles, identity.UserRole{UserID: u.ID, Role: r})
	}
	if err := w.gdb.Omit("Agency").Create(&u).Error; err != nil {
		w.t.Fatalf("user: %v", err)
	}
	return u.Actor("192.0.2.1")
}

// disable disables or enables actor's account through the identity service.
func (w *world) disable(a access.Actor, disabled bool) {
	w.t.Helper()
	users := &identity.Service{DB: w.gdb, Clock: w.clock}
	if _, err := users.UpdateUser(w.ctx, access.System(), a.UserID, identity.UserPatch{Disabled: &disabled}); err != nil {
		w.t.Fatalf("disabled %v: %v", disabled, err)
	}
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

// cohort adds an open cohort of the course with capacity seats, starting on 22 March.
func (w *world) cohort(capacity int, requiresApproval bool) *cohort.Cohort {
	w.t.Helper()
	now := w.clock.Now()
	start := time.Date(2026, 3, 22, 0, 0, 0, 0, time.UTC)
	c := &cohort.Cohort{ID: uuid.NewString(), Code: fmt.Sprintf("CN-DYU-%d", serial.Add(1)), CourseID: w.course.ID, HostAgencyID: w.agency,
		Language: "ru", StartsOn: start, EndsOn: start.AddDate(0, 0, 4), TimeZone: "Asia/Dushanbe", Capacity: capacity,
		EnrollmentOpensAt: now.Add(-time.Hour), EnrollmentClosesAt: now.Add(10 * 24 * time.Hour), RequiresApproval: requiresApproval,
		Status: cohort.StatusOpen, CreatedAt: now, UpdatedAt: now}
	if err := w.gdb.Create(c).Error; err != nil {
		w.t.Fatalf("cohort: %v", err)
	}
	return c
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
