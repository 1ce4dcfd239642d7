package catalog

import (
	"context"

	"gorm.io/gorm"
)

// reindexBatch is how many courses Reindex reads at a time.
const reindexBatch = 500

// Reindex recomputes every course's search text from its code, texts and
// translations, and writes the ones that differ: run after migrations, it
// brings courses saved before translations were searchable up to date,
// and changes nothing the second time. It answers how many it rewrote.
func (s *Service) Reindex(ctx context.Context) (int, error) {
	type row struct {
		ID, Code, Title, Summary, SearchText string
		Translations                         Translations
	}
	changed := 0
	after := ""
	for {
		var rows []row
		q := s.db(ctx).Model(&Course{}).Select("id, code, title, summary, search_text, translations")
		if after != "" {
			q = q.Where("id > ?", after)
		}
		err := q.Order("id").Limit(reindexBatch).Scan(&rows).Error
		if err != nil || len(rows) == 0 {
			return changed, err
		}
		err = s.db(ctx).Transaction(func(tx *gorm.DB) error {
			for _, r := range rows {
				text := SearchText(r.Code, r.Title, r.Summary, r.Translations)
				if text == r.SearchText {
					continue
				}
				if err := tx.Model(&Course{ID: r.ID}).Update("search_text", text).Error; err != nil {
					return err
				}
				changed++
			}
			return nil
		})
		if err != nil {
			return changed, err
		}
		after = rows[len(rows)-1].ID
	}
}
