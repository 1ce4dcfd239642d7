package catalog

import (
	"context"
	"sync"

	"muster/internal/i18n"
)

// Titles are every course's title and translated titles, by course id and
// by course code, so any page that names a course can show it in the
// reader's language.
type Titles map[string]courseTitles

type courseTitles struct {
	title string
	names i18n.Names
}

// In is the title of the course with id or code key in lang (by the rule
// of i18n.Localized), or fallback for a course not in the set.
func (t Titles) In(key, lang, fallback string) string {
	ct, ok := t[key]
	if !ok {
		return i18n.Localized(nil, fallback, lang)
	}
	return i18n.Localized(ct.names, ct.title, lang)
}

// titleCache keeps Titles under the catalogue version they were read at:
// a saved course moves the version (see Stamp), which drops the set in
// every process.
type titleCache struct {
	mu      sync.Mutex
	version int64
	titles  Titles
}

// Titles is every course's titles, read once per catalogue version.
func (s *Service) Titles(ctx context.Context) (Titles, error) {
	st, err := s.Stamp(ctx)
	if err != nil {
		return nil, err
	}
	s.titles.mu.Lock()
	defer s.titles.mu.Unlock()
	if s.titles.titles != nil && s.titles.version == st.Version {
		return s.titles.titles, nil
	}
	var rows []struct {
		ID, Code, Title string
		Translations    Translations
	}
	if err := s.db(ctx).Model(&Course{}).Select("id, code, title, translations").Scan(&rows).Error; err != nil {
		return nil, err
	}
	t := make(Titles, 2*len(rows))
	for _, r := range rows {
		ct := courseTitles{title: r.Title, names: r.Translations.Titles()}
		t[r.ID], t[r.Code] = ct, ct
	}
	s.titles.version, s.titles.titles = st.Version, t
	return t, nil
}

// textIn is a course's title, summary and description in lang, each from
// the language whose title the fallback rule picks.
func textIn(tr Translations, title, summary, description, lang string) CourseText {
	t, from := i18n.LocalizedFrom(tr.Titles(), title, lang)
	out := CourseText{Title: t, Summary: summary, Description: description}
	if tx, ok := tr[from]; ok && from != "" {
		if tx.Summary != "" {
			out.Summary = tx.Summary
		}
		if tx.Description != "" {
			out.Description = tx.Description
		}
	}
	return out
}

// Localize shows the course in lang: its title, summary and description
// translated where the fallback rule finds a translation.
func (c *Course) Localize(lang string) {
	tx := textIn(c.Translations, c.Title, c.Summary, c.Description, lang)
	c.Title, c.Summary, c.Description = tx.Title, tx.Summary, tx.Description
}

// Localize shows the listed course's title and summary in lang.
func (c *CourseSummary) Localize(lang string) {
	tx := textIn(c.Translations, c.Title, c.Summary, "", lang)
	c.Title, c.Summary = tx.Title, tx.Summary
}
