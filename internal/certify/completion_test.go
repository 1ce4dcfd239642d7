package certify_test

import (
	"regexp"
	"slices"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/certify"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/enrollment"
	"muster/internal/identity"
)

func TestCompleteJudgesIssuesAndCloses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		course := w.course(70, 80, 24)
		c, sessions := w.cohort(course, cohort.StatusInProgress, 5)
		_, atBoth := w.trainee(c, w.host, "A at both thresholds")     // 4/5 = 80 %, score 70
		_, above := w.trainee(c, w.guest, "B above")                  // 5/5, 100
		_, lowAttendance := w.trainee(c, w.guest, "C low attendance") // 3/5 (late counts, excused does not)
		_, lowScore := w.trainee(c, w.host, "D low score")            // 5/5, 69
		_, unassessed := w.trainee(c, w.host, "E no score")           // 5/5, none
		pending := w.enroll(c, w.user(w.guest, "F pending", access.Trainee), enrollment.StatusPending)
		waiting := w.enroll(c, w.user(w.guest, "G waitlisted", access.Trainee), enrollment.StatusWaitlisted)
		withdrawn := w.enroll(c, w.user(w.guest, "H withdrawn", access.Trainee), enrollment.StatusWithdrawn)
		for i, s := range sessions {
			if i < 4 {
				w.mark(s, atBoth, certify.AttendancePresent)
			}
			w.mark(s, above, certify.AttendancePresent)
			switch {
			case i < 2:
				w.mark(s, lowAttendance, certify.AttendanceLate)
			case i == 2:
				w.mark(s, lowAttendance, certify.AttendancePresent)
			default:
				w.mark(s, lowAttendance, certify.AttendanceExcused)
			}
			w.mark(s, lowScore, certify.AttendancePresent)
			w.mark(s, unassessed, certify.AttendanceLate)
		}
		w.score(atBoth, 70)
		w.score(above, 100)
		w.score(lowAttendance, 90)
		w.score(lowScore, 69)

		// The preview changes nothing and says who passes and why others fail.
		p, err := w.svc.Preview(ctx(), w.coord, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Completable || p.Passing != 2 || p.Failing != 3 || len(p.Cancelled) != 2 {
			t.Fatalf("preview: completable=%v passing=%d failing=%d cancelled=%d", p.Completable, p.Passing, p.Failing, len(p.Cancelled))
		}
		reasons := map[string][]string{}
		for _, o := range p.Outcomes {
			reasons[o.Name] = o.Reasons
		}
		if !slices.Equal(reasons["C low attendance"], []string{certify.ReasonAttendance}) ||
			!slices.Equal(reasons["D low score"], []string{certify.ReasonScore}) ||
			!slices.Equal(reasons["E no score"], []string{certify.ReasonNoScore}) {
			t.Fatalf("reasons %v", reasons)
		}
		if w.status(atBoth) != enrollment.StatusEnrolled {
			t.Fatal("the preview changed an enrollment")
		}

		done, err := w.svc.Complete(ctx(), w.coord, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !done.Completed {
			t.Fatal("plan not marked completed")
		}
		want := map[*enrollment.Enrollment]string{
			atBoth: enrollment.StatusCompleted, above: enrollment.StatusCompleted, lowAttendance: enrollment.StatusFailed,
			lowScore: enrollment.StatusFailed, unassessed: enrollment.StatusFailed, pending: enrollment.StatusCancelled,
			waiting: enrollment.StatusCancelled, withdrawn: enrollment.StatusWithdrawn,
		}
		for e, status := range want {
			if got := w.status(e); got != status {
				t.Errorf("enrollment %s: %s, want %s", e.ID, got, status)
			}
		}
		var after cohort.Cohort
		if err := gdb.Where("id = ?", c.ID).Take(&after).Error; err != nil {
			t.Fatal(err)
		}
		if after.Status != cohort.StatusCompleted || after.CompletedAt == nil {
			t.Fatalf("cohort after completion: %s %v", after.Status, after.CompletedAt)
		}

		var certs []certify.Certificate
		if err := gdb.Where("cohort_id = ?", c.ID).Order("seq").Find(&certs).Error; err != nil {
			t.Fatal(err)
		}
		if len(certs) != 2 {
			t.Fatalf("%d certificates, want 2", len(certs))
		}
		number := regexp.MustCompile(`^MUS-2026-\d{6}$`)
		for i, cert := range certs {
			if !number.MatchString(cert.Number) || cert.Seq != i+1 || cert.Year != 2026 {
				t.Errorf("certificate %d: %s seq %d", i, cert.Number, cert.Seq)
			}
			if !cert.IssuedOn.Equal(day("2026-03-10")) || cert.ExpiresOn == nil || !cert.ExpiresOn.Equal(day("2028-03-10")) {
				t.Errorf("certificate dates %v %v", cert.IssuedOn, cert.ExpiresOn)
			}
			if cert.Hours != 40 || cert.HostAgencyID != w.host || cert.HolderName == "" || len(cert.VerificationCode) < 22 {
				t.Errorf("certificate %+v", cert)
			}
		}
		if certs[0].VerificationCode == certs[1].VerificationCode {
			t.Fatal("verification codes repeat")
		}

		var events []audit.Event
		gdb.Where("action IN ?", []string{"cohort.complete", "certificate.issue"}).Find(&events)
		if len(events) != 3 {
			t.Fatalf("%d audit events, want 1 completion and 2 issues", len(events))
		}

		// A second completion is refused and changes nothing.
		_, err = w.svc.Complete(ctx(), w.coord, c.ID)
		if apperr.CodeOf(err) != certify.CodeAlreadyCompleted {
			t.Fatalf("second completion: %v", err)
		}
		var n int64
		gdb.Model(&certify.Certificate{}).Count(&n)
		if n != 2 {
			t.Fatalf("%d certificates after the refused completion", n)
		}
		// The preview of a completed cohort shows what was done.
		p, err = w.svc.Preview(ctx(), w.coord, c.ID)
		if err != nil || !p.Completed || p.Passing != 2 || p.Outcomes[0].Certificate == "" {
			t.Fatalf("preview after completion: %+v %v", p, err)
		}
	})
}

func TestCompleteWithoutSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		// No sessions: attendance is met only when the course asks for none.
		strict, _ := w.cohort(w.course(0, 50, 0), cohort.StatusInProgress, 0)
		_, e1 := w.trainee(strict, w.host, "Strict")
		lenient, _ := w.cohort(w.course(0, 0, 0), cohort.StatusInProgress, 0)
		_, e2 := w.trainee(lenient, w.host, "Lenient")
		for _, c := range []string{strict.ID, lenient.ID} {
			if _, err := w.svc.Complete(ctx(), w.admin, c); err != nil {
				t.Fatal(err)
			}
		}
		if w.status(e1) != enrollment.StatusFailed || w.status(e2) != enrollment.StatusCompleted {
			t.Fatalf("strict %s, lenient %s", w.status(e1), w.status(e2))
		}
		var cert certify.Certificate
		if err := gdb.Where("enrollment_id = ?", e2.ID).Take(&cert).Error; err != nil {
			t.Fatal(err)
		}
		if cert.ExpiresOn != nil {
			t.Fatalf("validity 0 gave expiry %v", cert.ExpiresOn)
		}
	})
}

func TestCompleteRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		course := w.course(0, 0, 12)
		draft, _ := w.cohort(course, cohort.StatusDraft, 1)
		cancelled, _ := w.cohort(course, cohort.StatusCancelled, 1)
		early, _ := w.cohort(course, cohort.StatusOpen, 0) // moved to start tomorrow, which a session on 1 March would refuse
		if _, err := w.tw.App.Cohorts.Update(ctx(), w.coord, early.ID, cohort.CohortPatch{StartsOn: ptr("2026-03-11"), EndsOn: ptr("2026-03-20")}); err != nil {
			t.Fatal(err)
		}
		started, _ := w.cohort(course, cohort.StatusOpen, 1) // open, started on 1 March
		for _, c := range []*cohort.Cohort{draft, cancelled, early} {
			if _, err := w.svc.Complete(ctx(), w.coord, c.ID); apperr.CodeOf(err) != certify.CodeNotCompletable {
				t.Errorf("cohort %s: %v, want %s", c.Status, err, certify.CodeNotCompletable)
			}
		}
		// Others than the host's coordinators and admins do not see it.
		other := w.actor(w.user(w.guest, "Guest coordinator", access.Coordinator))
		trainee := w.actor(w.user(w.host, "Host trainee", access.Trainee))
		hr := w.actor(w.user(w.host, "Host hr", access.HR))
		for _, a := range []access.Actor{other, trainee, hr, access.Anonymous("")} {
			if _, err := w.svc.Complete(ctx(), a, started.ID); apperr.CodeOf(err) != apperr.CodeNotFound {
				t.Errorf("%v: %v, want not_found", a.Roles, err)
			}
		}
		if _, err := w.svc.Complete(ctx(), w.coord, "not-an-id"); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Errorf("malformed id: %v", err)
		}
		if _, err := w.svc.Complete(ctx(), w.coord, started.ID); err != nil {
			t.Errorf("an open cohort past its first day: %v", err)
		}
	})
}

func TestCompleteRollsBackWhole(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		c, _ := w.cohort(w.course(0, 0, 12), cohort.StatusInProgress, 0)
		_, e := w.trainee(c, w.host, "One")
		// A certificate already tied to the enrollment makes issuing fail.
		other := w.certificate(w.user(w.host, "Other", access.Trainee), w.course(0, 0, 0), day("2025-01-01"), nil)
		gdb.Model(&certify.Certificate{}).Where("id = ?", other.ID).Update("enrollment_id", e.ID)
		if _, err := w.svc.Complete(ctx(), w.coord, c.ID); err == nil {
			t.Fatal("completion succeeded over a clashing certificate")
		}
		var after cohort.Cohort
		gdb.Where("id = ?", c.ID).Take(&after)
		var counter certify.Counter
		gdb.Where("year = ?", 2026).Limit(1).Find(&counter)
		if after.Status != cohort.StatusInProgress || w.status(e) != enrollment.StatusEnrolled || counter.Last != 0 {
			t.Fatalf("partial completion: cohort %s, enrollment %s, counter %d", after.Status, w.status(e), counter.Last)
		}
	})
}

func TestRenewalChain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		course := w.course(0, 0, 12)
		holder := w.user(w.guest, "Renewing holder", access.Trainee)
		// Expires 2026-05-01: within the 90-day window of 2026-03-10.
		old := w.certificate(holder, course, day("2025-05-01"), ptr(day("2026-05-01")))
		far := w.user(w.guest, "Far from expiry", access.Trainee)
		w.certificate(far, course, day("2026-01-01"), ptr(day("2027-01-01")))
		revokedHolder := w.user(w.guest, "Revoked holder", access.Trainee)
		rv := w.certificate(revokedHolder, course, day("2025-04-01"), ptr(day("2026-04-01")))
		gdb.Model(&certify.Certificate{}).Where("id = ?", rv.ID).Update("revoked_at", w.clock.Now())

		c, _ := w.cohort(course, cohort.StatusInProgress, 0)
		for _, u := range []*identity.User{holder, far, revokedHolder} {
			w.enroll(c, u, enrollment.StatusEnrolled)
		}
		p, err := w.svc.Complete(ctx(), w.coord, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		renews := map[string]string{}
		for _, o := range p.Outcomes {
			renews[o.Name] = o.Renews
		}
		if renews["Renewing holder"] != old.Number || renews["Far from expiry"] != "" || renews["Revoked holder"] != "" {
			t.Fatalf("renewals %v", renews)
		}
		var fresh certify.Certificate
		gdb.Where("user_id = ? AND cohort_id = ?", holder.ID, c.ID).Take(&fresh)
		if fresh.RenewsID == nil || *fresh.RenewsID != old.ID {
			t.Fatalf("new certificate renews %v, want %s", fresh.RenewsID, old.ID)
		}
		// The chain shows on both certificates.
		for _, number := range []string{old.Number, fresh.Number} {
			d, err := w.svc.Get(ctx(), w.admin, number)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Chain) != 2 || d.Chain[0].Number != old.Number || d.Chain[1].Number != fresh.Number {
				t.Fatalf("chain of %s: %+v", number, d.Chain)
			}
		}
		d, _ := w.svc.Get(ctx(), w.admin, old.Number)
		if d.RenewedBy == nil || *d.RenewedBy != fresh.Number {
			t.Fatalf("old certificate renewed_by %v", d.RenewedBy)
		}
		d, _ = w.svc.Get(ctx(), w.admin, fresh.Number)
		if d.Renews == nil || *d.Renews != old.Number {
			t.Fatalf("new certificate renews %v", d.Renews)
		}
		// Expired certificates are renewed too.
		w.clock.Set(day("2027-06-01"))
		c2, _ := w.cohort(course, cohort.StatusInProgress, 0)
		w.enroll(c2, holder, enrollment.StatusEnrolled)
		p, err = w.svc.Complete(ctx(), w.coord, c2.ID)
		if err != nil || p.Outcomes[0].Renews != fresh.Number {
			t.Fatalf("renewal of an expired certificate: %+v %v", p, err)
		}
	})
}
