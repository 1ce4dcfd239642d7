package export

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"testing"

	"gorm.io/gorm"

	"muster/internal/audit"
	"muster/internal/db/dbtest"
	"muster/internal/export/exporttest"
)

// TestAuditEvent: every export records who exported what, with the filters,
// the format and the number of rows, also when it was cut short.
func TestAuditEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := setup(t, gdb)
		w.export(t, w.hrA, Request{Format: FormatXLSX, Filter: Filter{Status: "valid", Course: "bs-201"}})
		w.export(t, w.admin, Request{Kind: TrainingRecords, Format: FormatNDJSON})
		var events []audit.Event
		if err := gdb.Order("id").Find(&events).Error; err != nil {
			t.Fatal(err)
		}
		if len(events) != 2 {
			t.Fatalf("%d audit events, want 2", len(events))
		}
		type details struct {
			Format   string            `json:"format"`
			Filters  map[string]string `json:"filters"`
			Rows     int64             `json:"rows"`
			Complete bool              `json:"complete"`
		}
		for i, want := range []struct {
			action, actor, agency string
			d                     details
		}{
			{"export.certificates", w.hrA.UserID, w.f.A, details{"xlsx", map[string]string{"status": "valid", "course": "BS-201"}, 1, true}},
			{"export.training_records", w.admin.UserID, "", details{"ndjson", map[string]string{}, 8, true}},
		} {
			e := events[i]
			var d details
			if err := json.Unmarshal([]byte(e.Details), &d); err != nil {
				t.Fatalf("details %s: %v", e.Details, err)
			}
			if d.Filters == nil {
				d.Filters = map[string]string{}
			}
			agency := ""
			if e.AgencyID != nil {
				agency = *e.AgencyID
			}
			if e.Action != want.action || e.ActorID == nil || *e.ActorID != want.actor || agency != want.agency || e.SubjectType != "export" ||
				d.Format != want.d.Format || d.Rows != want.d.Rows || d.Complete != want.d.Complete || len(d.Filters) != len(want.d.Filters) {
				t.Errorf("event %d: %+v %s, want %+v", i, e, e.Details, want)
			}
			for k, v := range want.d.Filters {
				if d.Filters[k] != v {
					t.Errorf("event %d: filter %s = %q, want %q", i, k, d.Filters[k], v)
				}
			}
		}
	})
}

// failingWriter accepts limit bytes, then fails as a closed connection does.
type failingWriter struct{ limit int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.limit {
		return 0, io.ErrClosedPipe
	}
	f.limit -= len(p)
	return len(p), nil
}

// TestCancelStopsQuery: cancelling the context mid-export ends the row loop
// with context.Canceled long before the last row, and the audit event says
// how far it went.
func TestCancelStopsQuery(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := setup(t, gdb)
		exporttest.Bulk(t, gdb, w.f.A, 5*flushEvery)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		w.svc.Hooks.Flushed = func(_ context.Context, rows int64) {
			if rows == flushEvery {
				cancel()
			}
		}
		var finished []Result
		w.svc.Hooks.Finished = func(r Result) { finished = append(finished, r) }
		e, err := w.svc.Prepare(w.admin, Request{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.Stream(ctx, io.Discard)
		if !errors.Is(err, context.Canceled) || res.Rows != flushEvery || len(finished) != 1 || !errors.Is(finished[0].Err, context.Canceled) {
			t.Fatalf("stream: %+v, %v; finished %+v", res, err, finished)
		}
		// A broken connection stops it too, and is reported as the write error.
		w.svc.Hooks = Hooks{}
		e, _ = w.svc.Prepare(w.admin, Request{Format: FormatNDJSON})
		res, err = e.Stream(context.Background(), &failingWriter{limit: 100 << 10})
		if !errors.Is(err, io.ErrClosedPipe) || res.Rows >= 5*flushEvery {
			t.Fatalf("broken writer: %+v, %v", res, err)
		}
		var raw []string
		gdb.Model(&audit.Event{}).Order("id").Pluck("details", &raw)
		ended := make([]map[string]any, len(raw))
		for i, r := range raw {
			if err := json.Unmarshal([]byte(r), &ended[i]); err != nil {
				t.Fatal(err)
			}
		}
		if len(ended) != 2 || ended[0]["ended"] != "cancelled" || ended[0]["rows"] != float64(flushEvery) ||
			ended[0]["complete"] != false || ended[1]["ended"] != "failed" {
			t.Errorf("audit details %q", raw)
		}
	})
}
