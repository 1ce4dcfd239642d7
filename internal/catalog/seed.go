package catalog

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/db"
)

// SeedDemo fills an empty catalogue with demonstration courses owned by the
// two demo agencies (agencyIDs[0] the Iranian, agencyIDs[1] the Tajik one)
// and returns how many it created. It goes through the same rules as Create,
// in one transaction, audited as the system; a catalogue that already has
// courses is left alone.
func (s *Service) SeedDemo(ctx context.Context, agencyIDs [2]string) (int, error) {
	n := 0
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		var existing int64
		if err := tx.Model(&Course{}).Count(&existing).Error; err != nil {
			return err
		}
		if existing > 0 {
			return nil
		}
		for _, d := range demoCourses() {
			in := d.in
			in.OwnerAgencyID = agencyIDs[d.owner]
			if _, err := s.create(tx, access.System(), in); err != nil {
				return fmt.Errorf("demo course %s: %w", in.Code, err)
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// demoCourse is a demonstration course and the index of its owning agency.
type demoCourse struct {
	owner int
	in    CourseInput
}

// demo builds a published demonstration course. langs and prereqs are
// space-separated; the assessment settings are the usual ones for the level.
func demo(owner int, code, discipline, level, delivery string, hours int, langs, prereqs, title, summary string) demoCourse {
	in := CourseInput{
		Code: code, Title: title, Summary: summary, Description: demoDescriptions[code],
		Discipline: discipline, Level: level, Delivery: delivery, DurationHours: hours,
		Languages: strings.Fields(langs), Prerequisites: strings.Fields(prereqs),
		PassMark: 60, MinAttendancePercent: 80, ValidityMonths: 36, Status: StatusPublished,
	}
	switch level {
	case "intermediate":
		in.PassMark, in.ValidityMonths = 70, 24
	case "advanced":
		in.PassMark, in.MinAttendancePercent, in.ValidityMonths = 75, 90, 24
	}
	if discipline == "language" {
		in.ValidityMonths = 0 // language skills are not re-certified
	}
	return demoCourse{owner: owner, in: in}
}

// withStatus returns d with another status.
func (d demoCourse) withStatus(status string) demoCourse {
	d.in.Status = status
	return d
}
