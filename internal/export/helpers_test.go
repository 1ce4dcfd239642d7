package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/clock"
	"muster/internal/db/dbtest"
	"muster/internal/export/exporttest"
)

// world is a seeded database, the service over it and actors of both agencies.
type world struct {
	svc   *Service
	gdb   *gorm.DB
	f     *exporttest.Fixture
	admin access.Actor
	hrA   access.Actor
	hrB   access.Actor
	ctx   context.Context
}

func setup(t *testing.T, gdb *gorm.DB) *world {
	t.Helper()
	a := exporttest.Agency(t, gdb, "PDC", "IR")
	b := exporttest.Agency(t, gdb, "DCA", "TJ")
	f := exporttest.Seed(t, gdb, a, b)
	// On PostgreSQL, exports read from the CI's streaming replica when there is one.
	reads := dbtest.Reads(t, gdb)
	return &world{
		svc: &Service{DB: gdb, Reads: reads, Clock: clock.NewFixed(exporttest.Today), BaseURL: exporttest.BaseURL + "/"},
		gdb: gdb, f: f, ctx: context.Background(),
		admin: actorOf("Admin", "", access.Admin),
		hrA:   actorOf("HR A", a, access.HR),
		hrB:   actorOf("HR B", b, access.HR),
	}
}

func actorOf(name, agency string, roles ...string) access.Actor {
	return access.Actor{UserID: uuid.NewString(), Name: name, AgencyID: agency, Roles: roles, IP: "192.0.2.10"}
}

// export runs a whole export into memory.
func (w *world) export(t *testing.T, who access.Actor, req Request) []byte {
	t.Helper()
	e, err := w.svc.Prepare(who, req)
	if err != nil {
		t.Fatalf("prepare %+v: %v", req, err)
	}
	var buf bytes.Buffer
	if _, err := e.Stream(w.ctx, &buf); err != nil {
		t.Fatalf("stream %+v: %v", req, err)
	}
	return buf.Bytes()
}

// csvRows exports as CSV and parses it: the header, then the rows.
func (w *world) csvRows(t *testing.T, who access.Actor, req Request) [][]string {
	t.Helper()
	req.Format = FormatCSV
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(w.export(t, who, req), []byte(utf8BOM))))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read CSV: %v", err)
	}
	return rows
}

// objects exports as NDJSON and decodes each line.
func (w *world) objects(t *testing.T, who access.Actor, req Request) []map[string]any {
	t.Helper()
	req.Format = FormatNDJSON
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(w.export(t, who, req)))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("decode %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

// numbers exports certificates and returns their numbers, sorted.
func (w *world) numbers(t *testing.T, who access.Actor, f Filter) []string {
	t.Helper()
	var out []string
	for _, m := range w.objects(t, who, Request{Kind: Certificates, Filter: f}) {
		out = append(out, m["certificate_number"].(string))
	}
	slices.Sort(out)
	return out
}

// names maps certificate names (C1...) to their numbers, sorted.
func (w *world) names(cs ...string) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, w.f.Certificates[c].Number)
	}
	slices.Sort(out)
	return out
}

// byColumn turns a CSV row into a map keyed by the header.
func byColumn(header, row []string) map[string]string {
	m := make(map[string]string, len(header))
	for i, h := range header {
		m[h] = row[i]
	}
	return m
}
