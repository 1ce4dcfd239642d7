package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"muster/internal/catalog"
)

// bare is the yardstick: net/http and pgx, no framework, no ORM, running
// the best single query for the catalogue answer muster gives an anonymous
// visitor (the same items, languages and total, as JSON).
type bare struct {
	pool *pgxpool.Pool
	srv  *http.Server
	URL  string
}

// bareQuery reads a page of published courses with their languages and
// the total in one round trip: the count is an init plan run once, the page
// walks the (status, code) index or, with a term, the trigram index.
func bareQuery(search bool) string {
	where := "status = 'published'"
	if search {
		where += " AND search_text LIKE $3"
	}
	return `SELECT c.id, c.code, c.title, c.summary, c.discipline, c.level, c.delivery, c.duration_hours, c.status, c.owner_agency_id,
    coalesce((SELECT array_agg(cl.language ORDER BY cl.language) FROM course_languages cl WHERE cl.course_id = c.id), '{}'),
    (SELECT count(*) FROM courses WHERE ` + where + `)
FROM courses c WHERE ` + where + ` ORDER BY c.code LIMIT $1 OFFSET $2`
}

func startBare(ctx context.Context, url string) (*bare, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		pool.Close()
		return nil, err
	}
	b := &bare{pool: pool, URL: "http://" + ln.Addr().String()}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/courses", b.courses)
	b.srv = &http.Server{Handler: mux}
	go b.srv.Serve(ln)
	return b, nil
}

func (b *bare) close() {
	b.srv.Close()
	b.pool.Close()
}

type bareCourse struct {
	ID            string   `json:"id"`
	Code          string   `json:"code"`
	Title         string   `json:"title"`
	Summary       string   `json:"summary"`
	Discipline    string   `json:"discipline"`
	Level         string   `json:"level"`
	Delivery      string   `json:"delivery"`
	DurationHours int      `json:"duration_hours"`
	Languages     []string `json:"languages"`
	Status        string   `json:"status"`
	OwnerAgencyID string   `json:"owner_agency_id"`
}

func (b *bare) courses(w http.ResponseWriter, r *http.Request) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	const perPage = 25
	args := []any{perPage, (page - 1) * perPage}
	if q := catalog.FoldSearch(strings.TrimSpace(r.URL.Query().Get("q"))); q != "" {
		args = append(args, "%"+q+"%") // the benchmark's terms have no wildcards to escape
	}
	rows, err := b.pool.Query(r.Context(), bareQuery(len(args) > 2), args...)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	out := struct {
		Items   []bareCourse `json:"items"`
		Total   int64        `json:"total"`
		Page    int          `json:"page"`
		PerPage int          `json:"per_page"`
	}{Items: []bareCourse{}, Page: page, PerPage: perPage}
	for rows.Next() {
		var c bareCourse
		var id, owner [16]byte
		if err := rows.Scan(&id, &c.Code, &c.Title, &c.Summary, &c.Discipline, &c.Level, &c.Delivery, &c.DurationHours, &c.Status, &owner, &c.Languages, &out.Total); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		c.ID, c.OwnerAgencyID = uuidString(id), uuidString(owner)
		out.Items = append(out.Items, c)
	}
	if err := rows.Err(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(out)
}

func uuidString(b [16]byte) string {
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, x := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[x>>4], hex[x&15])
	}
	return string(out)
}
