package audit

import (
	"context"
	"encoding/json"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// names reads the people, cohorts, courses, certificates, sessions and
// enrollments that events refer to. Ids that are not UUIDs in the stored
// spelling (a hostile path recorded by a refusal; a URN, which PostgreSQL
// refuses to compare with a uuid column) are never looked up.
func (s *Service) names(ctx context.Context, events []Event) (Names, error) {
	n := Names{Users: map[string]Ref{}, Cohorts: map[string]Ref{}, Courses: map[string]Ref{},
		Certificates: map[string]string{}, Places: map[string]Ref{}, Sessions: map[string]string{}, Enrollments: map[string][2]string{}}
	ids := map[string]map[string]bool{}
	want := func(kind, id string) {
		if len(id) != 36 || uuid.Validate(id) != nil {
			return
		}
		if ids[kind] == nil {
			ids[kind] = map[string]bool{}
		}
		ids[kind][id] = true
	}
	for _, ev := range events {
		if ev.ActorID != nil {
			want("user", *ev.ActorID)
		}
		want(ev.SubjectType, ev.SubjectID)
		var d storyDetails
		_ = json.Unmarshal([]byte(ev.Details), &d)
		want("user", d.UserID)
		want("user", d.InstructorID)
		want("cohort", d.CohortID)
		want("cohort", d.FromCohortID)
	}
	tx := s.DB.WithContext(ctx)
	var enrollments []struct{ ID, UserID, CohortID string }
	if err := lookup(tx, "enrollments", "id, user_id, cohort_id", ids["enrollment"], &enrollments); err != nil {
		return n, err
	}
	for _, e := range enrollments {
		n.Enrollments[e.ID] = [2]string{e.UserID, e.CohortID}
		want("user", e.UserID)
		want("cohort", e.CohortID)
	}
	var sessions []struct{ ID, CohortID string }
	if err := lookup(tx, "cohort_sessions", "id, cohort_id", ids["session"], &sessions); err != nil {
		return n, err
	}
	for _, ses := range sessions {
		n.Sessions[ses.ID] = ses.CohortID
		want("cohort", ses.CohortID)
	}
	var users []struct{ ID, FullName, AgencyID string }
	if err := lookup(tx, "users", "id, full_name, agency_id", ids["user"], &users); err != nil {
		return n, err
	}
	for _, u := range users {
		n.Users[u.ID] = Ref{Kind: "user", ID: u.ID, Name: u.FullName, AgencyID: u.AgencyID}
	}
	var cohorts []struct{ ID, Code, HostAgencyID, Status string }
	if err := lookup(tx, "cohorts", "id, code, host_agency_id, status", ids["cohort"], &cohorts); err != nil {
		return n, err
	}
	for _, c := range cohorts {
		n.Cohorts[c.ID] = Ref{Kind: "cohort", ID: c.ID, Name: c.Code, AgencyID: c.HostAgencyID, Public: c.Status != "draft"}
	}
	var courses []struct{ ID, Code, OwnerAgencyID, Status string }
	if err := lookup(tx, "courses", "id, code, owner_agency_id, status", ids["course"], &courses); err != nil {
		return n, err
	}
	for _, c := range courses {
		n.Courses[c.ID] = Ref{Kind: "course", ID: c.Code, Name: c.Code, AgencyID: c.OwnerAgencyID, Public: c.Status == "published"}
	}
	var certificates []struct{ ID, Number string }
	if err := lookup(tx, "certificates", "id, number", ids["certificate"], &certificates); err != nil {
		return n, err
	}
	for _, c := range certificates {
		n.Certificates[c.ID] = c.Number
	}
	for _, table := range []string{"agencies", "venues"} {
		kind := map[string]string{"agencies": "agency", "venues": "venue"}[table]
		var places []struct{ ID, Name string }
		if err := lookup(tx, table, "id, name", ids[kind], &places); err != nil {
			return n, err
		}
		for _, pl := range places {
			n.Places[pl.ID] = Ref{Name: pl.Name}
		}
	}
	return n, nil
}

// lookup reads columns of table's rows whose id is in ids into out.
func lookup(tx *gorm.DB, table, columns string, ids map[string]bool, out any) error {
	if len(ids) == 0 {
		return nil
	}
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	return tx.Table(table).Select(columns).Where("id IN ?", list).Scan(out).Error
}
