package catalog

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
)

// bulkTopics name generated courses; exactly one in ten mentions "crime",
// so a search for it finds a tenth of the catalogue.
var bulkTopics = []string{
	"Border patrol planning", "Organised crime networks", "Precursor chemicals", "Document examination",
	"Interview techniques", "Financial investigation", "Maritime interdiction", "Evidence handling",
	"Risk profiling at checkpoints", "Joint operations command",
}

// bulkLanguages are the languages given to generated courses in turn.
var bulkLanguages = [][]string{{"fa", "tg"}, {"ru"}, {"en", "ru"}, {"fa"}, {"tg", "ru", "en"}}

// BulkCourses adds n generated courses, owned in turn by owners, in one
// transaction with one audit event: for `muster seed --scale` and
// benchmarks. Codes run XAA-0000, XAA-0001, ... after the generated codes
// already present; one course in twenty is a draft, the rest published.
func (s *Service) BulkCourses(ctx context.Context, actor access.Actor, owners []string, n int) (int, error) {
	if !actor.IsAdmin() {
		return 0, apperr.New(apperr.CodeForbidden)
	}
	if n <= 0 || len(owners) == 0 {
		return 0, nil
	}
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		var start int64
		if err := tx.Model(&Course{}).Where("code LIKE ?", "X%").Count(&start).Error; err != nil {
			return err
		}
		now := db.Now(tx, s.Clock)
		for from := 0; from < n; from += bulkBatch {
			courses := make([]Course, 0, min(bulkBatch, n-from))
			var langs []CourseLanguage
			for i := from; i < min(from+bulkBatch, n); i++ {
				k := int(start) + i
				code := bulkCode(k)
				title := fmt.Sprintf("%s %d", bulkTopics[k%len(bulkTopics)], k/len(bulkTopics)+1)
				summary := "A generated course for measuring the catalogue at scale: " + strings.ToLower(bulkTopics[k%len(bulkTopics)]) + "."
				status := StatusPublished
				if k%20 == 19 {
					status = StatusDraft
				}
				c := Course{ID: uuid.Must(uuid.NewV7()).String(), Code: code, OwnerAgencyID: owners[k%len(owners)], Title: title, Summary: summary,
					Discipline: Disciplines[k%len(Disciplines)], Level: Levels[k%len(Levels)], Delivery: Deliveries[k%len(Deliveries)],
					DurationHours: 8 + k%80, Status: status, Translations: Translations{}, SearchText: SearchText(code, title, summary, nil),
					CreatedAt: now, UpdatedAt: now}
				courses = append(courses, c)
				for _, l := range bulkLanguages[k%len(bulkLanguages)] {
					langs = append(langs, CourseLanguage{CourseID: c.ID, Language: l})
				}
			}
			if err := tx.Create(&courses).Error; err != nil {
				return err
			}
			if err := tx.Create(&langs).Error; err != nil {
				return err
			}
		}
		return audit.Record(tx, now, actor, audit.Entry{Action: "course.bulk_create", SubjectType: "course", SubjectID: bulkCode(int(start)),
			Details: map[string]any{"courses": n, "first": bulkCode(int(start)), "last": bulkCode(int(start) + n - 1)}})
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// bulkBatch is how many courses one INSERT carries.
const bulkBatch = 1000

// bulkCode is the k-th generated course code: X, two letters, four digits.
func bulkCode(k int) string {
	block := k / 10000
	return fmt.Sprintf("X%c%c-%04d", 'A'+byte(block/26%26), 'A'+byte(block%26), k%10000)
}
