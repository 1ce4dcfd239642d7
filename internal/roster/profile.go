package roster

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/catalog"
	"muster/internal/db"
)

// Person is an instructor as lists and messages name them.
type Person struct {
	UserID        string `json:"user_id"`
	FullName      string `json:"full_name"`
	FullNameLatin string `json:"full_name_latin"`
	AgencyID      string `json:"agency_id"`
	Agency        string `json:"agency"` // short name
	Country       string `json:"country"`
}

// QualificationLine is a course an instructor may teach, until ExpiresOn if set.
type QualificationLine struct {
	CourseID  string  `json:"course_id"`
	Course    string  `json:"course"` // code
	Title     string  `json:"title"`
	ExpiresOn *string `json:"expires_on"` // "YYYY-MM-DD"
}

// Instructor is an instructor's profile as GET /api/v1/instructors/{id} shows it.
type Instructor struct {
	Person
	Bio            string              `json:"bio"`
	Languages      []string            `json:"languages"`
	Qualifications []QualificationLine `json:"qualifications"`
	Unavailability []Unavailability    `json:"unavailability"`
}

// canManage reports whether actor may change the profile of an instructor
// of agency: admins, and coordinators of that agency.
func canManage(actor access.Actor, agencyID string) bool {
	return actor.IsAdmin() || (actor.Has(access.Coordinator) && actor.AgencyID == agencyID)
}

// canSeeRoster reports whether actor may search and read instructors of
// every agency: coordinators schedule partners' instructors too.
func canSeeRoster(actor access.Actor) bool {
	return actor.IsAdmin() || (actor.AgencyID != "" && actor.Has(access.Coordinator))
}

// personCols select a Person from users u joined to agencies a.
const personCols = "u.id AS user_id, u.full_name, u.full_name_latin, u.agency_id, a.short_name AS agency, a.country"

// instructors is a query of active users with the instructor role.
func instructors(tx *gorm.DB) *gorm.DB {
	return tx.Table("users AS u").Joins("JOIN agencies a ON a.id = u.agency_id").
		Where("u.disabled_at IS NULL AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = ?)", access.Instructor)
}

// person reads instructor id, or not_found.
func person(tx *gorm.DB, id string) (*Person, error) {
	if !validID(id) {
		return nil, apperr.NotFound()
	}
	var ps []Person
	if err := instructors(tx).Select(personCols).Where("u.id = ?", id).Scan(&ps).Error; err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, apperr.NotFound()
	}
	return &ps[0], nil
}

// visiblePerson reads instructor id as actor may see them: the roster's
// readers, and the instructor themself.
func visiblePerson(tx *gorm.DB, actor access.Actor, id string) (*Person, error) {
	if !actor.SignedIn() {
		return nil, apperr.New(apperr.CodeUnauthorized)
	}
	if actor.UserID != id && !canSeeRoster(actor) {
		return nil, apperr.NotFound()
	}
	return person(tx, id)
}

// ensureProfile creates the instructor's profile row if it is missing;
// concurrent callers never fail on it.
func ensureProfile(tx *gorm.DB, userID string, now time.Time) error {
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&Profile{UserID: userID, UpdatedAt: now}).Error
}

// lockProfile takes the instructor's row lock: every change to their
// assignments or availability holds it, so conflict checks never race.
func lockProfile(tx *gorm.DB, userID string, now time.Time) error {
	if err := ensureProfile(tx, userID, now); err != nil {
		return err
	}
	var p Profile
	return db.ForUpdate(tx).Where("user_id = ?", userID).Take(&p).Error
}

// Get returns instructor id's profile with languages, qualifications and
// unavailability, to coordinators, admins and the instructor themself.
func (s *Service) Get(ctx context.Context, actor access.Actor, id string) (*Instructor, error) {
	tx := s.db(ctx)
	p, err := visiblePerson(tx, actor, id)
	if err != nil {
		return nil, err
	}
	in := &Instructor{Person: *p, Languages: []string{}, Qualifications: []QualificationLine{}, Unavailability: []Unavailability{}}
	var prof Profile
	if err := tx.Where("user_id = ?", id).Limit(1).Find(&prof).Error; err != nil {
		return nil, err
	}
	in.Bio = prof.Bio
	langs, err := languagesOf(tx, []string{id})
	if err != nil {
		return nil, err
	}
	if l := langs[id]; l != nil {
		in.Languages = l
	}
	quals, err := qualificationsOf(tx, []string{id})
	if err != nil {
		return nil, err
	}
	if q := quals[id]; q != nil {
		in.Qualifications = q
	}
	err = tx.Where("user_id = ? AND ends_at > ?", id, db.Now(tx, s.Clock).AddDate(0, 0, -30)).Order("starts_at").Find(&in.Unavailability).Error
	for i := range in.Unavailability {
		in.Unavailability[i].StartsAt, in.Unavailability[i].EndsAt = in.Unavailability[i].StartsAt.UTC(), in.Unavailability[i].EndsAt.UTC()
	}
	return in, err
}

// ProfileInput is the body of PATCH /api/v1/instructors/{id}: nil fields stay.
type ProfileInput struct {
	Bio       *string   `json:"bio" form:"bio"`
	Languages *[]string `json:"languages" form:"languages"`
}

// UpdateProfile changes an instructor's bio and languages of instruction:
// the instructor themself, coordinators of their agency and admins.
func (s *Service) UpdateProfile(ctx context.Context, actor access.Actor, id string, in ProfileInput) (*Instructor, error) {
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		p, err := visiblePerson(tx, actor, id)
		if err != nil {
			return err
		}
		if actor.UserID != id && !canManage(actor, p.AgencyID) {
			return apperr.New(apperr.CodeForbidden)
		}
		now := db.Now(tx, s.Clock)
		if err := lockProfile(tx, id, now); err != nil {
			return err
		}
		details := map[string]any{}
		if in.Bio != nil {
			bio := strings.TrimSpace(strings.ToValidUTF8(*in.Bio, "\uFFFD"))
			if len([]rune(bio)) > 2000 {
				return apperr.Invalid(apperr.Field("bio", "validation.max_length", "Max", 2000))
			}
			if err := tx.Model(&Profile{UserID: id}).Updates(map[string]any{"bio": bio, "updated_at": now}).Error; err != nil {
				return err
			}
			details["bio"] = bio
		}
		if in.Languages != nil {
			langs, err := setLanguages(tx, id, *in.Languages)
			if err != nil {
				return err
			}
			details["languages"] = langs
		}
		if len(details) == 0 {
			return nil
		}
		return audit.Record(tx, now, actor, audit.Entry{Action: "instructor.update", SubjectType: "user", SubjectID: id, AgencyID: p.AgencyID, Details: details})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// setLanguages replaces an instructor's languages with known, distinct codes.
func setLanguages(tx *gorm.DB, id string, in []string) ([]string, error) {
	langs := []string{}
	for i, l := range in {
		l = strings.ToLower(strings.TrimSpace(l))
		if !slices.Contains(catalog.Languages, l) {
			return nil, apperr.Invalid(apperr.Field("languages["+itoa(i)+"]", KeyUnknownLang))
		}
		if !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	if len(langs) > 10 {
		return nil, apperr.Invalid(apperr.Field("languages", "validation.max_items", "Max", 10))
	}
	slices.Sort(langs)
	if err := tx.Where("user_id = ?", id).Delete(&Language{}).Error; err != nil {
		return nil, err
	}
	rows := make([]Language, 0, len(langs))
	for _, l := range langs {
		rows = append(rows, Language{UserID: id, Language: l})
	}
	if len(rows) == 0 {
		return langs, nil
	}
	return langs, tx.Create(&rows).Error
}

// languagesOf returns each instructor's languages in alphabetical order.
func languagesOf(tx *gorm.DB, ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Language
	err := tx.Where("user_id IN ?", ids).Order("user_id, language").Find(&rows).Error
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], r.Language)
	}
	return out, err
}

// qualificationsOf returns each instructor's qualifications by course code.
func qualificationsOf(tx *gorm.DB, ids []string) (map[string][]QualificationLine, error) {
	out := map[string][]QualificationLine{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		UserID, CourseID, Code, Title string
		ExpiresOn                     *time.Time
	}
	err := tx.Table("instructor_qualifications AS q").Select("q.user_id, q.course_id, c.code, c.title, q.expires_on").
		Joins("JOIN courses c ON c.id = q.course_id").Where("q.user_id IN ?", ids).Order("q.user_id, c.code").Scan(&rows).Error
	for _, r := range rows {
		line := QualificationLine{CourseID: r.CourseID, Course: r.Code, Title: r.Title}
		if r.ExpiresOn != nil {
			d := r.ExpiresOn.UTC().Format("2006-01-02")
			line.ExpiresOn = &d
		}
		out[r.UserID] = append(out[r.UserID], line)
	}
	return out, err
}
