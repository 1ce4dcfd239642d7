package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/catalog"
	"muster/internal/export"
	"muster/internal/identity"
)

// exportPageData feeds the exports form.
type exportPageData struct {
	Kinds              []string
	Formats            []string
	Disciplines        []string
	CertificateStatus  []string
	EnrollmentStatuses []string
	Agencies           []identity.Agency // admins choose; others export their own agency
	Previewed          bool              // the count was asked for
	Count              int64             // rows the export holds
}

// exportView builds the form page with the user's input.
func (s *Server) exportView(c *gin.Context, req export.Request) (*View, error) {
	d := &exportPageData{
		Kinds: export.Kinds, Formats: append(append([]string{}, export.Formats...), export.FormatZIP),
		Disciplines: catalog.Disciplines, CertificateStatus: export.CertificateStatuses, EnrollmentStatuses: export.EnrollmentStatuses,
	}
	if actor(c).IsAdmin() {
		agencies, err := s.Identity.ListAgencies(c.Request.Context(), actor(c))
		if err != nil {
			return nil, err
		}
		d.Agencies = agencies
	}
	if req.Kind == "" {
		req.Kind = export.Certificates
	}
	v := s.view(c, "exports.title")
	v.Data, v.Form = d, req
	return v, nil
}

// exportPage shows the form and, with ?preview=1, how many rows the chosen
// export holds.
func (s *Server) exportPage(c *gin.Context) {
	req, bindErr := bindExport(c)
	v, err := s.exportView(c, req)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusOK
	if c.Query("preview") != "" {
		err := bindErr
		var n int64
		if err == nil {
			n, err = s.Exports.Count(c.Request.Context(), actor(c), req)
		}
		if errs, ok := formErrors(c, err); ok {
			v.Errors, status = errs, http.StatusUnprocessableEntity
		} else if err != nil {
			s.fail(c, err)
			return
		} else {
			d := v.Data.(*exportPageData)
			d.Previewed, d.Count = true, n
		}
	}
	s.html(c, status, "export_form", v)
}

// exportDownload streams the export the form describes, or shows the form
// again with what needs correcting.
func (s *Server) exportDownload(c *gin.Context) {
	req, err := bindExport(c)
	var exp *export.Export
	if err == nil {
		exp, err = s.Exports.Prepare(actor(c), req)
	}
	if errs, ok := formErrors(c, err); ok {
		v, verr := s.exportView(c, req)
		if verr != nil {
			s.fail(c, verr)
			return
		}
		v.Errors = errs
		s.html(c, http.StatusUnprocessableEntity, "export_form", v)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.streamExport(c, exp)
}
