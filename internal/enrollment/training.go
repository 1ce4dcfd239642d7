package enrollment

import (
	"context"
	"muster/internal/clock"
	"time"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/cohort"
	"muster/internal/paging"
)

// maxUpcoming bounds the sessions "My training" lists.
const maxUpcoming = 50

// UpcomingSession is a session of a cohort the trainee is enrolled in.
type UpcomingSession struct {
	ID          string    `json:"id"`
	CohortID    string    `json:"cohort_id"`
	CohortCode  string    `json:"cohort_code"`
	CourseTitle string    `json:"course_title"`
	StartsAt    time.Time `json:"starts_at"`
	EndsAt      time.Time `json:"ends_at"`
	Topic       string    `json:"topic"`
	Room        string    `json:"room"`
	TimeZone    string    `json:"time_zone"`
}

// LocalStart is the session's start as wall-clock time in its cohort's zone.
func (u UpcomingSession) LocalStart() string {
	return cohort.FormatLocal(u.StartsAt, cohort.ZoneOf(u.TimeZone))
}

// LocalEnd is the session's end as wall-clock time in its cohort's zone.
func (u UpcomingSession) LocalEnd() string {
	return cohort.FormatLocal(u.EndsAt, cohort.ZoneOf(u.TimeZone))
}

// Training is a trainee's "My training": their enrollments and the sessions
// ahead in the cohorts where they hold a seat.
type Training struct {
	Enrollments paging.Page[Row]  `json:"enrollments"`
	Sessions    []UpcomingSession `json:"sessions"`
}

// Training returns the actor's enrollments and upcoming sessions.
func (s *Service) Training(ctx context.Context, actor access.Actor, p paging.Params) (*Training, error) {
	if actor.UserID == "" {
		return nil, apperr.New(apperr.CodeUnauthorized)
	}
	page, err := s.ListMine(ctx, actor, p)
	if err != nil {
		return nil, err
	}
	t := &Training{Enrollments: page, Sessions: []UpcomingSession{}}
	err = s.db(ctx).Table("cohort_sessions s").
		Select("s.id, s.cohort_id, c.code AS cohort_code, co.title AS course_title, s.starts_at, s.ends_at, s.topic, s.room, c.time_zone").
		Joins("JOIN cohorts c ON c.id = s.cohort_id").
		Joins("JOIN courses co ON co.id = c.course_id").
		Where("s.ends_at > ? AND EXISTS (SELECT 1 FROM enrollments e WHERE e.cohort_id = s.cohort_id AND e.user_id = ? AND e.status = ?)",
			clock.Now(s.Clock), actor.UserID, StatusEnrolled).
		Order("s.starts_at").Limit(maxUpcoming).Scan(&t.Sessions).Error
	return t, err
}
