package roster

import (
	"context"
	"time"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/cohort"
	"muster/internal/i18n"
)

// AssignedInstructor is an instructor on a session.
type AssignedInstructor struct {
	UserID   string `json:"user_id"`
	FullName string `json:"full_name"`
	Agency   string `json:"agency"`
	Role     string `json:"role"`
}

// ScheduledSession is a session with the instructors assigned to it.
type ScheduledSession struct {
	cohort.Session
	Instructors []AssignedInstructor `json:"instructors"`
}

// Schedule returns a cohort's sessions in time order with their
// instructors, leads first, to whoever may see the cohort.
func (s *Service) Schedule(ctx context.Context, actor access.Actor, cohortID string) ([]ScheduledSession, error) {
	tx := s.db(ctx)
	c, err := cohort.Load(tx, actor, cohortID)
	if err != nil {
		return nil, err
	}
	var sessions []cohort.Session
	if err := tx.Where("cohort_id = ?", c.ID).Order("starts_at, id").Find(&sessions).Error; err != nil {
		return nil, err
	}
	var rows []struct {
		SessionID string
		AssignedInstructor
	}
	err = tx.Table("session_instructors AS si").Select("si.session_id, si.instructor_id AS user_id, u.full_name, a.short_name AS agency, si.role").
		Joins("JOIN cohort_sessions s ON s.id = si.session_id").Joins("JOIN users u ON u.id = si.instructor_id").
		Joins("JOIN agencies a ON a.id = u.agency_id").Where("s.cohort_id = ?", c.ID).
		Order("si.role DESC, u.full_name").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	by := map[string][]AssignedInstructor{}
	for _, r := range rows {
		by[r.SessionID] = append(by[r.SessionID], r.AssignedInstructor)
	}
	meets, err := s.seesMeetings(ctx, actor, c, rows)
	if err != nil {
		return nil, err
	}
	out := make([]ScheduledSession, 0, len(sessions))
	for _, ses := range sessions {
		ses.StartsAt, ses.EndsAt = ses.StartsAt.UTC(), ses.EndsAt.UTC()
		if !meets {
			ses.MeetingURL = ""
		}
		ins := by[ses.ID]
		if ins == nil {
			ins = []AssignedInstructor{}
		}
		out = append(out, ScheduledSession{Session: ses, Instructors: ins})
	}
	return out, nil
}

// seesMeetings reports whether actor may see the cohort's meeting links:
// its managers, its instructors and its enrolled trainees.
func (s *Service) seesMeetings(ctx context.Context, actor access.Actor, c *cohort.Cohort, assigned []struct {
	SessionID string
	AssignedInstructor
}) (bool, error) {
	if cohort.CanManage(actor, c.HostAgencyID) {
		return true, nil
	}
	for _, a := range assigned {
		if actor.UserID != "" && a.UserID == actor.UserID {
			return true, nil
		}
	}
	if !validID(actor.UserID) {
		return false, nil
	}
	var n int64
	err := s.db(ctx).Table("enrollments").Where("cohort_id = ? AND user_id = ? AND status IN ?", c.ID, actor.UserID,
		[]string{"enrolled", "completed", "failed"}).Count(&n).Error
	return n > 0, err
}

// IsTeaching reports whether user is assigned to any session of cohort.
func (s *Service) IsTeaching(ctx context.Context, userID, cohortID string) (bool, error) {
	if !validID(userID) || !validID(cohortID) {
		return false, nil
	}
	var n int64
	err := s.db(ctx).Table("session_instructors AS si").Joins("JOIN cohort_sessions s ON s.id = si.session_id").
		Where("si.instructor_id = ? AND s.cohort_id = ?", userID, cohortID).Count(&n).Error
	return n > 0, err
}

// TeachingSession is one of an instructor's sessions, in any cohort.
type TeachingSession struct {
	cohort.SessionRef
	Role         string     `json:"role"`
	CohortStatus string     `json:"cohort_status"`
	HostAgencyID string     `json:"-"` // the cohort's host, for whom it is visible while a draft
	CourseCode   string     `json:"course_code"`
	CourseTitle  string     `json:"course_title"`
	VenueName    string     `json:"venue_name,omitempty"`
	VenueNames   i18n.Names `json:"-"` // the venue's name per language, for pages
	CourseTitles i18n.Names `json:"-"` // the course's title per language, for pages and feeds
	City         string     `json:"city,omitempty"`
	Modified     time.Time  `json:"updated_at"`
}

// TeachingSeenBy is Teaching of instructor id as actor sees it: all of it
// for the instructor themself, else without the sessions of cohorts actor
// may not see (another agency's drafts).
func (s *Service) TeachingSeenBy(ctx context.Context, actor access.Actor, id string, from time.Time) ([]TeachingSession, error) {
	if _, err := visiblePerson(s.db(ctx), actor, id); err != nil {
		return nil, err
	}
	all, err := s.Teaching(ctx, id, from)
	if err != nil || actor.UserID == id {
		return all, err
	}
	out := make([]TeachingSession, 0, len(all))
	for _, t := range all {
		if cohort.CanSee(actor, &cohort.Cohort{Status: t.CohortStatus, HostAgencyID: t.HostAgencyID}) {
			out = append(out, t)
		}
	}
	return out, nil
}

// Teaching lists the sessions user teaches that end after from, in time
// order, across every cohort (cancelled ones too, marked by their status).
func (s *Service) Teaching(ctx context.Context, userID string, from time.Time) ([]TeachingSession, error) {
	out := []TeachingSession{}
	if !validID(userID) {
		return out, nil
	}
	var rows []struct {
		cohort.SessionRef
		Role, CohortStatus, HostAgencyID, CourseCode, CourseTitle string
		VenueName, City                                           *string
		VenueNames                                                i18n.Names
		Translations                                              catalog.Translations
		Modified                                                  time.Time
	}
	err := s.db(ctx).Table("session_instructors AS si").
		Select("s.id AS session_id, s.cohort_id, c.code AS cohort_code, s.topic, s.room, s.starts_at, s.ends_at, c.time_zone, "+
			"si.role, c.status AS cohort_status, c.host_agency_id, co.code AS course_code, co.title AS course_title, co.translations, v.name AS venue_name, v.names AS venue_names, v.city, s.updated_at AS modified").
		Joins("JOIN cohort_sessions s ON s.id = si.session_id").Joins("JOIN cohorts c ON c.id = s.cohort_id").
		Joins("JOIN courses co ON co.id = c.course_id").Joins("LEFT JOIN venues v ON v.id = c.venue_id").
		Where("si.instructor_id = ? AND s.ends_at > ?", userID, from.UTC()).Order("s.starts_at, s.id").Scan(&rows).Error
	for _, r := range rows {
		t := TeachingSession{SessionRef: r.SessionRef, Role: r.Role, CohortStatus: r.CohortStatus, HostAgencyID: r.HostAgencyID, CourseCode: r.CourseCode, CourseTitle: r.CourseTitle, VenueNames: r.VenueNames,
			CourseTitles: r.Translations.Titles(), Modified: r.Modified.UTC()}
		t.StartsAt, t.EndsAt = t.StartsAt.UTC(), t.EndsAt.UTC()
		if r.VenueName != nil {
			t.VenueName = *r.VenueName
		}
		if r.City != nil {
			t.City = *r.City
		}
		out = append(out, t)
	}
	return out, err
}
