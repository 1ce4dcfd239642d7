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

// Title is the course title in lang by the fallback rule of
// i18n.Localized, with original the course's plain title.
func (t Translations) Title(lang, original string) string {
	return i18n.Localized(t.Titles(), original, lang)
}

// Titles are the translated titles by language.
func (t Translations) Titles() i18n.Names {
	n := make(i18n.Names, len(t))
	for lang, tx := range t {
		if tx.Title != "" {
			n[lang] = tx.Title
		}
	}
	return n
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
