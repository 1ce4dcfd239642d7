package cohort

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
	"muster/internal/validate"
)

// QuotaInput is one agency's seats in PUT /api/v1/cohorts/{id}/quotas.
type QuotaInput struct {
	AgencyID string `json:"agency_id" form:"agency_id" validate:"required,uuid"`
	Seats    int    `json:"seats" form:"seats" validate:"min=0,max=10000"`
}

// QuotasInput replaces a cohort's quotas; an empty list opens the cohort to
// every agency up to its capacity.
type QuotasInput struct {
	Quotas []QuotaInput `json:"quotas" validate:"required,max=50,dive"`
}

// SetQuotas replaces the quotas of cohort id. Each agency's seats taken are
// counted again from its enrolled trainees; a quota below them, or removing
// an agency that holds seats, is refused, and the quotas never add up to
// more than the capacity. Raising a quota tells the seat watcher, which may
// promote waitlisted trainees in the same transaction.
func (s *Service) SetQuotas(ctx context.Context, actor access.Actor, id string, in QuotasInput) ([]Quota, error) {
	for i := range in.Quotas {
		in.Quotas[i].AgencyID = strings.ToLower(strings.TrimSpace(in.Quotas[i].AgencyID))
	}
	var out []Quota
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		c, err := Managed(tx, actor, id)
		if err != nil {
			return err
		}
		if err := checkQuotaInput(tx, in); err != nil {
			return err
		}
		taken, err := enrolledByAgency(tx, c.ID)
		if err != nil {
			return err
		}
		var before []Quota
		if err := tx.Where("cohort_id = ?", c.ID).Order("agency_id").Find(&before).Error; err != nil {
			return err
		}
		next, freed, err := nextQuotas(tx, c, before, in, taken)
		if err != nil {
			return err
		}
		if err := tx.Where("cohort_id = ?", c.ID).Delete(&Quota{}).Error; err != nil {
			return err
		}
		if len(next) > 0 {
			if err := tx.Create(&next).Error; err != nil {
				return err
			}
		}
		total := 0
		for _, n := range taken {
			total += n
		}
		now := db.Now(tx, s.Clock)
		if err := tx.Model(&Cohort{ID: c.ID}).Updates(map[string]any{"seats_taken": total, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := audit.Record(tx, now, actor, audit.Entry{Action: "cohort.quotas", SubjectType: "cohort", SubjectID: c.ID,
			AgencyID: c.HostAgencyID, Details: map[string]any{"before": before, "after": next}}); err != nil {
			return err
		}
		out = next
		if freed {
			return s.seatsFreed(ctx, tx, actor, c.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []Quota{}
	}
	return out, nil
}

// checkQuotaInput validates the list: known agencies, each once.
func checkQuotaInput(tx *gorm.DB, in QuotasInput) error {
	fields := fieldsOf(validate.Struct(in))
	seen := map[string]bool{}
	for i, q := range in.Quotas {
		field := "quotas[" + itoa(i) + "].agency_id"
		if hasField(fields, field) {
			continue
		}
		if seen[q.AgencyID] {
			fields = append(fields, apperr.Field(field, "validation.unique"))
			continue
		}
		seen[q.AgencyID] = true
		ok, err := agencyExists(tx, q.AgencyID)
		if err != nil {
			return err
		}
		if !ok {
			fields = append(fields, apperr.Field(field, KeyAgencyUnknown))
		}
	}
	if len(fields) > 0 {
		return apperr.Invalid(fields...)
	}
	return nil
}

// nextQuotas applies the seat arithmetic and says whether room was added.
func nextQuotas(tx *gorm.DB, c *Cohort, before []Quota, in QuotasInput, taken map[string]int) ([]Quota, bool, error) {
	old := map[string]int{}
	for _, q := range before {
		old[q.AgencyID] = q.Seats
	}
	sum, freed := 0, len(before) > 0 && len(in.Quotas) == 0 // no quotas: every agency may fill the rest
	next := make([]Quota, 0, len(in.Quotas))
	listed := map[string]bool{}
	for _, q := range in.Quotas {
		listed[q.AgencyID] = true
		if q.Seats < taken[q.AgencyID] {
			return nil, false, apperr.New(CodeQuotaBelowTaken).WithArgs("Agency", agencyName(tx, q.AgencyID), "Taken", taken[q.AgencyID], "Seats", q.Seats)
		}
		if seats, had := old[q.AgencyID]; !had || q.Seats > seats {
			freed = true
		}
		sum += q.Seats
		next = append(next, Quota{CohortID: c.ID, AgencyID: q.AgencyID, Seats: q.Seats, SeatsTaken: taken[q.AgencyID]})
	}
	if len(in.Quotas) > 0 {
		for agency, n := range taken {
			if n > 0 && !listed[agency] {
				return nil, false, apperr.New(CodeQuotaHoldsSeats).WithArgs("Agency", agencyName(tx, agency), "Taken", n)
			}
		}
	}
	if sum > c.Capacity {
		return nil, false, apperr.New(CodeQuotasOverCapacity).WithArgs("Sum", sum, "Capacity", c.Capacity)
	}
	return next, freed, nil
}

// enrolledByAgency counts the seats held per agency in cohort id.
func enrolledByAgency(tx *gorm.DB, id string) (map[string]int, error) {
	var rows []struct {
		AgencyID string
		N        int
	}
	err := tx.Raw("SELECT agency_id, count(*) AS n FROM enrollments WHERE cohort_id = ? AND status = 'enrolled' GROUP BY agency_id", id).Scan(&rows).Error
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.AgencyID] = r.N
	}
	return out, err
}

// agencyName is an agency's short name for messages, or its id.
func agencyName(tx *gorm.DB, id string) string {
	var name string
	if err := tx.Table("agencies").Select("short_name").Where("id = ?", id).Scan(&name).Error; err != nil || name == "" {
		return id
	}
	return name
}
