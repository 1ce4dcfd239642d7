package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/identity"
)

type meData struct {
	User     *identity.User
	Tokens   []identity.AccessToken
	NewToken *identity.NewToken
	Zones    []string
	Prefs    preferencesForm
}

func (s *Server) mePage(c *gin.Context) {
	s.renderMe(c, http.StatusOK, nil, nil, nil)
}

func (s *Server) renderMe(c *gin.Context, status int, created *identity.NewToken, form any, errs map[string]string) {
	tokens, err := s.Identity.ListTokens(c.Request.Context(), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "me.title")
	u := currentUser(c)
	prefs := preferencesForm{TimeZone: u.TimeZone, Calendar: u.Calendar}
	if f, ok := form.(preferencesForm); ok {
		prefs = f
		form = nil // the token form below starts empty; the preferences keep what was typed
	}
	v.Data = meData{User: u, Tokens: tokens, NewToken: created, Zones: commonZones, Prefs: prefs}
	v.Form, v.Errors = form, errs
	s.html(c, status, "me", v)
}

func (s *Server) passwordPage(c *gin.Context) {
	v := s.view(c, "password.title")
	v.Data = currentUser(c)
	s.html(c, http.StatusOK, "password", v)
}

func (s *Server) passwordSubmit(c *gin.Context) {
	var req identity.PasswordChange
	if err := bindForm(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.Identity.ChangePassword(c.Request.Context(), actor(c), req)
	if errs, ok := formErrors(c, err); ok {
		v := s.view(c, "password.title")
		v.Data, v.Errors = currentUser(c), errs
		s.html(c, http.StatusUnprocessableEntity, "password", v)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.startSession(c, u, c.GetBool(secondFactorKey)); err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "password.changed")
	if !c.GetBool(secondFactorKey) && s.Identity.RequiresSecondFactor(u) {
		c.Redirect(http.StatusSeeOther, "/me/mfa")
		return
	}
	c.Redirect(http.StatusSeeOther, "/me")
}

func (s *Server) tokenCreateSubmit(c *gin.Context) {
	var req identity.TokenInput
	if err := bindForm(c, &req); err != nil {
		if errs, ok := formErrors(c, err); ok {
			s.renderMe(c, http.StatusUnprocessableEntity, nil, gin.H{"name": c.PostForm("name"), "expires_at": c.PostForm("expires_at")}, errs)
			return
		}
		s.fail(c, err)
		return
	}
	t, err := s.Identity.CreateToken(c.Request.Context(), actor(c), req)
	if errs, ok := formErrors(c, err); ok {
		s.renderMe(c, http.StatusUnprocessableEntity, nil, gin.H{"name": req.Name, "expires_at": c.PostForm("expires_at")}, errs)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	// The secret is shown on this one answer and never again.
	s.renderMe(c, http.StatusCreated, t, nil, nil)
}

func (s *Server) tokenRevokeSubmit(c *gin.Context) {
	if err := s.Identity.RevokeToken(c.Request.Context(), actor(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "token.revoked")
	c.Redirect(http.StatusSeeOther, "/me")
}
