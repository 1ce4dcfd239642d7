package catalog

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"muster/internal/access"
	"muster/internal/db/dbtest"
	"muster/internal/paging"
)

// benchCourses is the size of the catalogue the search is measured on.
const benchCourses = 10_000

// BenchmarkCatalogSearch measures one catalogue page on PostgreSQL: a
// coordinator's view (published plus own drafts), a Cyrillic search term and
// discipline and language filters, over 10,000 courses.
func BenchmarkCatalogSearch(b *testing.B) {
	gdb := dbtest.Postgres(b)
	agencies := [2]string{addAgency(b, gdb, "Police Drug Control HQ", "PDC", "IR"), addAgency(b, gdb, "Drug Control Agency", "DCA", "TJ")}
	start := time.Now()
	seedBench(b, gdb, agencies)
	seedMS := float64(time.Since(start).Milliseconds())
	// VACUUM also moves the fresh rows out of the GIN index's pending list,
	// as autovacuum does on a live catalogue.
	for _, table := range []string{"courses", "course_languages"} {
		if err := gdb.Exec("VACUUM ANALYZE " + table).Error; err != nil {
			b.Fatal(err)
		}
	}
	trgm := trigramIndexUsed(b, gdb)

	svc := &Service{DB: gdb}
	coordinator := access.Actor{UserID: uuid.NewString(), AgencyID: agencies[0], Roles: []string{access.Coordinator}}
	q := Query{Q: "ГРАНИЦ", Discipline: "border_security", Language: "ru", Params: paging.Params{Page: 2, PerPage: 25}}
	ctx := context.Background()
	var page paging.Page[CourseSummary]
	for b.Loop() {
		var err error
		if page, err = svc.Search(ctx, coordinator, q); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if len(page.Items) == 0 {
		b.Fatalf("the measured query found nothing (total %d): the benchmark would measure an empty page", page.Total)
	}
	// Reported after the loop: b.Loop resets metrics reported before it.
	b.ReportMetric(float64(page.Total), "matches")
	b.ReportMetric(seedMS, "seed-ms")
	b.ReportMetric(trgm, "trgm-index-used")
}

// seedBench inserts benchCourses courses with one to three languages each in
// batches, bypassing the service: the benchmark measures reading.
func seedBench(b *testing.B, gdb *gorm.DB, agencies [2]string) {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	words := [][]string{
		{"Охрана", "Контроль", "Основы", "Расследование", "Анализ", "مبانی", "تحلیل", "کنترل", "Advanced", "Introduction to", "Management of"},
		{"границ", "наркотиков", "терроризма", "مرزها", "مواد مخدر", "قاچاق", "border crossings", "drug markets", "evidence", "networks"},
		{"в горной местности", "на пунктах пропуска", "در مناطق کوهستانی", "for investigators", "for commanders", ""},
	}
	levels, deliveries, statuses := Levels, Deliveries, []string{StatusPublished, StatusPublished, StatusPublished, StatusDraft, StatusArchived}
	now := time.Now().UTC()
	courses := make([]Course, 0, benchCourses)
	langs := make([]CourseLanguage, 0, 2*benchCourses)
	for i := range benchCourses {
		title := strings.TrimSpace(fmt.Sprintf("%s %s %s", pick(rng, words[0]), pick(rng, words[1]), pick(rng, words[2])))
		summary := fmt.Sprintf("Course %d of the benchmark catalogue: %s.", i, pick(rng, words[1]))
		c := Course{
			ID: uuid.Must(uuid.NewV7()).String(), Code: fmt.Sprintf("B%c-%04d", 'A'+i%26, i), OwnerAgencyID: agencies[i%2],
			Title: title, Summary: summary, Discipline: Disciplines[rng.IntN(len(Disciplines))],
			Level: pick(rng, levels), Delivery: pick(rng, deliveries), DurationHours: 1 + rng.IntN(200),
			PassMark: 60, MinAttendancePercent: 80, ValidityMonths: 24, Status: pick(rng, statuses),
			CreatedAt: now, UpdatedAt: now,
		}
		c.SearchText = SearchText(c.Code, c.Title, c.Summary)
		courses = append(courses, c)
		for _, l := range rng.Perm(len(Languages))[:1+rng.IntN(3)] {
			langs = append(langs, CourseLanguage{CourseID: c.ID, Language: Languages[l]})
		}
	}
	// ru on a third of the courses, as in the region's real catalogues.
	for i := 0; i < len(courses); i += 3 {
		langs = append(langs, CourseLanguage{CourseID: courses[i].ID, Language: "ru"})
	}
	err := gdb.Transaction(func(tx *gorm.DB) error {
		if err := tx.CreateInBatches(courses, 1000).Error; err != nil {
			return err
		}
		return tx.Clauses(onConflictNothing).CreateInBatches(langs, 5000).Error
	})
	if err != nil {
		b.Fatalf("seed benchmark catalogue: %v", err)
	}
}

func pick[T any](rng *rand.Rand, list []T) T { return list[rng.IntN(len(list))] }

// trigramIndexUsed reports 1 when PostgreSQL plans a selective catalogue
// search (one course matches) with the trigram index, else 0. For common
// terms the planner rightly prefers the btree indexes.
func trigramIndexUsed(b *testing.B, gdb *gorm.DB) float64 {
	b.Helper()
	var plan []string
	err := gdb.Raw(`EXPLAIN SELECT id FROM courses WHERE status = 'published' AND search_text LIKE ? ESCAPE '\' ORDER BY code LIMIT 25`,
		likePattern(FoldSearch("Course 4242 of"))).Scan(&plan).Error
	if err != nil {
		b.Fatal(err)
	}
	if strings.Contains(strings.Join(plan, "\n"), "courses_search_trgm_idx") {
		return 1
	}
	b.Logf("plan without the trigram index:\n%s", strings.Join(plan, "\n"))
	return 0
}

// onConflictNothing skips the duplicate "ru" rows the seeding adds.
var onConflictNothing = clause.OnConflict{DoNothing: true}
