package cohort

import (
	"time"

	"gorm.io/gorm"

	"muster/internal/apperr"
	"muster/internal/validate"
)

// series expands a session with Repeat into its sessions, at the same
// wall-clock times in the cohort's zone on each day; without Repeat it is
// the session alone. Times that do not parse are left to place to report.
func (s *Service) series(tx *gorm.DB, c *Cohort, in SessionInput) ([]SessionInput, error) {
	if in.Repeat == nil {
		return []SessionInput{in}, nil
	}
	var fields []apperr.FieldError
	for _, f := range fieldsOf(validate.Struct(*in.Repeat)) {
		f.Field = "repeat." + f.Field
		fields = append(fields, f)
	}
	if len(fields) > 0 {
		return nil, apperr.Invalid(fields...)
	}
	loc := ZoneOf(c.TimeZone)
	starts, okStart, _ := instantField("starts_at", in.StartsAt, loc)
	ends, okEnd, _ := instantField("ends_at", in.EndsAt, loc)
	if !okStart || !okEnd {
		return []SessionInput{in}, nil
	}
	weekend := map[time.Weekday]bool{}
	if in.SkipWeekends && in.Repeat.Every == "day" {
		var country string
		if err := tx.Table("agencies").Select("country").Where("id = ?", c.HostAgencyID).Scan(&country).Error; err != nil {
			return nil, err
		}
		weekend = WeekendOf(country)
	}
	step := 1
	if in.Repeat.Every == "week" {
		step = 7
	}
	st, en := starts.In(loc), ends.In(loc)
	out := make([]SessionInput, 0, in.Repeat.Count)
	for d := 0; len(out) < in.Repeat.Count && d <= step*in.Repeat.Count*3; d += step {
		day := st.AddDate(0, 0, d)
		if weekend[day.Weekday()] {
			continue
		}
		one := in
		one.Repeat = nil
		one.StartsAt = wallClock(st, d, loc).Format(time.RFC3339)
		one.EndsAt = wallClock(en, d, loc).Format(time.RFC3339)
		out = append(out, one)
	}
	return out, nil
}

// wallClock is t's wall-clock time d days later in loc, so a series keeps
// its hours across a change of offset.
func wallClock(t time.Time, d int, loc *time.Location) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day()+d, t.Hour(), t.Minute(), 0, 0, loc)
}

// WeekendOf is the weekend of a country's working week: Friday in Iran
// and Afghanistan, Saturday and Sunday elsewhere (Tajikistan, Russia, ...).
func WeekendOf(country string) map[time.Weekday]bool {
	switch country {
	case "IR":
		return map[time.Weekday]bool{time.Friday: true}
	case "AF":
		return map[time.Weekday]bool{time.Friday: true, time.Saturday: true}
	}
	return map[time.Weekday]bool{time.Saturday: true, time.Sunday: true}
}
