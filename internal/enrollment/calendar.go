package enrollment

import (
	"context"
	"time"

	"muster/internal/catalog"
	"muster/internal/clock"
	"muster/internal/cohort"
	"muster/internal/roster"
)

// CalendarEvents are the sessions of the cohorts userID holds (or held) a
// seat in, for their own calendar feed: a roster.EventSource. Sessions of a
// cancelled cohort stay, marked cancelled, so calendar apps remove them.
func (s *Service) CalendarEvents(ctx context.Context, userID string) ([]roster.CalendarEvent, error) {
	var rows []struct {
		SessionID    string
		StartsAt     time.Time
		EndsAt       time.Time
		Topic        string
		Room         string
		UpdatedAt    time.Time
		CohortCode   string
		CohortStatus string
		TimeZone     string
		CourseCode   string
		CourseTitle  string
		Translations catalog.Translations
		VenueName    string
		VenueCity    string
	}
	err := s.db(ctx).Table("cohort_sessions s").
		Select(`s.id AS session_id, s.starts_at, s.ends_at, s.topic, s.room, s.updated_at, c.code AS cohort_code, c.status AS cohort_status,
			c.time_zone, co.code AS course_code, co.title AS course_title, co.translations, COALESCE(v.name, '') AS venue_name, COALESCE(v.city, '') AS venue_city`).
		Joins("JOIN cohorts c ON c.id = s.cohort_id").
		Joins("JOIN courses co ON co.id = c.course_id").
		Joins("LEFT JOIN venues v ON v.id = c.venue_id").
		Where("s.ends_at > ? AND EXISTS (SELECT 1 FROM enrollments e WHERE e.cohort_id = s.cohort_id AND e.user_id = ? AND e.status IN ?)",
			clock.Now(s.Clock).Add(-roster.FeedHistory), userID, []string{StatusEnrolled, StatusCompleted, StatusFailed, StatusCancelled}).
		Order("s.starts_at").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	events := make([]roster.CalendarEvent, 0, len(rows))
	for _, r := range rows {
		where := "Online"
		if r.VenueName != "" {
			where = r.VenueName
			if r.Room != "" {
				where += ", room " + r.Room
			}
			if r.VenueCity != "" {
				where += ", " + r.VenueCity
			}
		}
		events = append(events, roster.CalendarEvent{UID: roster.SessionUID(r.SessionID), Start: r.StartsAt.UTC(), End: r.EndsAt.UTC(),
			Summary: roster.SessionSummary(r.CourseCode, r.CourseTitle, r.Topic), Location: where,
			CourseCode: r.CourseCode, CourseTitle: r.CourseTitle, CourseTitles: r.Translations.Titles(), Topic: r.Topic,
			Description: "Cohort " + r.CohortCode + ": " + r.CourseTitle + "\nTime zone: " + r.TimeZone,
			Modified:    r.UpdatedAt.UTC(), Cancelled: r.CohortStatus == cohort.StatusCancelled})
	}
	return events, nil
}
