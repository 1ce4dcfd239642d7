package catalog

import (
	"muster/internal/apperr/apperrtest"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/db/dbtest"
	"muster/internal/paging"
)

func TestVisibility(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		f.create(t, f.coordA, input("CN-101"))
		draftA := input("CN-102")
		draftA.Status = StatusDraft
		f.create(t, f.coordA, draftA)
		draftB := input("BS-102")
		draftB.Status = StatusDraft
		f.create(t, f.coordB, draftB)
		archived := input("BS-103")
		archived.Status = StatusArchived
		f.create(t, f.coordB, archived)
		instructor := actor("Instructor", f.b, access.Instructor)

		for _, tc := range []struct {
			who                    string
			actor                  access.Actor
			list, drafts, archived string
		}{
			{"anonymous", f.anon, "CN-101", "", ""},
			{"trainee", f.trainee, "CN-101", "", ""},
			{"hr", f.hrA, "CN-101", "", "BS-103"},
			{"instructor", instructor, "CN-101", "", "BS-103"},
			{"coordinator A", f.coordA, "CN-101 CN-102", "CN-102", "BS-103"},
			{"coordinator B", f.coordB, "BS-102 CN-101", "BS-102", "BS-103"},
			{"admin", f.admin, "BS-102 CN-101 CN-102", "BS-102 CN-102", "BS-103"},
		} {
			t.Run(tc.who, func(t *testing.T) {
				for status, want := range map[string]string{"": tc.list, StatusDraft: tc.drafts, StatusArchived: tc.archived, StatusPublished: "CN-101"} {
					page, err := f.svc.Search(f.ctx, tc.actor, Query{Status: status})
					if err != nil {
						t.Fatal(err)
					}
					if got := codesOf(page.Items); got != want || page.Total != int64(len(page.Items)) {
						t.Errorf("status %q: listed %q (total %d), want %q", status, got, page.Total, want)
					}
				}
				for code, visible := range map[string]bool{
					"CN-101": true, "BS-103": true, // archived courses stay readable by code
					"cn-102": tc.actor.CanManageCatalog(f.a), "bs-102": tc.actor.CanManageCatalog(f.b),
				} {
					d, err := f.svc.Get(f.ctx, tc.actor, code)
					switch {
					case visible && err != nil:
						t.Errorf("get %s: %v", code, err)
					case visible && d.Code != NormalizeCode(code):
						t.Errorf("get %s: got %s", code, d.Code)
					case !visible && apperr.CodeOf(err) != apperr.CodeNotFound:
						t.Errorf("get %s: err %v, want not_found", code, err)
					}
				}
			})
		}
		_, err := f.svc.Get(f.ctx, f.admin, "XX-404")
		apperrtest.WantCode(t, err, apperr.CodeNotFound)
	})
}

func TestSearchPaging(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		for _, code := range []string{"AA-10", "AA-11", "AA-12", "AA-13", "AA-14"} {
			f.create(t, f.coordA, input(code))
		}
		for _, tc := range []struct {
			params        paging.Params
			want          string
			page, perPage int
		}{
			{paging.Params{}, "AA-10 AA-11 AA-12 AA-13 AA-14", 1, paging.DefaultPerPage},
			{paging.Params{Page: 1, PerPage: 2}, "AA-10 AA-11", 1, 2},
			{paging.Params{Page: 3, PerPage: 2}, "AA-14", 3, 2},
			{paging.Params{Page: 4, PerPage: 2}, "", 4, 2},
			{paging.Params{Page: 99, PerPage: 5}, "", 99, 5},
			{paging.Params{Page: -1, PerPage: 500}, "AA-10 AA-11 AA-12 AA-13 AA-14", 1, paging.MaxPerPage},
		} {
			page, err := f.svc.Search(f.ctx, f.anon, Query{Params: tc.params})
			if err != nil {
				t.Fatal(err)
			}
			if codesOf(page.Items) != tc.want || page.Total != 5 || page.Page != tc.page || page.PerPage != tc.perPage || page.Items == nil {
				t.Errorf("%+v: %q total %d page %d per_page %d", tc.params, codesOf(page.Items), page.Total, page.Page, page.PerPage)
			}
		}
	})
}
