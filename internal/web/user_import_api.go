package web

import (
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/identity"
)

// maxImportBytes is the body limit for CSV uploads, above the API's default.
const maxImportBytes = 8 << 20

// apiUserImport takes a CSV body (text/csv) or a multipart "file". With
// ?dry_run=1 it only previews; otherwise it applies every row or none.
func (s *Server) apiUserImport(c *gin.Context) {
	body, err := importBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	defer body.Close()
	ctx, agency := c.Request.Context(), c.Query("agency")
	var plan *identity.ImportPlan
	if c.Query("dry_run") == "1" || c.Query("dry_run") == "true" {
		plan, err = s.Identity.PreviewImport(ctx, actor(c), agency, body)
	} else {
		plan, err = s.Identity.CommitImport(ctx, actor(c), agency, body)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.importAnswer(c, plan))
}

// importRow is one row of an import answer, its errors in the caller's language.
type importRow struct {
	identity.ImportRow
	Errors []importError `json:"errors"`
}

// importError is one reason a row is refused: the column, the message key as
// a stable code, and the message in the caller's language.
type importError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type importAnswer struct {
	*identity.ImportPlan
	Rows []importRow `json:"rows"`
}

// importAnswer translates each row's reasons; the page shows the same rows.
func (s *Server) importAnswer(c *gin.Context, plan *identity.ImportPlan) importAnswer {
	loc := localizer(c)
	out := importAnswer{ImportPlan: plan, Rows: make([]importRow, 0, len(plan.Rows))}
	for _, r := range plan.Rows {
		row := importRow{ImportRow: r, Errors: []importError{}}
		for _, f := range r.Errors {
			row.Errors = append(row.Errors, importError{Field: f.Field, Code: f.Key, Message: loc.TMap(f.Key, f.Args, nil)})
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

// importBody opens the uploaded CSV: a multipart "file" or the raw body.
func importBody(c *gin.Context) (io.ReadCloser, error) {
	if fh, err := c.FormFile("file"); err == nil {
		return fh.Open()
	}
	return c.Request.Body, nil
}
