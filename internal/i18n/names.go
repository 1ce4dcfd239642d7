package i18n

import (
	"database/sql/driver"
)

// Names are a name per language ("fa", "ru", "tg", "en"), stored as one
// JSON column beside the plain name, which stays the default.
type Names map[string]string

// In is the name in lang by the fallback rule of Localized, with
// original the plain (default) name.
func (n Names) In(lang, original string) string { return Localized(n, original, lang) }

// Scan reads the JSON column.
func (n *Names) Scan(v any) error { return ScanObject("names", v, n) }

// Value stores the names as a JSON object, never null.
func (n Names) Value() (driver.Value, error) { return ObjectValue(n) }

// Normalized cleans every name with clean and drops empty ones, so an empty
// entry does not hide the default.
func (n Names) Normalized(clean func(string) string) Names {
	out := Names{}
	for lang, s := range n {
		if s = clean(s); s != "" {
			out[lang] = s
		}
	}
	return out
}
