package roster

import (
	"context"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/cohort"
)

// Conflict is one clash left in a cohort's schedule. Kind is the rule code
// that would refuse it now: instructor_conflict, instructor_unavailable,
// instructor_not_qualified or venue_conflict.
type Conflict struct {
	Kind           string             `json:"kind"`
	Session        cohort.SessionRef  `json:"session"`
	Instructor     *Person            `json:"instructor,omitempty"`
	Clash          *cohort.SessionRef `json:"clash,omitempty"`
	Unavailability *Unavailability    `json:"unavailability,omitempty"`
	Course         string             `json:"course,omitempty"`
	Day            string             `json:"day,omitempty"`
	ExpiredOn      string             `json:"expired_on,omitempty"`
}

// Conflicts lists every clash left in cohort id's schedule, for instance
// after an instructor reported unavailability or a qualification lapsed:
// for the host coordinator and admins. A clash between two sessions of the
// same cohort is listed once.
func (s *Service) Conflicts(ctx context.Context, actor access.Actor, id string) ([]Conflict, error) {
	tx := s.db(ctx)
	c, err := cohort.Load(tx, actor, id)
	if err != nil {
		return nil, err
	}
	if !cohort.CanManage(actor, c.HostAgencyID) {
		return nil, apperr.New(apperr.CodeForbidden)
	}
	var sessions []cohort.Session
	if err := tx.Where("cohort_id = ?", c.ID).Order("starts_at, id").Find(&sessions).Error; err != nil {
		return nil, err
	}
	out := []Conflict{}
	for i := range sessions {
		ses := &sessions[i]
		ses.StartsAt, ses.EndsAt = ses.StartsAt.UTC(), ses.EndsAt.UTC()
		ref := cohort.SessionRef{SessionID: ses.ID, CohortID: c.ID, CohortCode: c.Code, Topic: ses.Topic, Room: ses.Room,
			StartsAt: ses.StartsAt, EndsAt: ses.EndsAt, TimeZone: c.TimeZone}
		found, err := sessionConflicts(tx, c, ses, ref)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}

// sessionConflicts finds the clashes of one session.
func sessionConflicts(tx *gorm.DB, c *cohort.Cohort, ses *cohort.Session, ref cohort.SessionRef) ([]Conflict, error) {
	var out []Conflict
	var here []Assignment
	if err := tx.Where("session_id = ?", ses.ID).Order("role DESC, instructor_id").Find(&here).Error; err != nil {
		return nil, err
	}
	for _, a := range here {
		p, err := person(tx, a.InstructorID)
		if err != nil {
			if apperr.CodeOf(err) == apperr.CodeNotFound {
				continue
			}
			return nil, err
		}
		refs, err := teachingClashes(tx, a.InstructorID, ses.StartsAt, ses.EndsAt, ses.ID, 0)
		if err != nil {
			return nil, err
		}
		for _, r := range refs {
			if r.CohortID == c.ID && r.SessionID < ses.ID {
				continue // listed from the other session
			}
			out = append(out, Conflict{Kind: CodeInstructorConflict, Session: ref, Instructor: p, Clash: &r})
		}
		us, err := unavailableDuring(tx, a.InstructorID, ses.StartsAt, ses.EndsAt, 0)
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			out = append(out, Conflict{Kind: CodeUnavailable, Session: ref, Instructor: p, Unavailability: &u})
		}
		day := sessionDay(ses, cohort.ZoneOf(c.TimeZone))
		ok, expired, err := qualifiedOn(tx, a.InstructorID, c.CourseID, day)
		if err != nil {
			return nil, err
		}
		if !ok {
			cf := Conflict{Kind: CodeNotQualified, Session: ref, Instructor: p, Day: day.Format(cohort.DateLayout)}
			_ = tx.Table("courses").Select("code").Where("id = ?", c.CourseID).Scan(&cf.Course).Error
			if expired != nil {
				cf.ExpiredOn = expired.Format(cohort.DateLayout)
			}
			out = append(out, cf)
		}
	}
	if c.VenueID != nil {
		var refs []cohort.SessionRef
		q := cohort.Refs(tx).Where("c.venue_id = ? AND s.starts_at < ? AND s.ends_at > ? AND s.id <> ?", *c.VenueID, ses.EndsAt, ses.StartsAt, ses.ID)
		if ses.Room != "" {
			q = q.Where("(s.room = '' OR lower(s.room) = lower(?))", ses.Room)
		}
		if err := q.Order("s.starts_at").Scan(&refs).Error; err != nil {
			return nil, err
		}
		for _, r := range refs {
			if r.CohortID == c.ID && r.SessionID < ses.ID {
				continue
			}
			r.StartsAt, r.EndsAt = r.StartsAt.UTC(), r.EndsAt.UTC()
			out = append(out, Conflict{Kind: cohort.CodeVenueConflict, Session: ref, Clash: &r})
		}
	}
	return out, nil
}
