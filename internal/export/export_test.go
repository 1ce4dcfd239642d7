package export

// CopyQuery is the export's own query with its arguments written in as
// literals, for PostgreSQL's COPY, which takes no parameters: the benchmark
// compares the export with COPY of exactly the same rows.
func CopyQuery(e *Export) string {
	sql, args := e.rowsQuery()
	q, err := inline(sql, args)
	if err != nil {
		panic(err)
	}
	return q
}
