package certify

import (
	"context"
	"time"
)

// HeldCourses returns the ids of the courses for which the user holds a
// certificate valid on day: neither revoked nor expired. Prerequisites are
// met only by these, never by an expired or revoked certificate.
func (s *Service) HeldCourses(ctx context.Context, userID string, day time.Time) (map[string]bool, error) {
	held := map[string]bool{}
	if !validID(userID) {
		return held, nil
	}
	var ids []string
	err := s.db(ctx).Model(&Certificate{}).
		Where("user_id = ? AND revoked_at IS NULL AND (expires_on IS NULL OR expires_on > ?)", userID, Day(day)).
		Distinct().Pluck("course_id", &ids).Error
	for _, id := range ids {
		held[id] = true
	}
	return held, err
}

// AlreadyCertified reports whether the user holds a certificate for the
// course that is valid on day and does not expire within the
// recertification window: such a holder may not enroll again yet.
func (s *Service) AlreadyCertified(ctx context.Context, userID, courseID string, day time.Time) (bool, error) {
	if !validID(userID) || !validID(courseID) {
		return false, nil
	}
	day = Day(day)
	var n int64
	err := s.db(ctx).Model(&Certificate{}).
		Where("user_id = ? AND course_id = ? AND revoked_at IS NULL AND (expires_on IS NULL OR expires_on > ?)",
			userID, courseID, day.AddDate(0, 0, s.RecertWindowDays)).Count(&n).Error
	return n > 0, err
}
