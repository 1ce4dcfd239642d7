package web

import (
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
	"muster/internal/cohort"
)

// weekData is a week of sessions laid out day by day, Monday first (Saturday
// first in Persian, as Iranian weeks start), times in one zone.
type weekData struct {
	Heading    string // the cohort's code or the person's name
	Back       string // the page the week view extends
	Zone       string
	Start      time.Time
	Days       []weekDay
	Prev, Next string // the neighbouring weeks' links
}

// weekDay is one day column of a week.
type weekDay struct {
	Day     time.Time
	Weekday string // message key suffix: "monday"
	Today   bool
	Items   []weekItem
}

// weekItem is one session in a week.
type weekItem struct {
	Start, End time.Time
	Clock      string // "09:00–12:00" in the week's zone
	Title      string
	Detail     string
	Href       string
	Cancelled  bool
}

// weekStart is the first day of the week holding day: Monday, or Saturday
// in Persian.
func weekStart(day time.Time, lang string) time.Time {
	first := time.Monday
	if lang == "fa" {
		first = time.Saturday
	}
	back := (int(day.Weekday()) - int(first) + 7) % 7
	y, m, d := day.AddDate(0, 0, -back).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, day.Location())
}

// chosenWeek reads ?week=YYYY-MM-DD in loc, else the week of fallback. A
// value that is no day, or one in a year whose neighbouring weeks could not
// be linked as days, is refused rather than shown as another week.
func chosenWeek(c *gin.Context, loc *time.Location, fallback time.Time, lang string) (time.Time, error) {
	day := fallback.In(loc)
	if raw := c.Query("week"); raw != "" {
		w, err := time.ParseInLocation(cohort.DateLayout, raw, loc)
		if err != nil || w.Year() < 1000 || w.Year() > 9998 {
			return time.Time{}, apperr.Invalid(apperr.Field("week", cohort.KeyDate, "Example", "2026-05-10"))
		}
		day = w
	}
	return weekStart(day, lang), nil
}

// newWeek lays items out over the seven days from start (midnight in its
// zone); items outside the week are left out.
func newWeek(start, now time.Time, base string, items []weekItem) weekData {
	loc := start.Location()
	w := weekData{Zone: loc.String(), Start: start,
		Prev: base + "?week=" + start.AddDate(0, 0, -7).Format(cohort.DateLayout),
		Next: base + "?week=" + start.AddDate(0, 0, 7).Format(cohort.DateLayout)}
	today := now.In(loc).Format(cohort.DateLayout)
	for i := range 7 {
		day := start.AddDate(0, 0, i)
		w.Days = append(w.Days, weekDay{Day: day, Weekday: strings.ToLower(day.Weekday().String()), Today: day.Format(cohort.DateLayout) == today})
	}
	end := start.AddDate(0, 0, 7)
	for _, it := range items {
		st := it.Start.In(loc)
		if st.Before(start) || !st.Before(end) {
			continue
		}
		i := int(time.Date(st.Year(), st.Month(), st.Day(), 0, 0, 0, 0, time.UTC).Sub(time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)).Hours() / 24)
		it.Clock = st.Format("15:04") + "–" + it.End.In(loc).Format("15:04")
		w.Days[i].Items = append(w.Days[i].Items, it)
	}
	return w
}
