// Package i18n holds muster's message catalogs (English, Russian, Tajik and
// Persian) and picks a language for each request.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"log/slog"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"muster/internal/calendar"
)

//go:embed locales/*.json
var locales embed.FS

// Languages muster speaks, English first as the fallback.
var Languages = []string{"en", "ru", "tg", "fa"}

// Default is the language used when nothing else matches.
const Default = "en"

// Catalog holds every language's messages.
type Catalog struct {
	bundle  *goi18n.Bundle
	matcher language.Matcher
	cache   map[string]*Localizer
}

// Load reads the embedded catalogs.
func Load() (*Catalog, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	tags := make([]language.Tag, 0, len(Languages))
	for _, l := range Languages {
		if _, err := b.LoadMessageFileFS(locales, "locales/"+l+".json"); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", l, err)
		}
		tags = append(tags, language.MustParse(l))
	}
	c := &Catalog{bundle: b, matcher: language.NewMatcher(tags), cache: map[string]*Localizer{}}
	for _, l := range Languages {
		c.cache[l] = &Localizer{Lang: l, l: goi18n.NewLocalizer(b, l)}
	}
	return c, nil
}

// MustLoad is Load for program start and tests.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Supported reports whether lang is one of Languages.
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Match picks the best supported language for an Accept-Language header.
func (c *Catalog) Match(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, idx, conf := c.matcher.Match(tags...)
	if conf == language.No {
		return Default
	}
	return Languages[idx]
}

// For returns the localizer of lang, or English for an unknown language.
func (c *Catalog) For(lang string) *Localizer {
	if l, ok := c.cache[lang]; ok {
		return l
	}
	return c.cache[Default]
}

// Localizer translates messages into one language.
type Localizer struct {
	Lang string
	l    *goi18n.Localizer
}

// T translates key. Arguments come as name/value pairs; a pair named "Count"
// selects the plural form.
func (l *Localizer) T(key string, kv ...any) string {
	data := map[string]any{}
	var count any
	for i := 0; i+1 < len(kv); i += 2 {
		name := fmt.Sprint(kv[i])
		data[name] = kv[i+1]
		if name == "Count" {
			count = kv[i+1]
		}
	}
	return l.TMap(key, data, count)
}

// TMap translates key with a data map, as apperr arguments carry them.
func (l *Localizer) TMap(key string, data map[string]any, count any) string {
	if count == nil {
		count = data["Count"]
	}
	msg, err := l.l.Localize(&goi18n.LocalizeConfig{MessageID: key, TemplateData: data, PluralCount: count})
	if err != nil {
		slog.Warn("missing translation", "lang", l.Lang, "key", key, "err", err)
		if msg != "" {
			return msg
		}
		return key
	}
	return msg
}

// Lookup translates key with data, and reports false, without a warning,
// when no catalog has the key: for messages that have a fallback of their own.
func (l *Localizer) Lookup(key string, data map[string]any) (string, bool) {
	msg, err := l.l.Localize(&goi18n.LocalizeConfig{MessageID: key, TemplateData: data})
	if err != nil && msg == "" {
		return "", false
	}
	return msg, true
}

// Dir is the text direction of the language: "rtl" for Persian, else "ltr".
func (l *Localizer) Dir() string { return Dir(l.Lang) }

// Dir is the text direction of lang.
func Dir(lang string) string {
	if lang == "fa" {
		return "rtl"
	}
	return "ltr"
}

// Keys returns every message id of lang's catalog file, for completeness tests.
func Keys(lang string) (map[string]bool, error) {
	b, err := locales.ReadFile("locales/" + lang + ".json")
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	keys := make(map[string]bool, len(m))
	for k := range m {
		keys[k] = true
	}
	return keys, nil
}

// NormalizeDigits maps Persian and Arabic-Indic digits to ASCII, so numbers
// typed on a Persian keyboard are read as numbers.
func NormalizeDigits(s string) string { return calendar.ASCIIDigits(s) }
