package export

import (
	"strings"

	"muster/internal/certify"
)

// The queries name their tables alike (c certificates, e enrollments, u the
// person, a their agency, co the course, ch the cohort, ha its host), so one
// filter serves both kinds of export.

// certificateFrom joins what a certificate row shows. The holder's agency is
// their current one (users.agency_id): the scope follows the personnel file.
const certificateFrom = `
FROM certificates c
JOIN users u ON u.id = c.user_id
JOIN agencies a ON a.id = u.agency_id
JOIN courses co ON co.id = c.course_id
JOIN cohorts ch ON ch.id = c.cohort_id
JOIN agencies ha ON ha.id = ch.host_agency_id
LEFT JOIN enrollments e ON e.id = c.enrollment_id
LEFT JOIN certificates r ON r.id = c.renews_id`

// certificateSelect lists the columns of certificateColumns, in order. The
// status is derived here so that filtering and output agree; the first
// argument is today, the second the verification URL's prefix.
var certificateSelect = `SELECT c.number,
 ` + certify.StatusSQL("c") + `,
 c.holder_name, c.holder_name_latin, u.service_number, u.rank, a.short_name, a.country,
 co.code, co.title, ch.code, ha.short_name, c.hours, e.score, c.issued_on, c.expires_on, r.number,
 CAST(? AS TEXT) || c.verification_code`

// recordFrom joins what a training record shows: every enrollment, with the
// certificate it earned, if any.
const recordFrom = `
FROM enrollments e
JOIN users u ON u.id = e.user_id
JOIN agencies a ON a.id = u.agency_id
JOIN cohorts ch ON ch.id = e.cohort_id
JOIN courses co ON co.id = ch.course_id
JOIN agencies ha ON ha.id = ch.host_agency_id
LEFT JOIN certificates c ON c.enrollment_id = e.id`

// recordSelect lists the columns of recordColumns; attendance counts present
// and late over all the cohort's sessions, as completion does.
const recordSelect = `SELECT u.full_name, u.full_name_latin, u.service_number, u.rank, a.short_name, a.country,
 co.code, co.title, ch.code, ha.short_name, ch.starts_on, ch.ends_on, e.status,
 (SELECT count(*) FROM cohort_sessions s WHERE s.cohort_id = e.cohort_id),
 (SELECT count(*) FROM attendance t WHERE t.enrollment_id = e.id AND t.status IN ('present', 'late')),
 e.score, c.number`

// query is SQL with ? placeholders and its arguments.
type query struct {
	sql  strings.Builder
	args []any
}

func (q *query) add(sql string, args ...any) {
	q.sql.WriteString(sql)
	q.args = append(q.args, args...)
}

// conditions is a WHERE clause in parts.
type conditions struct {
	sql  []string
	args []any
}

func (w *conditions) add(sql string, args ...any) {
	w.sql = append(w.sql, sql)
	w.args = append(w.args, args...)
}

// where adds the conditions, if any, to the query.
func (q *query) where(w conditions) {
	if len(w.sql) > 0 {
		q.add("\nWHERE "+strings.Join(w.sql, " AND "), w.args...)
	}
}

// conditions are the export's filter and scope. The scope is the agency
// whose personnel the actor may see, "" for every agency.
func (e *Export) conditions() conditions {
	var w conditions
	c := e.crit
	if e.scope != "" {
		w.add("u.agency_id = ?", e.scope)
	}
	if c.Agency != "" {
		w.add("u.agency_id = ?", c.Agency)
	}
	if c.Country != "" {
		w.add("a.country = ?", c.Country)
	}
	if c.Course != "" {
		w.add("co.code = ?", c.Course)
	}
	if c.Discipline != "" {
		w.add("co.discipline = ?", c.Discipline)
	}
	switch {
	case c.Status == "":
	case e.kind == TrainingRecords:
		w.add("e.status = ?", c.Status)
	case c.Status == certify.StatusRevoked:
		w.add(certify.RevokedSQL("c"))
	case c.Status == certify.StatusExpired:
		w.add(certify.ExpiredSQL("c"), e.today)
	default:
		w.add(certify.ValidSQL("c"), e.today)
	}
	if !c.issuedFrom.IsZero() {
		w.add("c.issued_on >= ?", c.issuedFrom)
	}
	if !c.issuedTo.IsZero() {
		w.add("c.issued_on <= ?", c.issuedTo)
	}
	if !c.expiringBefore.IsZero() {
		w.add("c.expires_on < ?", c.expiringBefore)
	}
	return w
}

// rowsQuery is the export's whole query, in a stable order.
func (e *Export) rowsQuery() (string, []any) {
	var q query
	if e.kind == TrainingRecords {
		q.add(recordSelect + recordFrom)
		q.where(e.conditions())
		q.add("\nORDER BY a.short_name, u.full_name, u.id, ch.starts_on, ch.code")
		return q.sql.String(), q.args
	}
	q.add(certificateSelect+certificateFrom, e.today, e.verifyPrefix)
	q.where(e.conditions())
	q.add("\nORDER BY c.number")
	return q.sql.String(), q.args
}

// countQuery counts the rows rowsQuery gives.
func (e *Export) countQuery() (string, []any) {
	var q query
	from := certificateFrom
	if e.kind == TrainingRecords {
		from = recordFrom
	}
	q.add("SELECT count(*)" + from)
	q.where(e.conditions())
	return q.sql.String(), q.args
}

// numbersQuery is the next batch of certificate numbers after the given one.
func (e *Export) numbersQuery(after string, limit int) (string, []any) {
	var q query
	w := e.conditions()
	w.add("c.number > ?", after)
	q.add("SELECT c.number" + certificateFrom)
	q.where(w)
	q.add("\nORDER BY c.number LIMIT ?", limit)
	return q.sql.String(), q.args
}
