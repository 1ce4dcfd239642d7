package testworld

import (
	"time"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/certify"
	"muster/internal/cohort"
	"muster/internal/enrollment"
)

// Certificates has the trainees earn certificates of course as certify
// issues them: a one-day cohort on the day issued, scheduled by coord three
// days before, in which they enroll, attend its session and pass, completed
// by coord that day. It returns the numbers in the trainees' order and puts
// the clock back where it stood.
func (w *World) Certificates(coord access.Actor, course *catalog.Course, issued time.Time, trainees ...access.Actor) []string {
	w.T.Helper()
	return w.CertificatesIn(coord, Plan{Course: course}, issued, trainees...)
}

// CertificatesIn is Certificates in a cohort planned as p (its course,
// zone, venue), on the day issued.
func (w *World) CertificatesIn(coord access.Actor, p Plan, issued time.Time, trainees ...access.Actor) []string {
	w.T.Helper()
	back := w.Clock.Now()
	defer w.Clock.Set(back)
	w.Clock.Set(issued.AddDate(0, 0, -3).Add(9 * time.Hour))
	day := issued.Format(time.DateOnly)
	p.StartsOn, p.EndsOn, p.Capacity = day, day, max(len(trainees), 1)
	c := w.Cohort(coord, p)
	ses := w.Sessions(coord, c, 1)[0]
	rows := make([]*enrollment.Row, len(trainees))
	for i, tr := range trainees {
		if rows[i] = w.Enroll(tr, c); rows[i].Status != enrollment.StatusEnrolled {
			w.T.Fatalf("testworld: %s got %s, not a seat", tr.Name, rows[i].Status)
		}
	}
	w.Clock.Set(issued.Add(9 * time.Hour))
	w.Attend(coord, ses, certify.AttendancePresent, rows...)
	for _, r := range rows {
		w.Score(coord, r.ID, 100)
	}
	plan := w.Complete(coord, c)
	numbers := map[string]string{}
	for _, o := range plan.Outcomes {
		numbers[o.EnrollmentID] = o.Certificate
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		if out[i] = numbers[r.ID]; out[i] == "" {
			w.T.Fatalf("testworld: no certificate for %s", trainees[i].Name)
		}
	}
	return out
}

// Attend marks the enrollments at a session as actor (an instructor of it
// or the host's coordinator) with status: present, late, absent or excused.
func (w *World) Attend(actor access.Actor, s *cohort.Session, status string, rows ...*enrollment.Row) {
	w.T.Helper()
	if len(rows) == 0 {
		return
	}
	in := certify.AttendanceInput{}
	for _, r := range rows {
		in.Records = append(in.Records, certify.AttendanceRecord{EnrollmentID: r.ID, Status: status})
	}
	_, err := w.App.Certify.RecordAttendance(w.Ctx, actor, s.ID, in)
	w.must("attendance", err)
}

// Score records a seated trainee's result as actor.
func (w *World) Score(actor access.Actor, enrollmentID string, score int) {
	w.T.Helper()
	_, err := w.App.Certify.RecordResult(w.Ctx, actor, enrollmentID, certify.ResultInput{Score: &score})
	w.must("result", err)
}

// Complete completes a cohort as coord on the clock's day, which judges
// its trainees and issues their certificates.
func (w *World) Complete(coord access.Actor, c *cohort.Cohort) *certify.Plan {
	w.T.Helper()
	p, err := w.App.Certify.Complete(w.Ctx, coord, c.ID)
	w.must("complete "+c.Code, err)
	return p
}

// Revoke revokes a certificate as actor, the issuing host's coordinator or an admin.
func (w *World) Revoke(actor access.Actor, number, reason string) {
	w.T.Helper()
	_, err := w.App.Certify.Revoke(w.Ctx, actor, number, certify.RevokeInput{Reason: reason})
	w.must("revoke "+number, err)
}
