package web

import (
	"encoding/base64"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"
	qrcode "github.com/skip2/go-qrcode"

	"muster/internal/identity"
)

// mfaData is what the second-factor page shows: the state of the factor,
// a secret being set up with its QR code, or recovery codes shown once.
type mfaData struct {
	Enabled       bool
	Required      bool
	Setup         *identity.TOTPSetup
	QR            template.URL // a data: URL of the otpauth QR code
	RecoveryCodes []string
}

func (s *Server) mfaPage(c *gin.Context) {
	s.renderMFA(c, http.StatusOK, &mfaData{}, nil)
}

func (s *Server) renderMFA(c *gin.Context, status int, d *mfaData, errs map[string]string) {
	u := currentUser(c)
	has, err := s.Identity.HasSecondFactor(c.Request.Context(), u.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	d.Enabled, d.Required = has, s.Identity.RequiresSecondFactor(u)
	v := s.view(c, "mfa.title")
	v.Data, v.Errors = d, errs
	s.html(c, status, "mfa", v)
}

func (s *Server) mfaBeginSubmit(c *gin.Context) {
	setup, err := s.Identity.BeginTOTP(c.Request.Context(), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	png, err := qrcode.Encode(setup.OtpauthURL, qrcode.Medium, 256)
	if err != nil {
		s.fail(c, err)
		return
	}
	// Built here from our own bytes, so the data: URL is safe to trust.
	qr := template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	s.renderMFA(c, http.StatusOK, &mfaData{Setup: setup, QR: qr}, nil)
}

func (s *Server) mfaConfirmSubmit(c *gin.Context) {
	codes, err := s.Identity.ConfirmTOTP(c.Request.Context(), actor(c), c.PostForm("code"))
	if errs, ok := formErrors(c, err); ok {
		s.renderMFA(c, http.StatusUnprocessableEntity, &mfaData{}, errs)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.markSecondFactor(c); err != nil {
		s.fail(c, err)
		return
	}
	s.renderMFA(c, http.StatusOK, &mfaData{RecoveryCodes: codes}, nil)
}

func (s *Server) mfaRemoveSubmit(c *gin.Context) {
	in := identity.MFARemoval{Password: c.PostForm("password"), Code: c.PostForm("code")}
	u, err := s.Identity.RemoveSecondFactor(c.Request.Context(), actor(c), in)
	if errs, ok := formErrors(c, err); ok {
		s.renderMFA(c, http.StatusUnprocessableEntity, &mfaData{}, errs)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.startSession(c, u, false); err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "mfa.removed")
	c.Redirect(http.StatusSeeOther, "/me/mfa")
}
