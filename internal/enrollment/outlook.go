package enrollment

import (
	"context"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/cohort"
)

// Outlook is what enrolling in a cohort would do for the actor now, or why
// they cannot, with their current request there if they have one.
type Outlook struct {
	Cohort      cohort.Cohort
	CourseCode  string
	CourseTitle string
	// Opens and Closes are the enrollment window as wall-clock times in
	// Zone, the cohort's time zone.
	Opens, Closes, Zone string
	// Current is the actor's pending, enrolled or waitlisted request, if any.
	Current *Row
	// Outcome is the status a request would get now: enrolled, waitlisted or
	// pending; WaitlistPosition the place it would take.
	Outcome          string
	WaitlistPosition int
	// Refusal says why the actor cannot ask, when they cannot.
	Refusal *apperr.Error
	// SeatsLeft in the cohort, and QuotaLeft in the actor's agency's quota
	// when HasQuota (the cohort has quotas and one for the agency).
	SeatsLeft int
	HasQuota  bool
	QuotaLeft int
}

// Outlook reads, without changing anything, what a request by the actor
// for a seat in cohortID would give. The answer may be overtaken by others'
// requests; only Enroll decides.
func (s *Service) Outlook(ctx context.Context, actor access.Actor, cohortID string) (*Outlook, error) {
	tx := s.db(ctx)
	p := person{ID: actor.UserID, AgencyID: actor.AgencyID}
	f, err := s.loadFacts(tx, actor, cohortID, p, false)
	if err != nil {
		return nil, err
	}
	loc := cohort.ZoneOf(f.cohort.TimeZone)
	o := &Outlook{Cohort: *f.cohort, SeatsLeft: max(0, f.cohort.Capacity-f.cohort.SeatsTaken), Zone: loc.String(),
		Opens: cohort.FormatLocal(f.cohort.EnrollmentOpensAt, loc), Closes: cohort.FormatLocal(f.cohort.EnrollmentClosesAt, loc)}
	if err := tx.Table("courses").Select("code, title").Where("id = ?", f.cohort.CourseID).Row().Scan(&o.CourseCode, &o.CourseTitle); err != nil {
		return nil, err
	}
	if q := f.quota(actor.AgencyID); q != nil {
		o.HasQuota, o.QuotaLeft = true, max(0, q.Seats-q.SeatsTaken)
	}
	if f.live != nil {
		if o.Current, err = rowByID(tx, f.live.ID); err != nil {
			return nil, err
		}
	}
	if _, _, err := s.requester(ctx, actor, ""); err != nil {
		o.Refusal, _ = apperr.As(err)
		return o, nil
	}
	if err := s.refusal(f, p); err != nil {
		o.Refusal, _ = apperr.As(err)
		return o, nil
	}
	o.Outcome = f.placement(p.AgencyID, !f.cohort.RequiresApproval)
	if o.Outcome == StatusWaitlisted {
		var n int64
		if err := tx.Model(&Enrollment{}).Where("cohort_id = ? AND status = ?", f.cohort.ID, StatusWaitlisted).Count(&n).Error; err != nil {
			return nil, err
		}
		o.WaitlistPosition = int(n) + 1
	}
	return o, nil
}
