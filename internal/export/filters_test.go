package export

import (
	"reflect"
	"slices"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/db/dbtest"
)

// TestCertificateFilters runs every filter of the certificate export, alone
// and combined, and checks the rows the count preview announces.
func TestCertificateFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := setup(t, gdb)
		for _, tc := range []struct {
			name string
			f    Filter
			want []string
		}{
			{"none", Filter{}, []string{"C1", "C2", "C3", "C4", "C5", "C6"}},
			{"agency A", Filter{Agency: w.f.A}, []string{"C1", "C2", "C3", "C5"}},
			{"agency B", Filter{Agency: w.f.B}, []string{"C4", "C6"}},
			{"country IR", Filter{Country: "IR"}, []string{"C1", "C2", "C3", "C5"}},
			{"country tj, lower case", Filter{Country: "tj"}, []string{"C4", "C6"}},
			{"course", Filter{Course: "CN-101"}, []string{"C1", "C5"}},
			{"course, lower case", Filter{Course: " oc-301 "}, []string{"C4"}},
			{"discipline", Filter{Discipline: "border_security"}, []string{"C2", "C3", "C6"}},
			{"valid", Filter{Status: "valid"}, []string{"C1", "C3", "C6"}},
			{"expired (today counts)", Filter{Status: "expired"}, []string{"C2", "C5"}},
			{"revoked", Filter{Status: "revoked"}, []string{"C4"}},
			{"issued from (inclusive)", Filter{IssuedFrom: "2025-01-10"}, []string{"C1", "C3", "C4"}},
			{"issued to (inclusive)", Filter{IssuedTo: "2023-03-21"}, []string{"C2", "C5"}},
			{"issued between", Filter{IssuedFrom: "2023-03-21", IssuedTo: "2025-01-10"}, []string{"C1", "C5", "C6"}},
			{"expiring before (exclusive, never-expiring left out)", Filter{ExpiringBefore: "2026-03-22"}, []string{"C2", "C5"}},
			{"agency and status", Filter{Agency: w.f.A, Status: "valid"}, []string{"C1", "C3"}},
			{"nothing matches", Filter{Course: "CN-101", Country: "TJ"}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				want := w.names(tc.want...)
				if got := w.numbers(t, w.admin, tc.f); !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
					t.Errorf("got %q, want %q", got, want)
				}
				n, err := w.svc.Count(w.ctx, w.admin, Request{Kind: Certificates, Filter: tc.f})
				if err != nil || n != int64(len(want)) {
					t.Errorf("count = %d, %v; want %d", n, err, len(want))
				}
			})
		}
	})
}

// TestRecordFilters runs the filters on training records, where status is
// the enrollment's and the dates are those of the certificate it earned.
func TestRecordFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := setup(t, gdb)
		for _, tc := range []struct {
			name string
			f    Filter
			want int
		}{
			{"none", Filter{}, 8},
			{"agency B", Filter{Agency: w.f.B}, 3},
			{"country IR", Filter{Country: "IR"}, 5},
			{"course", Filter{Course: "CN-101"}, 3},
			{"discipline", Filter{Discipline: "organised_crime"}, 2},
			{"completed", Filter{Status: "completed"}, 6},
			{"failed", Filter{Status: "failed"}, 1},
			{"withdrawn", Filter{Status: "withdrawn"}, 1},
			{"issued between", Filter{IssuedFrom: "2025-01-01", IssuedTo: "2025-12-31"}, 2},
			{"expiring before", Filter{ExpiringBefore: "2026-03-22"}, 2},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got := w.objects(t, w.admin, Request{Kind: TrainingRecords, Filter: tc.f})
				if len(got) != tc.want {
					t.Errorf("%d records, want %d: %v", len(got), tc.want, got)
				}
				n, err := w.svc.Count(w.ctx, w.admin, Request{Kind: TrainingRecords, Filter: tc.f})
				if err != nil || n != int64(tc.want) {
					t.Errorf("count = %d, %v; want %d", n, err, tc.want)
				}
			})
		}
	})
}

// TestScope: hr of agency A gets A's personnel only, including their
// certificates from cohorts B hosted, and never a row of B's personnel,
// whatever the filter asks; admins get all; other roles are refused.
func TestScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := setup(t, gdb)
		check := func(who string, got, want []string) {
			t.Helper()
			if !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
				t.Errorf("%s: got %q, want %q", who, got, want)
			}
		}
		check("hr A", w.numbers(t, w.hrA, Filter{}), w.names("C1", "C2", "C3", "C5"))
		check("hr B", w.numbers(t, w.hrB, Filter{}), w.names("C4", "C6"))
		check("hr A asking for B", w.numbers(t, w.hrA, Filter{Agency: w.f.B}), nil)
		check("hr A asking for TJ", w.numbers(t, w.hrA, Filter{Country: "TJ"}), nil)
		coordA := actorOf("Coordinator A", w.f.A, access.Coordinator)
		check("coordinator A", w.numbers(t, coordA, Filter{}), w.names("C1", "C2", "C3", "C5"))
		check("admin", w.numbers(t, w.admin, Filter{}), w.names("C1", "C2", "C3", "C4", "C5", "C6"))
		for _, r := range w.objects(t, w.hrA, Request{Kind: TrainingRecords}) {
			if r["agency"] != "PDC" {
				t.Errorf("hr A received a record of %v: %v", r["agency"], r)
			}
		}
		for _, who := range []access.Actor{
			actorOf("Trainee A", w.f.A, access.Trainee), actorOf("Instructor A", w.f.A, access.Instructor),
			actorOf("HR without agency", "", access.HR), access.Anonymous("192.0.2.1"),
		} {
			if _, err := w.svc.Prepare(who, Request{}); apperr.CodeOf(err) != apperr.CodeForbidden {
				t.Errorf("%s: %v, want forbidden", who.Name, err)
			}
		}
	})
}

// TestRequestValidation: bad filters are refused with the field at fault.
func TestRequestValidation(t *testing.T) {
	svc := &Service{}
	admin := actorOf("Admin", "", access.Admin)
	for _, tc := range []struct {
		req    Request
		fields []string
	}{
		{Request{Format: "pdf"}, []string{"format"}},
		{Request{Kind: TrainingRecords, Format: FormatZIP}, []string{"format"}},
		{Request{Kind: "people"}, []string{"kind"}},
		{Request{Filter: Filter{Agency: "not-a-uuid"}}, []string{"agency"}},
		{Request{Filter: Filter{Country: "Iran"}}, []string{"country"}},
		{Request{Filter: Filter{Course: "CN-101-EXTRA-LONG"}}, []string{"course"}},
		{Request{Filter: Filter{Discipline: "karate"}}, []string{"discipline"}},
		{Request{Filter: Filter{Status: "completed"}}, []string{"status"}},
		{Request{Kind: TrainingRecords, Filter: Filter{Status: "valid"}}, []string{"status"}},
		{Request{Filter: Filter{IssuedFrom: "21/03/2026", ExpiringBefore: "2026-02-30"}}, []string{"issued_from", "expiring_before"}},
		{Request{Filter: Filter{IssuedFrom: "2026-03-02", IssuedTo: "2026-03-01"}}, []string{"issued_to"}},
	} {
		_, err := svc.Prepare(admin, tc.req)
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.CodeInvalid {
			t.Errorf("%+v: %v, want invalid", tc.req, err)
			continue
		}
		var fields []string
		for _, f := range e.Fields {
			fields = append(fields, f.Field)
		}
		slices.Sort(fields)
		slices.Sort(tc.fields)
		if !reflect.DeepEqual(fields, tc.fields) {
			t.Errorf("%+v: fields %q, want %q", tc.req, fields, tc.fields)
		}
	}
	// ZIP needs a PDF renderer.
	if _, err := svc.Prepare(admin, Request{Format: FormatZIP}); apperr.CodeOf(err) != CodePDFUnavailable {
		t.Errorf("zip without a renderer: %v", err)
	}
}
