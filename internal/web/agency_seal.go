package web

import (
	"encoding/base64"
	"html/template"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
	"muster/internal/identity"
)

// readSeal reads an uploaded image, one byte past the limit so the service
// can tell a file that is too large.
func readSeal(r io.Reader) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r, identity.MaxSealBytes+1))
}

// apiAgencySealPut stores the request body as the agency's seal; the
// service checks it really is a PNG, whatever the Content-Type says.
func (s *Server) apiAgencySealPut(c *gin.Context) {
	image, err := readSeal(c.Request.Body)
	if err != nil {
		s.fail(c, err)
		return
	}
	seal, err := s.Identity.SetSeal(c.Request.Context(), actor(c), c.Param("id"), image)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"agency_id": seal.AgencyID, "width": seal.Width, "height": seal.Height, "bytes": len(seal.PNG)})
}

func (s *Server) apiAgencySealDelete(c *gin.Context) {
	if err := s.Identity.DeleteSeal(c.Request.Context(), actor(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// agencySealSubmit uploads (file "seal") or, with remove=1, removes the
// seal from the agency form.
func (s *Server) agencySealSubmit(c *gin.Context) {
	ctx, id := c.Request.Context(), c.Param("id")
	var err error
	if c.PostForm("remove") == "1" {
		err = s.Identity.DeleteSeal(ctx, actor(c), id)
	} else {
		err = s.uploadSeal(c, id)
	}
	if errs, ok := formErrors(c, err); ok {
		a, gerr := s.Identity.GetAgency(ctx, actor(c), id)
		if gerr != nil {
			s.fail(c, gerr)
			return
		}
		v := s.view(c, "agencies.edit")
		v.Data, v.Form, v.Errors = s.agencyFormData(c, a), a.Input(), errs
		s.html(c, http.StatusUnprocessableEntity, "agency_form", v)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "agencies.saved")
	c.Redirect(http.StatusSeeOther, "/manage/agencies/"+id)
}

func (s *Server) uploadSeal(c *gin.Context, id string) error {
	fh, err := c.FormFile("seal")
	if err != nil {
		return apperr.Invalid(apperr.Field("seal", "validation.required"))
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	image, err := readSeal(f)
	if err != nil {
		return err
	}
	_, err = s.Identity.SetSeal(c.Request.Context(), actor(c), id, image)
	return err
}

// agencyFormData is the edit form's data with the current seal shown inline.
func (s *Server) agencyFormData(c *gin.Context, a *identity.Agency) agencyData {
	d := agencyData{Agency: a, Kinds: identity.AgencyKinds}
	if seal, err := s.Identity.Seal(c.Request.Context(), actor(c), a.ID); err == nil && seal != nil {
		d.Seal = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(seal.PNG))
	}
	return d
}
