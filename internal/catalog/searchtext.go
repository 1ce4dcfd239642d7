package catalog

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"muster/internal/i18n"
)

// SearchText is what the catalogue search matches against: code, title and
// summary, and the title and summary of every translation, folded by
// FoldSearch, one per line (a folded query has no line break, so it never
// matches across two fields). A text written with zero-width non-joiners
// is also stored with spaces in their place, because people type
// "شبکه‌های" as "شبکههای" and as "شبکه های".
func SearchText(code, title, summary string, tr Translations) string {
	parts := []string{FoldSearch(code), FoldSearch(title), FoldSearch(summary)}
	texts := []string{title, summary}
	for _, lang := range i18n.Languages { // a fixed order keeps the text stable
		if tx, ok := tr[lang]; ok {
			for _, s := range []string{tx.Title, tx.Summary} {
				if s != "" {
					parts = append(parts, FoldSearch(s))
					texts = append(texts, s)
				}
			}
		}
	}
	for _, s := range texts {
		if strings.ContainsRune(s, zwnj) {
			parts = append(parts, FoldSearch(strings.ReplaceAll(s, string(zwnj), " ")))
		}
	}
	return strings.Join(parts, "\n")
}

const zwnj = '\u200c' // zero-width non-joiner

// FoldSearch folds text so that the spellings people actually type match:
// lower case in every script; Arabic-keyboard Persian letters (ي ك ى ة) as
// their Persian forms; Persian and Arabic digits as ASCII; no tatweel,
// diacritics, zero-width joiners or non-joiners; ё as е; runs of space as
// one. Stored text and queries go through the same function.
func FoldSearch(s string) string {
	// NFKC first: presentation forms (from PDFs) become ordinary letters.
	s = norm.NFKC.String(strings.ToValidUTF8(s, ""))
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		r = foldRune(r)
		switch {
		case r < 0:
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldRune maps one rune, or returns -1 to drop it.
func foldRune(r rune) rune {
	switch {
	case r == 'ي' || r == 'ى' || r == 'ئ': // Arabic yeh forms → Persian yeh
		return 'ی'
	case r == 'ك':
		return 'ک'
	case r == 'ة' || r == 'ۀ':
		return 'ه'
	case r == 'أ' || r == 'إ' || r == 'ٱ':
		return 'ا'
	case r == 'ؤ':
		return 'و'
	case r >= '۰' && r <= '۹':
		return '0' + (r - '۰')
	case r >= '٠' && r <= '٩':
		return '0' + (r - '٠')
	case r == 'ـ', r == '\u200c', r == '\u200d', r == '\u200b', r == '\u200f', r == '\u200e', r == '\ufeff':
		return -1 // tatweel, zero-width (non-)joiners and marks: writers use them inconsistently
	case r >= '\u064b' && r <= '\u065f', r == '\u0670':
		return -1 // Arabic diacritics (harakat), rarely typed in queries
	case r == 'ё' || r == 'Ё':
		return 'е'
	}
	return unicode.ToLower(r)
}

// likePattern turns a folded query into a LIKE pattern for a substring
// match, with the wildcard characters of the user's text escaped by '\'.
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(q) + "%"
}
