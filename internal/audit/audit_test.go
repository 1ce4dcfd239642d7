package audit_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
	"muster/internal/db/dbtest"
)

func TestListIsScopedAndFiltered(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		ctx := context.Background()
		base := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
		actor := access.Actor{UserID: "01930000-0000-7000-8000-000000000001", Name: "Ali", IP: "192.0.2.1"}
		for i, e := range []audit.Entry{
			{Action: "user.create", SubjectType: "user", SubjectID: "u1", AgencyID: "01930000-0000-7000-8000-00000000000a"},
			{Action: "user.update", SubjectType: "user", SubjectID: "u1", AgencyID: "01930000-0000-7000-8000-00000000000a", Details: map[string]any{"rank": "captain"}},
			{Action: "user.create", SubjectType: "user", SubjectID: "u2", AgencyID: "01930000-0000-7000-8000-00000000000b"},
			{Action: "course.create", SubjectType: "course", SubjectID: "c1", AgencyID: "01930000-0000-7000-8000-00000000000b"},
		} {
			err := db.Tx(ctx, gdb, nil, func(tx *gorm.DB) error { return audit.Record(tx, base.Add(time.Duration(i)*24*time.Hour), actor, e) })
			if err != nil {
				t.Fatal(err)
			}
		}
		svc := &audit.Service{DB: gdb}
		hrA := access.Actor{UserID: "x", AgencyID: "01930000-0000-7000-8000-00000000000a", Roles: []string{access.HR}}
		page, err := svc.List(ctx, hrA, audit.Filter{AgencyID: "01930000-0000-7000-8000-00000000000b"})
		if err != nil || page.Total != 2 {
			t.Fatalf("hr of A sees %d events (%v), want A's 2", page.Total, err)
		}
		for _, e := range page.Items {
			if *e.AgencyID != hrA.AgencyID {
				t.Fatalf("hr of A saw an event of agency %s", *e.AgencyID)
			}
		}
		if page.Items[0].Action != "user.update" {
			t.Fatalf("not newest first: %s", page.Items[0].Action)
		}
		admin := access.Actor{UserID: "y", Roles: []string{access.Admin}}
		for _, tc := range []struct {
			f    audit.Filter
			want int64
		}{
			{audit.Filter{}, 4},
			{audit.Filter{Action: "user."}, 3},
			{audit.Filter{Action: "user.create"}, 2},
			{audit.Filter{Subject: "u1"}, 2},
			{audit.Filter{Actor: actor.UserID}, 4},
			{audit.Filter{From: base.AddDate(0, 0, 1)}, 3},
			{audit.Filter{To: base.AddDate(0, 0, 1)}, 2},
		} {
			page, err := svc.List(ctx, admin, tc.f)
			if err != nil || page.Total != tc.want {
				t.Errorf("filter %+v: %d (%v), want %d", tc.f, page.Total, err, tc.want)
			}
		}
		trainee := access.Actor{UserID: "z", AgencyID: hrA.AgencyID, Roles: []string{access.Trainee}}
		if _, err := svc.List(ctx, trainee, audit.Filter{}); apperr.CodeOf(err) != apperr.CodeForbidden {
			t.Fatalf("trainee reads the audit trail: %v", err)
		}
	})
}
