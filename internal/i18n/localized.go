package i18n

import (
	"strings"
	"unicode"
)

// Localized is a name in the reader's language by muster's one fallback
// rule: the reader's language; else the original when it is written in the
// reader's script; else, for Tajik, Russian then English (Cyrillic first);
// for Persian, the original; for the others English; else the original.
func Localized(names Names, original, lang string) string {
	s, _ := LocalizedFrom(names, original, lang)
	return s
}

// LocalizedFrom is Localized that also says which language's name it chose
// ("" for the original), so texts that go with a name (a course's summary
// beside its title) can be taken from the same language.
func LocalizedFrom(names Names, original, lang string) (string, string) {
	pick := func(l string) string { return strings.TrimSpace(names[l]) }
	if s := pick(lang); s != "" {
		return s, lang
	}
	if original != "" && scriptOf(original) == langScript(lang) {
		return original, ""
	}
	switch lang {
	case "tg":
		for _, l := range []string{"ru", "en"} {
			if s := pick(l); s != "" {
				return s, l
			}
		}
	case "fa":
		if original != "" {
			return original, ""
		}
	default:
		if s := pick("en"); s != "" {
			return s, "en"
		}
	}
	if original != "" {
		return original, ""
	}
	for _, l := range Languages { // no original: any name beats none
		if s := pick(l); s != "" {
			return s, l
		}
	}
	return "", ""
}

// langScript is the script a language is written in.
func langScript(lang string) *unicode.RangeTable {
	switch lang {
	case "ru", "tg":
		return unicode.Cyrillic
	case "fa":
		return unicode.Arabic
	}
	return unicode.Latin
}

// scriptOf is the script most of s's letters are in (nil with no letters
// of muster's scripts).
func scriptOf(s string) *unicode.RangeTable {
	var best *unicode.RangeTable
	bestN := 0
	for _, t := range []*unicode.RangeTable{unicode.Latin, unicode.Cyrillic, unicode.Arabic} {
		n := 0
		for _, r := range s {
			if unicode.Is(t, r) {
				n++
			}
		}
		if n > bestN {
			best, bestN = t, n
		}
	}
	return best
}
