package catalog

import (
	"muster/internal/i18n"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestTagListsMatch keeps the oneof lists of the validate tags equal to the
// exported lists the pages and the database CHECKs are built from.
func TestTagListsMatch(t *testing.T) {
	for _, tc := range []struct {
		typ   reflect.Type
		field string
		want  []string
	}{
		{reflect.TypeFor[CourseInput](), "Discipline", Disciplines},
		{reflect.TypeFor[CourseInput](), "Level", Levels},
		{reflect.TypeFor[CourseInput](), "Delivery", Deliveries},
		{reflect.TypeFor[CourseInput](), "Languages", Languages},
		{reflect.TypeFor[CourseInput](), "Status", Statuses},
		{reflect.TypeFor[Query](), "Discipline", Disciplines},
		{reflect.TypeFor[Query](), "Level", Levels},
		{reflect.TypeFor[Query](), "Delivery", Deliveries},
		{reflect.TypeFor[Query](), "Language", Languages},
		{reflect.TypeFor[Query](), "Status", Statuses},
	} {
		f, _ := tc.typ.FieldByName(tc.field)
		_, list, ok := strings.Cut(f.Tag.Get("validate"), "oneof=")
		if !ok {
			t.Fatalf("%s.%s has no oneof", tc.typ.Name(), tc.field)
		}
		got, want := strings.Fields(list), slices.Sorted(slices.Values(tc.want))
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s.%s oneof %v, want %v", tc.typ.Name(), tc.field, got, want)
		}
	}
}

func TestFoldSearch(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"  CN-101 ", "cn-101"},
		{"Охрана  ГРАНИЦ\n", "охрана границ"},
		{"Ёлка", "елка"},
		{"Ҷиноятҳои МУТАШАККИЛ", "ҷиноятҳои муташаккил"},
		{"علي كريمي", "علی کریمی"},
		{"می‌شود", "میشود"},
		{"قاچـــاق", "قاچاق"},
		{"دوره ۱۰۱ و ١٠٢", "دوره 101 و 102"},
		{"مُحَمَّد", "محمد"},
		{"\ufee1\ufeae\ufeb0", "مرز"}, // presentation forms, as pasted from PDFs
		{"bad\xffutf8", "badutf8"},
	} {
		if got := FoldSearch(tc.in); got != tc.want {
			t.Errorf("FoldSearch(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := likePattern(`50%_\x`); got != `%50\%\_\\x%` {
		t.Errorf("likePattern = %q", got)
	}
}

func TestPatchLeavesCallerInput(t *testing.T) {
	langs := []string{"FA", "ru"}
	p := CoursePatch{Languages: &langs}
	var in CourseInput
	p.applyTo(&in)
	in.normalize()
	if langs[0] != "FA" || in.Languages[0] != "fa" {
		t.Fatalf("caller's %v, normalised %v", langs, in.Languages)
	}
	full := input("cn-101").Patch()
	if full.OwnerAgencyID != nil || *full.Code != "cn-101" || len(*full.Languages) != 2 {
		t.Fatalf("patch from input %+v", full)
	}
}

// TestMessagesListed checks that every key this package introduces is in
// each language's catalog, so none reaches a user untranslated.
func TestMessagesListed(t *testing.T) {
	want := []string{KeyCodeFormat, KeyCodeTaken, KeyUnknownPrerequisites, KeyPrerequisiteCycle,
		KeyPrerequisiteDraft, KeyStatusTransition, KeyUnknownAgency, KeyOwnerAgencyNotAllowed}
	for _, group := range []struct {
		prefix string
		names  []string
	}{{"discipline.", Disciplines}, {"level.", Levels}, {"delivery.", Deliveries}, {"course.status.", Statuses}, {"language.", Languages}} {
		for _, n := range group.names {
			want = append(want, group.prefix+n)
		}
	}
	for _, lang := range []string{"en", "ru", "tg", "fa"} {
		keys, err := i18n.Keys(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range want {
			if !keys[k] {
				t.Errorf("%s catalog lacks %s", lang, k)
			}
		}
	}
}
