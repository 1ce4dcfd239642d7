package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestCatalogsHaveTheSameKeys fails when a catalog lacks a key English has,
// or has a key English lacks.
func TestCatalogsHaveTheSameKeys(t *testing.T) {
	en, err := Keys("en")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Languages[1:] {
		keys, err := Keys(lang)
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		var missing, extra []string
		for k := range en {
			if !keys[k] {
				missing = append(missing, k)
			}
		}
		for k := range keys {
			if !en[k] {
				extra = append(extra, k)
			}
		}
		sort.Strings(missing)
		sort.Strings(extra)
		if len(missing) > 0 {
			t.Errorf("%s catalog lacks %d keys: %s", lang, len(missing), strings.Join(missing, ", "))
		}
		if len(extra) > 0 {
			t.Errorf("%s catalog has %d keys English lacks: %s", lang, len(extra), strings.Join(extra, ", "))
		}
	}
}

// TestEveryUsedKeyExists scans templates and Go sources for message keys and
// checks English has each, so a typo in a key cannot reach a page.
func TestEveryUsedKeyExists(t *testing.T) {
	en, err := Keys("en")
	if err != nil {
		t.Fatal(err)
	}
	patterns := []*regexp.Regexp{
		regexp.MustCompile(`\.T "([a-z0-9_.]+)"`),
		regexp.MustCompile(`"label" "([a-z0-9_.]+)"`),
		regexp.MustCompile(`apperr\.Field\([^,]+, "([a-z0-9_.]+)"`),
		regexp.MustCompile(`cell\([^,]+, [^,]+, "([a-z0-9_.]+)"`),
		regexp.MustCompile(`Key: +"([a-z0-9_.]+)"`),
		regexp.MustCompile(`s\.view\(c, "([a-z0-9_.]+)"`),
		regexp.MustCompile(`userFormView\(c, "([a-z0-9_.]+)"`),
		regexp.MustCompile(`flash\(c, "[a-z]+", "([a-z0-9_.]+)"`),
	}
	root := filepath.Join("..", "..")
	used := map[string]string{}
	for _, dir := range []string{"templates", "internal"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") {
				return err
			}
			if !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".html") {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, re := range patterns {
				for _, m := range re.FindAllStringSubmatch(string(b), -1) {
					used[m[1]] = path
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(used) < 50 {
		t.Fatalf("found only %d keys in use: the scan is broken", len(used))
	}
	for k, path := range used {
		if !en[k] {
			t.Errorf("%s uses key %q that the English catalog lacks", path, k)
		}
	}
}

func TestMatchAndDirection(t *testing.T) {
	c := MustLoad()
	for header, want := range map[string]string{
		"fa-IR,fa;q=0.9,en;q=0.5": "fa", "ru-RU": "ru", "tg": "tg", "de-DE": "en", "": "en", "en-GB,ru;q=0.8": "en",
	} {
		if got := c.Match(header); got != want {
			t.Errorf("Match(%q) = %s, want %s", header, got, want)
		}
	}
	if Dir("fa") != "rtl" || Dir("tg") != "ltr" {
		t.Error("wrong text direction")
	}
	if got := c.For("en").T("common.results", "Count", 1); got != "1 result" {
		t.Errorf("plural one: %q", got)
	}
	if got := c.For("en").T("common.results", "Count", 5); got != "5 results" {
		t.Errorf("plural other: %q", got)
	}
	if NormalizeDigits("۱۲۳٤") != "1234" {
		t.Error("digits not normalised")
	}
}
