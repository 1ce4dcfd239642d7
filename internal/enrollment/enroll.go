package enrollment

import (
	"context"
	"slices"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/db"
	"muster/internal/identity"
	"muster/internal/validate"
)

// Request is the body of POST /api/v1/cohorts/{id}/enrollments: empty for
// oneself, or the person a coordinator nominates.
type Request struct {
	UserID string `json:"user_id" form:"user_id" validate:"omitempty,uuid"`
}

// Enroll asks for a seat in cohortID for the actor or, with in.UserID,
// nominates that person, which counts as approval. The answer's status is
// enrolled, waitlisted (with positions) or pending; a refusal carries its
// rule code.
func (s *Service) Enroll(ctx context.Context, actor access.Actor, cohortID string, in Request) (*Row, error) {
	if !actor.SignedIn() {
		return nil, apperr.New(apperr.CodeUnauthorized)
	}
	if err := validate.Struct(in); err != nil {
		return nil, err
	}
	p, nominated, err := s.requester(ctx, actor, in.UserID)
	if err != nil {
		return nil, err
	}
	var row *Row
	err = db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		row, err = s.request(tx, actor, cohortID, p, nominated)
		return err
	})
	return row, err
}

// requester is whom a request is for: the actor, who must be a trainee, or
// the person a coordinator (of that person's agency) or admin nominates.
func (s *Service) requester(ctx context.Context, actor access.Actor, userID string) (person, bool, error) {
	if userID == "" || userID == actor.UserID {
		if !actor.Has(access.Trainee) || actor.UserID == "" {
			return person{}, false, &apperr.Error{Code: apperr.CodeForbidden, Key: KeySelfTrainees}
		}
		return person{ID: actor.UserID, AgencyID: actor.AgencyID}, false, nil
	}
	if !actor.HasAny(access.Admin, access.Coordinator) {
		return person{}, false, &apperr.Error{Code: apperr.CodeForbidden, Key: KeyNominators}
	}
	u, key, err := s.nominee(s.db(ctx), actor, "id = ?", userID)
	if err != nil {
		return person{}, false, err
	}
	if key != "" {
		return person{}, false, apperr.Invalid(apperr.Field("user_id", key))
	}
	return person{ID: u.ID, AgencyID: u.AgencyID}, true, nil
}

// nominee finds the one user matching where whom actor may nominate: an
// active trainee of the actor's agency (any agency for admins). Otherwise it
// returns the message key saying why not.
func (s *Service) nominee(tx *gorm.DB, actor access.Actor, where string, args ...any) (*identity.User, string, error) {
	q := tx.Preload("Roles").Where(where, args...)
	if !actor.IsAdmin() {
		q = q.Where("agency_id = ?", actor.AgencyID)
	}
	var users []identity.User
	if err := q.Limit(2).Find(&users).Error; err != nil {
		return nil, "", err
	}
	switch {
	case len(users) == 0:
		return nil, KeyUnknownPerson, nil
	case len(users) > 1:
		return nil, KeyAmbiguousPerson, nil
	}
	u := &users[0]
	if u.Disabled() {
		return nil, KeyPersonDisabled, nil
	}
	if !slices.Contains(u.RoleNames(), access.Trainee) {
		return nil, KeyNotTrainee, nil
	}
	return u, "", nil
}

// request applies the eligibility rules to p's request in cohortID and,
// when they hold, records it with its place in the queue: pending when it
// awaits approval, else a seat or the waitlist. It answers the stored
// request as lists show it.
//
// Everything that needs no lock is read first: the person's records, the
// names the answer shows and the cohort's rules, so most refusals never
// wait. Then one update takes the cohort's row lock (held until tx ends)
// with the request's place in the queue, one read takes the quotas and the
// waitlist ahead, and the rules are applied again to what the lock holds
// before a seat is taken.
func (s *Service) request(tx *gorm.DB, actor access.Actor, cohortID string, p person, nominated bool) (*Row, error) {
	f, err := s.personFacts(tx, cohortID, p)
	if err != nil {
		return nil, err
	}
	row, err := describe(tx, cohortID, p.ID)
	if err != nil {
		return nil, err
	}
	if err := f.readCohort(tx, actor, cohortID, false); err != nil {
		return nil, err
	}
	if err := s.refusal(f, p); err != nil {
		return nil, addressed(err, actor, p, row.FullName)
	}
	if f.cohort, err = takeTurn(tx, cohortID); err != nil {
		return nil, err
	}
	quotas, ahead, err := queueState(tx, cohortID, p.AgencyID, f.cohort.QueueSeq)
	if err != nil {
		return nil, err
	}
	f.quotas = quotas
	if err := s.refusal(f, p); err != nil { // the cohort changed while this request was read
		return nil, addressed(err, actor, p, row.FullName)
	}
	status := f.placement(p.AgencyID, nominated || !f.cohort.RequiresApproval)
	if status == StatusEnrolled {
		if err := moveSeat(tx, f.cohort, p.AgencyID, len(f.quotas) > 0, 1); err != nil {
			return nil, err
		}
	}
	now := db.Now(tx, s.Clock)
	e := Enrollment{ID: newID(), CohortID: f.cohort.ID, UserID: p.ID, AgencyID: p.AgencyID, Status: status, QueueNo: f.cohort.QueueSeq,
		RequestedAt: now, CreatedAt: now, UpdatedAt: now}
	if status != StatusPending {
		e.DecidedAt = &now
	}
	if nominated && actor.UserID != "" {
		e.NominatedBy, e.DecidedBy = &actor.UserID, &actor.UserID
	}
	err = tx.Create(&e).Error
	if db.IsDuplicate(err) { // the live-request index: a request that raced past the check
		return nil, apperr.New(CodeAlreadyEnrolled)
	}
	if err != nil {
		return nil, err
	}
	row.Enrollment, row.CohortStatus = e, f.cohort.Status
	ch := change{To: status, QueueNo: e.QueueNo}
	n := Notice{Kind: NoticeRequested, Enrollment: e, About: &About{CohortCode: row.CohortCode, CourseCode: row.CourseCode,
		CourseTitle: row.CourseTitle, StartsOn: row.StartsOn.Time, EndsOn: row.EndsOn.Time, HostAgencyID: f.cohort.HostAgencyID, UserAgencyID: p.AgencyID}}
	if status == StatusWaitlisted {
		row.WaitlistPosition, row.AgencyWaitlistPosition = &ahead.Overall, &ahead.Agency
		ch.WaitlistPosition, n.WaitlistPosition = ahead.Overall, ahead.Overall
	}
	action := ActionRequest
	if nominated {
		action, n.Kind = ActionNominate, NoticeNominated
	}
	if err := s.tell(tx, n); err != nil {
		return nil, err
	}
	return row, s.audit(tx, actor, action, &e, ch)
}
