package export

import "database/sql"

// CertificateColumns are the certificate export's columns, in order; the
// first row of CSV and XLSX and the keys of JSON.
var CertificateColumns = []string{
	"certificate_number", "status", "holder_name", "holder_name_latin", "service_number", "rank", "agency", "country",
	"course_code", "course_title", "cohort_code", "host_agency", "hours", "score", "issued_on", "expires_on",
	"renews_certificate", "verification_url",
}

// RecordColumns are the training-records export's columns, in order: one
// row per enrollment.
var RecordColumns = []string{
	"full_name", "full_name_latin", "service_number", "rank", "agency", "country",
	"course_code", "course_title", "cohort_code", "host_agency", "starts_on", "ends_on", "status",
	"sessions", "sessions_attended", "attendance_percent", "score", "certificate_number",
}

// rowScanner reads one database row and turns it into cells.
type rowScanner interface {
	targets() []any    // Scan destinations, reused for every row
	fill(cells []cell) // the last scanned row, as cells in column order
}

// certificateRow is one row of certificateSelect.
type certificateRow struct {
	number, status, holder, holderLatin, serviceNumber, rank string
	agency, country, courseCode, courseTitle, cohortCode     string
	hostAgency, verificationURL                              string
	hours                                                    int64
	score                                                    sql.NullInt64
	issued, expires                                          day
	renews                                                   sql.NullString
}

func (r *certificateRow) targets() []any {
	return []any{&r.number, &r.status, &r.holder, &r.holderLatin, &r.serviceNumber, &r.rank, &r.agency, &r.country,
		&r.courseCode, &r.courseTitle, &r.cohortCode, &r.hostAgency, &r.hours, &r.score, &r.issued, &r.expires,
		&r.renews, &r.verificationURL}
}

func (r *certificateRow) fill(c []cell) {
	c[0].setText(r.number)
	c[1].setText(r.status)
	c[2].setText(r.holder)
	c[3].setOptional(r.holderLatin)
	c[4].setOptional(r.serviceNumber)
	c[5].setOptional(r.rank)
	c[6].setText(r.agency)
	c[7].setText(r.country)
	c[8].setText(r.courseCode)
	c[9].setText(r.courseTitle)
	c[10].setText(r.cohortCode)
	c[11].setText(r.hostAgency)
	c[12].setInt(r.hours)
	c[13].setNullInt(r.score)
	c[14].setDate(r.issued)
	c[15].setDate(r.expires)
	c[16].setNullText(r.renews)
	c[17].setText(r.verificationURL)
}

// recordRow is one row of recordSelect.
type recordRow struct {
	name, nameLatin, serviceNumber, rank, agency, country   string
	courseCode, courseTitle, cohortCode, hostAgency, status string
	startsOn, endsOn                                        day
	sessions, attended                                      int64
	score                                                   sql.NullInt64
	certificate                                             sql.NullString
}

func (r *recordRow) targets() []any {
	return []any{&r.name, &r.nameLatin, &r.serviceNumber, &r.rank, &r.agency, &r.country,
		&r.courseCode, &r.courseTitle, &r.cohortCode, &r.hostAgency, &r.startsOn, &r.endsOn, &r.status,
		&r.sessions, &r.attended, &r.score, &r.certificate}
}

func (r *recordRow) fill(c []cell) {
	c[0].setText(r.name)
	c[1].setOptional(r.nameLatin)
	c[2].setOptional(r.serviceNumber)
	c[3].setOptional(r.rank)
	c[4].setText(r.agency)
	c[5].setText(r.country)
	c[6].setText(r.courseCode)
	c[7].setText(r.courseTitle)
	c[8].setText(r.cohortCode)
	c[9].setText(r.hostAgency)
	c[10].setDate(r.startsOn)
	c[11].setDate(r.endsOn)
	c[12].setText(r.status)
	c[13].setInt(r.sessions)
	c[14].setInt(r.attended)
	c[15].setPercent(r.attended, r.sessions)
	c[16].setNullInt(r.score)
	c[17].setNullText(r.certificate)
}
