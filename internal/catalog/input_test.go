package catalog

import (
	"os"
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

// TestMessagesListed checks that messages_en.txt names every key this
// package introduces, so none reaches a user untranslated.
func TestMessagesListed(t *testing.T) {
	raw, err := os.ReadFile("messages_en.txt")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for i, line := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
		key, text, ok := strings.Cut(line, "\t")
		if !ok || key == "" || text == "" || listed[key] {
			t.Fatalf("line %d %q: want one new key, a tab and its text", i+1, line)
		}
		listed[key] = true
	}
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
	for _, k := range want {
		if !listed[k] {
			t.Errorf("messages_en.txt lacks %s", k)
		}
	}
	if len(listed) != len(want) {
		t.Errorf("messages_en.txt has %d keys, the package uses %d", len(listed), len(want))
	}
}
