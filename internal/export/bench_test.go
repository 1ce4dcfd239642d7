package export_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/db/dbtest"
	"muster/internal/export"
	"muster/internal/webtest"
)

// benchRows is how many certificates the benchmark exports.
const benchRows = 1_000_000

// BenchmarkExportCSV seeds a million certificates on PostgreSQL and, in the
// same run, times COPY (the export's own query) TO STDOUT WITH CSV against
// the CSV export downloaded through the HTTP API of a real server, and
// samples the server's memory during the download. The server runs in this
// process, so its memory is the heap's growth during the export (and the
// process's peak resident memory, an upper bound). Run it with make bench, or:
//
//	go test -run '^$' -bench ExportCSV -benchtime 1x ./internal/export/
func BenchmarkExportCSV(b *testing.B) {
	url := dbtest.PostgresURL(b) // skips, loudly, when PostgreSQL does not answer
	gdb := dbtest.Open(b, url)
	env := webtest.Start(b, gdb)
	env.Clock.Set(time.Date(2026, 3, 21, 10, 0, 0, 0, time.UTC))
	start := time.Now()
	seedMillion(b, gdb, env.Agencies["a"].ID, env.Agencies["b"].ID)
	b.Logf("seeded %d certificates in %s", benchRows, time.Since(start).Round(time.Second))

	ctx := context.Background()
	exp, err := env.App.Exports.Prepare(access.System(), export.Request{Format: export.FormatCSV})
	if err != nil {
		b.Fatal(err)
	}
	copySQL := "COPY (" + export.CopyQuery(exp) + ") TO STDOUT WITH CSV"
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	admin := env.As("a/admin")
	// Plain download, as curl does it: the client asks for no compression.
	client := &http.Client{Jar: admin.HTTP.Jar, Transport: &http.Transport{DisableCompression: true}}
	var exported atomic.Int64
	env.App.Exports.Hooks.Finished = func(r export.Result) { exported.Store(r.Rows) }

	// One untimed COPY first, so that both timed runs find the same pages cached.
	if _, err := conn.PgConn().CopyTo(ctx, io.Discard, copySQL); err != nil {
		b.Fatalf("COPY: %v", err)
	}
	var copyTime, exportTime time.Duration
	var copied, peakGrowth, peakTotal, peakRSS uint64
	for b.Loop() {
		t0 := time.Now()
		tag, err := conn.PgConn().CopyTo(ctx, io.Discard, copySQL)
		if err != nil {
			b.Fatalf("COPY: %v", err)
		}
		copyTime += time.Since(t0)
		copied += uint64(tag.RowsAffected())

		mem := sampleMemory()
		t0 = time.Now()
		res, err := client.Get(env.URL + "/api/v1/exports/certificates?format=csv")
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK {
			b.Fatalf("export: %d, %d bytes, %v", res.StatusCode, n, err)
		}
		exportTime += time.Since(t0)
		growth, total := mem.stop()
		peakGrowth, peakTotal, peakRSS = max(peakGrowth, growth), max(peakTotal, total), max(peakRSS, readPeakRSS())
		if exported.Load() != benchRows || tag.RowsAffected() != benchRows {
			b.Fatalf("exported %d rows, COPY %d, want %d", exported.Load(), tag.RowsAffected(), benchRows)
		}
	}
	const mib = 1 << 20
	copyRate := float64(copied) / copyTime.Seconds()
	exportRate := float64(copied) / exportTime.Seconds()
	b.ReportMetric(copyRate, "copy_rows/s")
	b.ReportMetric(exportRate, "export_rows/s")
	b.ReportMetric(exportRate/copyRate, "export/copy")
	b.ReportMetric(float64(peakGrowth)/mib, "heap_growth_MiB")
	b.ReportMetric(float64(peakTotal)/mib, "go_memory_MiB")
	if peakRSS > 0 {
		b.ReportMetric(float64(peakRSS)/mib, "peak_rss_MiB")
	}
}

// memorySampler records the Go runtime's memory every few milliseconds.
type memorySampler struct {
	done           chan struct{}
	wg             sync.WaitGroup
	base           uint64 // heap objects before
	peakHeap, peak uint64
}

var memoryMetrics = []string{"/memory/classes/heap/objects:bytes", "/memory/classes/total:bytes", "/memory/classes/heap/released:bytes"}

func readMemory() (heap, total uint64) {
	s := make([]metrics.Sample, len(memoryMetrics))
	for i, name := range memoryMetrics {
		s[i].Name = name
	}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64() - s[2].Value.Uint64()
}

// sampleMemory starts sampling after handing unused memory back to the
// system and resetting the process's peak resident memory, so that what
// the setup used (such as argon2 password hashing) does not count.
func sampleMemory() *memorySampler {
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // Linux: VmHWM starts again from the current RSS
	m := &memorySampler{done: make(chan struct{})}
	m.base, _ = readMemory()
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			heap, total := readMemory()
			m.peakHeap, m.peak = max(m.peakHeap, heap), max(m.peak, total)
			select {
			case <-m.done:
				return
			case <-tick.C:
			}
		}
	}()
	return m
}

// stop returns the heap's peak growth over the start and the peak of the
// memory the Go runtime held from the system.
func (m *memorySampler) stop() (growth, total uint64) {
	close(m.done)
	m.wg.Wait()
	if m.peakHeap > m.base {
		growth = m.peakHeap - m.base
	}
	return growth, m.peak
}

// readPeakRSS is the process's peak resident memory (VmHWM) on Linux, else 0.
func readPeakRSS() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmHWM:")); ok {
			kb, _ := strconv.ParseUint(string(bytes.Fields(v)[0]), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// seedMillion writes, with set-based SQL, 20,000 people of agencies a and b,
// 50 courses, 1,000 cohorts, and a million enrollments each with a
// certificate: Persian, Cyrillic and Latin names, some never expiring, some
// renewals, some revoked. To load fast it uses ordered ids (appended to the
// primary keys), turns foreign-key triggers off (the generated keys agree by
// construction) and builds the other indexes after the rows; then it
// vacuums and analyses, so that both timed runs read the same settled pages.
func seedMillion(b testing.TB, gdb *gorm.DB, a, bb string) {
	b.Helper()
	id := func(kind int, n string) string { return fmt.Sprintf("pg_temp.bench_id(%d, %s)", kind, n) }
	user, course, cohort, enrollment, certificate := 1, 2, 3, 4, 5
	values := strings.NewReplacer("{a}", "'"+a+"'", "{b}", "'"+bb+"'", "{n}", strconv.Itoa(benchRows))
	steps := []string{
		`SET LOCAL session_replication_role = replica`,
		`SET LOCAL synchronous_commit = off`,
		`SET LOCAL maintenance_work_mem = '256MB'`,
		`CREATE FUNCTION pg_temp.bench_id(kind int, n bigint) RETURNS uuid IMMUTABLE LANGUAGE sql
		 AS $$ SELECT (lpad(kind::text, 8, '0') || '-0000-7000-8000-' || lpad(to_hex(n), 12, '0'))::uuid $$`,
		`INSERT INTO users (id, agency_id, email, email_key, full_name, full_name_latin, rank, service_number, language, created_at, updated_at)
		 SELECT ` + id(user, "g") + `, CASE WHEN g % 2 = 0 THEN {a}::uuid ELSE {b}::uuid END,
		        'p' || g || '@bench.example', 'p' || g || '@bench.example',
		        CASE g % 3 WHEN 0 THEN 'علی رضایی ' || g WHEN 1 THEN 'Рустам Назаров ' || g ELSE 'John Smith ' || g END,
		        CASE WHEN g % 3 = 2 THEN '' ELSE 'Latin Name ' || g END, 'Captain', 'SN-' || g, 'en', now(), now()
		 FROM generate_series(0, 19999) g`,
		`INSERT INTO courses (id, code, owner_agency_id, title, discipline, level, delivery, duration_hours, validity_months, status, created_at, updated_at)
		 SELECT ` + id(course, "g") + `, 'BN-' || lpad(g::text, 3, '0'), {a}::uuid, 'Course ' || g || ' — دوره', 'other', 'basic', 'in_person', 40, 36, 'published', now(), now()
		 FROM generate_series(0, 49) g`,
		`INSERT INTO cohorts (id, code, course_id, host_agency_id, language, starts_on, ends_on, time_zone, capacity, enrollment_opens_at, enrollment_closes_at, status, created_at, updated_at)
		 SELECT ` + id(cohort, "g") + `, 'BN-' || lpad((g % 50)::text, 3, '0') || '-' || g, ` + id(course, "g % 50") + `,
		        CASE WHEN g % 2 = 0 THEN {a}::uuid ELSE {b}::uuid END, 'fa', DATE '2020-01-01' + g, DATE '2020-01-10' + g, 'Asia/Tehran', 10000,
		        TIMESTAMPTZ '2019-01-01', TIMESTAMPTZ '2019-12-01', 'completed', now(), now()
		 FROM generate_series(0, 999) g`,
		`INSERT INTO enrollments (id, cohort_id, user_id, agency_id, status, queue_no, requested_at, score, created_at, updated_at)
		 SELECT ` + id(enrollment, "g") + `, ` + id(cohort, "g % 1000") + `, ` + id(user, "g % 20000") + `,
		        CASE WHEN g % 2 = 0 THEN {a}::uuid ELSE {b}::uuid END, 'completed', g, now(),
		        CASE WHEN g % 5 = 0 THEN NULL ELSE 50 + g % 51 END, now(), now()
		 FROM generate_series(1, {n}) g`,
		`INSERT INTO certificates (id, number, year, seq, verification_code, user_id, course_id, cohort_id, enrollment_id, host_agency_id,
		                           holder_name, holder_name_latin, hours, issued_on, expires_on, renews_id, revoked_at, created_at)
		 SELECT ` + id(certificate, "g") + `, 'MST-' || (2016 + (g - 1) / 100000) || '-' || lpad(((g - 1) % 100000 + 1)::text, 6, '0'),
		        2016 + (g - 1) / 100000, (g - 1) % 100000 + 1, md5('code' || g),
		        ` + id(user, "g % 20000") + `, ` + id(course, "g % 1000 % 50") + `, ` + id(cohort, "g % 1000") + `,
		        ` + id(enrollment, "g") + `, CASE WHEN g % 1000 % 2 = 0 THEN {a}::uuid ELSE {b}::uuid END,
		        CASE g % 20000 % 3 WHEN 0 THEN 'علی رضایی ' || g % 20000 WHEN 1 THEN 'Рустам Назаров ' || g % 20000 ELSE 'John Smith ' || g % 20000 END,
		        CASE WHEN g % 20000 % 3 = 2 THEN '' ELSE 'Latin Name ' || g % 20000 END, 40,
		        DATE '2016-01-01' + ((g - 1) / 100000) * 365 + g % 300,
		        CASE WHEN g % 4 = 0 THEN NULL ELSE DATE '2016-01-01' + ((g - 1) / 100000) * 365 + g % 300 + 1095 END,
		        CASE WHEN g % 10 = 0 THEN ` + id(certificate, "g - 1") + ` END,
		        CASE WHEN g % 97 = 0 THEN TIMESTAMPTZ '2024-01-01' END, now()
		 FROM generate_series(1, {n}) g`,
	}
	err := gdb.Transaction(func(tx *gorm.DB) error {
		// The secondary indexes of the big tables, dropped now and built after the load.
		var indexes []struct{ Name, Def string }
		if err := tx.Raw(`SELECT indexname AS name, indexdef AS def FROM pg_indexes
			WHERE schemaname = current_schema() AND tablename IN ('enrollments', 'certificates') AND indexname NOT LIKE '%\_pkey'`).
			Scan(&indexes).Error; err != nil {
			return err
		}
		for _, ix := range indexes {
			steps = append([]string{"DROP INDEX " + ix.Name}, steps...)
			steps = append(steps, ix.Def)
		}
		for _, s := range steps {
			if err := tx.Exec(values.Replace(s)).Error; err != nil {
				return fmt.Errorf("%.60s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatalf("seed: %v", err)
	}
	for _, table := range []string{"users", "courses", "cohorts", "enrollments", "certificates"} {
		if err := gdb.Exec("VACUUM ANALYZE " + table).Error; err != nil {
			b.Fatalf("vacuum %s: %v", table, err)
		}
	}
}

// BenchmarkExportXLSX seeds a million certificates on PostgreSQL and
// downloads them as an XLSX workbook through the HTTP API of a real server,
// sampling the process's peak resident memory (VmHWM, reset before the
// download) and checking that the workbook holds every row. Run it with:
//
//	go test -run '^$' -bench ExportXLSX -benchtime 1x ./internal/export/
func BenchmarkExportXLSX(b *testing.B) {
	url := dbtest.PostgresURL(b)
	gdb := dbtest.Open(b, url)
	env := webtest.Start(b, gdb)
	env.Clock.Set(time.Date(2026, 3, 21, 10, 0, 0, 0, time.UTC))
	seedMillion(b, gdb, env.Agencies["a"].ID, env.Agencies["b"].ID)
	admin := env.As("a/admin")
	client := &http.Client{Jar: admin.HTTP.Jar, Transport: &http.Transport{DisableCompression: true}}
	for b.Loop() {
		file, err := os.CreateTemp(b.TempDir(), "export-*.xlsx")
		if err != nil {
			b.Fatal(err)
		}
		mem := sampleMemory()
		t0 := time.Now()
		var firstByte time.Duration
		res, err := client.Get(env.URL + "/api/v1/exports/certificates?format=xlsx")
		if err != nil {
			b.Fatal(err)
		}
		first := make([]byte, 1)
		if _, err := io.ReadFull(res.Body, first); err != nil {
			b.Fatal(err)
		}
		firstByte = time.Since(t0)
		_, _ = file.Write(first)
		n, err := io.Copy(file, res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK {
			b.Fatalf("export: %d, %d bytes, %v", res.StatusCode, n, err)
		}
		elapsed := time.Since(t0)
		growth, total := mem.stop()
		rss := readPeakRSS()
		rows := countXLSXRows(b, file.Name())
		if rows != benchRows+1 { // and the header
			b.Fatalf("workbook holds %d rows, want %d", rows, benchRows+1)
		}
		const mib = 1 << 20
		b.ReportMetric(float64(benchRows)/elapsed.Seconds(), "rows/s")
		b.ReportMetric(firstByte.Seconds()*1000, "first_byte_ms")
		b.ReportMetric(float64(n+1)/mib, "file_MiB")
		b.ReportMetric(float64(growth)/mib, "heap_growth_MiB")
		b.ReportMetric(float64(total)/mib, "go_memory_MiB")
		if rss > 0 {
			b.ReportMetric(float64(rss)/mib, "peak_rss_MiB")
		}
	}
}

// countXLSXRows counts the rows of every sheet of the workbook at path,
// reading the sheets' XML as a stream.
func countXLSXRows(b *testing.B, path string) int {
	b.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		b.Fatalf("open workbook: %v", err)
	}
	defer zr.Close()
	rows := 0
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(rc)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
			if i := bytes.Index(data, []byte("</row>")); i >= 0 {
				return i + 6, data[:i], nil
			}
			if atEOF {
				return len(data), nil, nil
			}
			return 0, nil, nil
		})
		for sc.Scan() {
			if len(sc.Bytes()) > 0 {
				rows++
			}
		}
		if err := sc.Err(); err != nil {
			b.Fatal(err)
		}
		rc.Close()
	}
	return rows
}
