package roster

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/catalog"
	"muster/internal/clock"
	"muster/internal/cohort"
	"muster/internal/db"
	"muster/internal/secret"
)

// CreateFeedToken gives the actor a new private calendar-feed token,
// replacing any earlier one (whose links stop working). Only its hash is
// kept: the secret is returned once.
func (s *Service) CreateFeedToken(ctx context.Context, actor access.Actor) (string, error) {
	if actor.UserID == "" {
		return "", apperr.New(apperr.CodeUnauthorized)
	}
	token := secret.New()
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		now := db.Now(tx, s.Clock)
		if err := tx.Where("user_id = ?", actor.UserID).Delete(&FeedToken{}).Error; err != nil {
			return err
		}
		var epochs []int
		if err := tx.Table("users").Where("id = ?", actor.UserID).Limit(1).Pluck("session_epoch", &epochs).Error; err != nil {
			return err
		}
		if len(epochs) == 0 {
			return apperr.New(apperr.CodeUnauthorized)
		}
		if err := tx.Create(&FeedToken{UserID: actor.UserID, TokenHash: secret.Hash(token), Epoch: epochs[0], CreatedAt: now}).Error; err != nil {
			return err
		}
		return audit.Record(tx, now, actor, audit.Entry{Action: "feed_token.create", SubjectType: "user", SubjectID: actor.UserID, AgencyID: actor.AgencyID})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeFeedToken ends the actor's feed links.
func (s *Service) RevokeFeedToken(ctx context.Context, actor access.Actor) error {
	if actor.UserID == "" {
		return apperr.New(apperr.CodeUnauthorized)
	}
	return db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		res := tx.Where("user_id = ?", actor.UserID).Delete(&FeedToken{})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return audit.Record(tx, db.Now(tx, s.Clock), actor, audit.Entry{Action: "feed_token.revoke", SubjectType: "user", SubjectID: actor.UserID, AgencyID: actor.AgencyID})
	})
}

// liveFeedTokens are the feed tokens whose owner is active and has changed
// nothing that ends sessions since the token was made.
func (s *Service) liveFeedTokens(ctx context.Context) *gorm.DB {
	return s.db(ctx).Table("feed_tokens AS f").Joins("JOIN users u ON u.id = f.user_id").
		Where("u.disabled_at IS NULL AND f.epoch = u.session_epoch")
}

// FeedTokenSince tells when the user's live feed token was made, nil for none.
func (s *Service) FeedTokenSince(ctx context.Context, userID string) (*time.Time, error) {
	var ts []time.Time
	if err := s.liveFeedTokens(ctx).Where("f.user_id = ?", userID).Limit(1).Pluck("f.created_at", &ts).Error; err != nil || len(ts) == 0 {
		return nil, err
	}
	t := ts[0].UTC()
	return &t, nil
}

// FeedOwner returns the active user whose live feed token this is, or
// not_found: a changed password, second factor or roles end the link.
func (s *Service) FeedOwner(ctx context.Context, token string) (string, error) {
	token = strings.TrimSpace(token)
	if len(token) < 20 || len(token) > 100 {
		return "", apperr.NotFound()
	}
	var ids []string
	err := s.liveFeedTokens(ctx).Where("f.token_hash = ?", secret.Hash(token)).Limit(1).Pluck("f.user_id", &ids).Error
	if err != nil {
		return "", err
	}
	if len(ids) == 0 {
		return "", apperr.NotFound()
	}
	return ids[0], nil
}

// FeedHistory is how far back a personal feed reaches.
const FeedHistory = 90 * 24 * time.Hour

// UserEvents are the events of user's own feed: the sessions they teach,
// then those of every ExtraEvents source, each UID once, their summaries
// in the user's language.
func (s *Service) UserEvents(ctx context.Context, userID string) ([]CalendarEvent, error) {
	teaching, err := s.Teaching(ctx, userID, clock.Now(s.Clock).Add(-FeedHistory))
	if err != nil {
		return nil, err
	}
	events := make([]CalendarEvent, 0, len(teaching))
	for _, t := range teaching {
		where := "Online"
		if t.VenueName != "" {
			where = joinNonEmpty(", ", t.VenueName, roomLabel(t.Room), t.City)
		}
		events = append(events, CalendarEvent{UID: SessionUID(t.SessionID), Start: t.StartsAt, End: t.EndsAt,
			Summary:    SessionSummary(t.CourseCode, t.CourseTitle, t.Topic),
			CourseCode: t.CourseCode, CourseTitle: t.CourseTitle, CourseTitles: t.CourseTitles, Topic: t.Topic,
			Location:    where,
			Description: "Cohort " + t.CohortCode + ": " + t.CourseTitle + "\nRole: " + t.Role + "\nTime zone: " + t.TimeZone,
			Modified:    t.Modified,
			Cancelled:   t.CohortStatus == cohort.StatusCancelled})
	}
	seen := map[string]bool{}
	for _, e := range events {
		seen[e.UID] = true
	}
	for _, src := range s.ExtraEvents {
		more, err := src(ctx, userID)
		if err != nil {
			return nil, err
		}
		for _, e := range more {
			if !seen[e.UID] {
				seen[e.UID] = true
				events = append(events, e)
			}
		}
	}
	InLanguage(events, s.languageOf(ctx, userID))
	return events, nil
}

// languageOf is the language userID reads, "" when unknown.
func (s *Service) languageOf(ctx context.Context, userID string) string {
	var langs []string
	s.db(ctx).Table("users").Where("id = ?", userID).Limit(1).Pluck("language", &langs)
	if len(langs) == 0 {
		return ""
	}
	return langs[0]
}

// CohortEvents are the events of a cohort's feed, for whoever may see the
// cohort, and the feed's name; InLanguage puts their summaries in the
// reader's language.
func (s *Service) CohortEvents(ctx context.Context, actor access.Actor, cohortID string) (string, []CalendarEvent, error) {
	sched, err := s.Schedule(ctx, actor, cohortID)
	if err != nil {
		return "", nil, err
	}
	tx := s.db(ctx)
	c, err := cohort.Load(tx, actor, cohortID)
	if err != nil {
		return "", nil, err
	}
	var course struct {
		Code, Title  string
		Translations catalog.Translations
	}
	if err := tx.Table("courses").Select("code, title, translations").Where("id = ?", c.CourseID).Scan(&course).Error; err != nil {
		return "", nil, err
	}
	var venue struct{ Name, City string }
	if c.VenueID != nil {
		if err := tx.Table("venues").Select("name, city").Where("id = ?", *c.VenueID).Scan(&venue).Error; err != nil {
			return "", nil, err
		}
	}
	events := make([]CalendarEvent, 0, len(sched))
	for _, ses := range sched {
		where := "Online"
		if venue.Name != "" {
			where = joinNonEmpty(", ", venue.Name, roomLabel(ses.Room), venue.City)
		}
		var names []string
		for _, in := range ses.Instructors {
			names = append(names, in.FullName+" ("+in.Role+")")
		}
		desc := "Cohort " + c.Code + ": " + course.Title + "\nTime zone: " + c.TimeZone
		if len(names) > 0 {
			desc += "\nInstructors: " + strings.Join(names, ", ")
		}
		events = append(events, CalendarEvent{UID: SessionUID(ses.ID), Start: ses.StartsAt, End: ses.EndsAt,
			Summary: SessionSummary(course.Code, course.Title, ses.Topic), Location: where,
			CourseCode: course.Code, CourseTitle: course.Title, CourseTitles: course.Translations.Titles(), Topic: ses.Topic, Description: desc, Modified: ses.UpdatedAt.UTC(),
			Cancelled: c.Status == cohort.StatusCancelled})
	}
	return c.Code + " · " + course.Title, events, nil
}

func roomLabel(room string) string {
	if room == "" {
		return ""
	}
	return "room " + room
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
