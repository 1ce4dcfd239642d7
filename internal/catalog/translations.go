package catalog

import (
	"database/sql/driver"

	"muster/internal/i18n"
	"muster/internal/plaintext"
)

// CourseText is a course's title, summary and description in one language.
type CourseText struct {
	Title       string `json:"title" validate:"notblank,max=200"`
	Summary     string `json:"summary,omitempty" validate:"max=500"`
	Description string `json:"description,omitempty" validate:"max=20000"`
}

// Translations are a course's texts by language ("fa", "ru", "tg", "en"),
// stored as one JSON column. The course's plain fields stay the default.
type Translations map[string]CourseText

// Title is the course title in lang, or fallback when there is none.
func (t Translations) Title(lang, fallback string) string {
	if tx, ok := t[lang]; ok && tx.Title != "" {
		return tx.Title
	}
	return fallback
}

// Scan reads the JSON column.
func (t *Translations) Scan(v any) error { return i18n.ScanObject("translations", v, t) }

// Value stores the translations as a JSON object, never null.
func (t Translations) Value() (driver.Value, error) { return i18n.ObjectValue(t) }

// normalized cleans every text and drops languages left without any, so
// an empty entry does not hide the default.
func (t Translations) normalized() Translations {
	out := Translations{}
	for lang, tx := range t {
		tx = CourseText{Title: plaintext.Line(tx.Title), Summary: plaintext.Line(tx.Summary), Description: plaintext.Block(tx.Description)}
		if tx != (CourseText{}) {
			out[lang] = tx
		}
	}
	return out
}
