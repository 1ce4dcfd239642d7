package i18n

import "testing"

func TestLocalized(t *testing.T) {
	persian := "مبارزه با مواد مخدر"
	english := "Counter-narcotics basics"
	all := Names{"en": "Counter-narcotics", "ru": "Борьба с наркотиками", "tg": "Мубориза бо маводи мухаддир", "fa": "مبارزه"}
	for _, tc := range []struct {
		name     string
		names    Names
		original string
		lang     string
		want     string
	}{
		{"own language first", all, persian, "tg", "Мубориза бо маводи мухаддир"},
		{"own language for fa", all, english, "fa", "مبارزه"},
		{"blank translation is none", Names{"tg": "  ", "ru": "Борьба"}, persian, "tg", "Борьба"},
		{"original in the reader's script", Names{"ru": "Борьба"}, "Курс таможни", "tg", "Курс таможни"},
		{"tg falls back to ru", Names{"ru": "Борьба", "en": "Fight"}, persian, "tg", "Борьба"},
		{"tg falls back to en after ru", Names{"en": "Fight"}, persian, "tg", "Fight"},
		{"tg keeps the original last", Names{"fa": "مبارزه"}, persian, "tg", persian},
		{"fa keeps the original before en", Names{"en": "Fight"}, english, "fa", english},
		{"fa original in Persian", Names{"en": "Fight"}, persian, "fa", persian},
		{"ru falls back to en", Names{"en": "Fight", "tg": "Мубориза"}, persian, "ru", "Fight"},
		{"ru skips tg", Names{"tg": "Мубориза"}, persian, "ru", persian},
		{"en original in Latin", Names{"ru": "Борьба"}, english, "en", english},
		{"en original in Persian, en translation", Names{"en": "Fight"}, persian, "en", "Fight"},
		{"no names at all", nil, english, "tg", english},
		{"no original", Names{"ru": "Борьба"}, "", "en", "Борьба"},
		{"unknown language reads as en", Names{"en": "Fight"}, persian, "de", "Fight"},
		{"mixed script counts letters", Names{"ru": "Борьба"}, "CN-101 Курс по борьбе", "tg", "CN-101 Курс по борьбе"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Localized(tc.names, tc.original, tc.lang); got != tc.want {
				t.Errorf("Localized(%v, %q, %q) = %q, want %q", tc.names, tc.original, tc.lang, got, tc.want)
			}
			if got := tc.names.In(tc.lang, tc.original); got != tc.want {
				t.Errorf("Names.In = %q, want %q", got, tc.want)
			}
		})
	}
}
