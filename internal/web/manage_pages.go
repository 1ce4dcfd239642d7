package web

import (
	"bytes"
	"html/template"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"muster/internal/audit"
	"muster/internal/identity"
	"muster/internal/paging"
)

type importData struct {
	Plan     *identity.ImportPlan
	Rows     []importRow // the plan's rows with their reasons translated
	CSV      string
	Errors   []ProblemField
	Done     bool
	Agencies []identity.Agency
}

func (s *Server) userImportPage(c *gin.Context) {
	agencies, _ := s.Identity.ListAgencies(c.Request.Context(), actor(c))
	v := s.view(c, "import.title")
	v.Data = importData{Agencies: agencies}
	s.html(c, http.StatusOK, "import", v)
}

// userImportSubmit previews an uploaded CSV (step one) and, when the preview
// form's "commit" is pressed with the same content, applies it (step two).
func (s *Server) userImportSubmit(c *gin.Context) {
	var content []byte
	if fh, err := c.FormFile("file"); err == nil {
		f, err := fh.Open()
		if err != nil {
			s.fail(c, err)
			return
		}
		content, err = io.ReadAll(f)
		f.Close()
		if err != nil {
			s.fail(c, err)
			return
		}
	} else {
		content = []byte(c.PostForm("csv"))
	}
	ctx, agency := c.Request.Context(), c.PostForm("agency_id")
	commit := c.PostForm("commit") != ""
	var (
		plan *identity.ImportPlan
		err  error
	)
	if commit {
		plan, err = s.Identity.CommitImport(ctx, actor(c), agency, bytes.NewReader(content))
	} else {
		plan, err = s.Identity.PreviewImport(ctx, actor(c), agency, bytes.NewReader(content))
	}
	agencies, _ := s.Identity.ListAgencies(ctx, actor(c))
	data := importData{Plan: plan, CSV: string(content), Agencies: agencies}
	if plan != nil {
		data.Rows = s.importAnswer(c, plan).Rows
	}
	status := http.StatusOK
	if err != nil {
		e := s.toAppErr(c, err)
		if len(e.Fields) == 0 {
			s.fail(c, e)
			return
		}
		data.Errors = s.problemFor(c, e).Errors
		status = http.StatusUnprocessableEntity
	} else if commit {
		data.Done = true
	}
	v := s.view(c, "import.title")
	v.Data = data
	s.html(c, status, "import", v)
}

type auditData struct {
	Page    paging.Page[audit.Event]
	Stories []audit.Story
	Filter  audit.Filter
}

func (s *Server) auditPage(c *gin.Context) {
	var f audit.Filter
	_ = c.ShouldBindQuery(&f)
	page, err := s.Audit.List(c.Request.Context(), actor(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	stories, err := s.Audit.Stories(c.Request.Context(), page.Items)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "audit.title")
	v.Data = auditData{Page: page, Stories: stories, Filter: f}
	s.html(c, http.StatusOK, "audit", v)
}

type agencyData struct {
	Agencies []identity.Agency
	Agency   *identity.Agency
	Kinds    []string
	Seal     template.URL // data: URI of the agency's seal, if any
}

func (s *Server) agencyListPage(c *gin.Context) {
	s.renderAgencies(c, http.StatusOK, identity.AgencyInput{}, nil)
}

func (s *Server) renderAgencies(c *gin.Context, status int, form identity.AgencyInput, errs map[string]string) {
	as, err := s.Identity.ListAgencies(c.Request.Context(), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "agencies.title")
	v.Data, v.Form, v.Errors = agencyData{Agencies: as, Kinds: identity.AgencyKinds}, form, errs
	s.html(c, status, "agencies", v)
}

func (s *Server) agencyCreateSubmit(c *gin.Context) {
	var in identity.AgencyInput
	err := bindForm(c, &in)
	if err == nil {
		_, err = s.Identity.CreateAgency(c.Request.Context(), actor(c), in)
	}
	if errs, ok := formErrors(c, err); ok {
		s.renderAgencies(c, http.StatusUnprocessableEntity, in, errs)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "agencies.saved")
	c.Redirect(http.StatusSeeOther, "/manage/agencies")
}

func (s *Server) agencyEditPage(c *gin.Context) {
	a, err := s.Identity.GetAgency(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "agencies.edit")
	v.Data = s.agencyFormData(c, a)
	v.Form = a.Input()
	s.html(c, http.StatusOK, "agency_form", v)
}

func (s *Server) agencyUpdateSubmit(c *gin.Context) {
	a, err := s.Identity.GetAgency(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	var in identity.AgencyInput
	err = bindForm(c, &in)
	if err == nil {
		_, err = s.Identity.UpdateAgency(c.Request.Context(), actor(c), a.ID, in)
	}
	if errs, ok := formErrors(c, err); ok {
		v := s.view(c, "agencies.edit")
		v.Data, v.Form, v.Errors = s.agencyFormData(c, a), in, errs
		s.html(c, http.StatusUnprocessableEntity, "agency_form", v)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "agencies.saved")
	c.Redirect(http.StatusSeeOther, "/manage/agencies/"+strings.TrimSpace(a.ID))
}
