package web

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
	"muster/internal/i18n"
	"muster/internal/identity"
)

func (s *Server) loginPage(c *gin.Context) {
	if currentUser(c) != nil {
		c.Redirect(http.StatusSeeOther, safeNext(c.Query("next")))
		return
	}
	// A session for the visitor carries the form's CSRF token.
	if s.csrfToken(c) == "" {
		s.sessions.Put(c.Request.Context(), sessCSRF, randomToken())
	}
	v := s.view(c, "login.title")
	v.Form = gin.H{"email": "", "next": safeNext(c.Query("next"))}
	s.html(c, http.StatusOK, "login", v)
}

func (s *Server) loginSubmit(c *gin.Context) {
	var req loginRequest
	_ = c.ShouldBind(&req)
	next := safeNext(c.PostForm("next"))
	u, err := s.Identity.Login(c.Request.Context(), req.Email, req.Password, c.ClientIP())
	if err != nil {
		e := s.toAppErr(c, err)
		if e.Code != apperr.CodeUnauthorized {
			s.fail(c, e)
			return
		}
		v := s.view(c, "login.title")
		v.Form = gin.H{"email": req.Email, "next": next}
		v.Errors = map[string]string{"form": localizer(c).T(e.MessageKey())}
		s.html(c, http.StatusUnauthorized, "login", v)
		return
	}
	res, err := s.signIn(c, u)
	if err != nil {
		s.fail(c, err)
		return
	}
	switch {
	case res.MFARequired:
		next = "/login/mfa?next=" + url.QueryEscape(next)
	case u.MustChangePassword:
		next = "/me/password"
	case res.MFASetupRequired:
		next = "/me/mfa"
	}
	c.Redirect(http.StatusSeeOther, next)
}

// loginMFAPage asks for the second factor of a half-open session.
func (s *Server) loginMFAPage(c *gin.Context) {
	if s.pendingUser(c) == "" {
		c.Redirect(http.StatusSeeOther, "/login")
		return
	}
	v := s.view(c, "mfa.login_title")
	v.Form = gin.H{"next": safeNext(c.Query("next"))}
	s.html(c, http.StatusOK, "login_mfa", v)
}

func (s *Server) loginMFASubmit(c *gin.Context) {
	next := safeNext(c.PostForm("next"))
	id := s.pendingUser(c)
	if id == "" {
		s.flash(c, "info", "mfa.no_pending")
		c.Redirect(http.StatusSeeOther, "/login")
		return
	}
	in := identity.SecondFactorInput{Code: c.PostForm("code"), RecoveryCode: c.PostForm("recovery_code")}
	u, err := s.Identity.VerifySecondFactor(c.Request.Context(), id, in, c.ClientIP())
	if err != nil {
		e := s.toAppErr(c, err)
		if e.Code != identity.CodeMFAInvalid && e.Code != apperr.CodeRateLimited {
			s.fail(c, e)
			return
		}
		v := s.view(c, "mfa.login_title")
		v.Form = gin.H{"next": next}
		v.Errors = map[string]string{"form": localizer(c).TMap(e.MessageKey(), e.Args, nil)}
		s.html(c, http.StatusUnauthorized, "login_mfa", v)
		return
	}
	if err := s.startSession(c, u, true); err != nil {
		s.fail(c, err)
		return
	}
	if u.MustChangePassword {
		next = "/me/password"
	}
	c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) logoutSubmit(c *gin.Context) {
	a := actor(c)
	if err := s.endSession(c); err != nil {
		s.fail(c, err)
		return
	}
	s.Identity.Logout(c.Request.Context(), a)
	c.Redirect(http.StatusSeeOther, "/")
}

// passwordResetPage asks for the address to send a reset link to.
func (s *Server) passwordResetPage(c *gin.Context) {
	if s.csrfToken(c) == "" {
		s.sessions.Put(c.Request.Context(), sessCSRF, randomToken())
	}
	v := s.view(c, "reset.title")
	v.Form = gin.H{"email": ""}
	s.html(c, http.StatusOK, "password_reset", v)
}

// passwordResetSubmit says the same whatever the address.
func (s *Server) passwordResetSubmit(c *gin.Context) {
	if err := s.Identity.RequestPasswordReset(c.Request.Context(), c.PostForm("email"), c.ClientIP()); err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "reset.sent")
	c.Redirect(http.StatusSeeOther, "/login")
}

// passwordSetPage is where an e-mailed link (reset or invitation) leads.
func (s *Server) passwordSetPage(c *gin.Context) {
	if s.csrfToken(c) == "" {
		s.sessions.Put(c.Request.Context(), sessCSRF, randomToken())
	}
	c.Header("Referrer-Policy", "no-referrer") // the link's token stays on this page
	v := s.view(c, "reset.set_title")
	v.Form = gin.H{"token": c.Query("token")}
	s.html(c, http.StatusOK, "password_set", v)
}

func (s *Server) passwordSetSubmit(c *gin.Context) {
	in := identity.PasswordResetInput{Token: c.PostForm("token"), NewPassword: c.PostForm("new_password")}
	_, err := s.Identity.ConfirmPasswordReset(c.Request.Context(), in, c.ClientIP())
	if errs, ok := formErrors(c, err); ok {
		v := s.view(c, "reset.set_title")
		v.Form, v.Errors = gin.H{"token": in.Token}, errs
		s.html(c, http.StatusUnprocessableEntity, "password_set", v)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "reset.done")
	c.Redirect(http.StatusSeeOther, "/login")
}

// languageSubmit is the footer's switcher: a cookie for everyone, and the
// stored preference of a signed-in user.
func (s *Server) languageSubmit(c *gin.Context) {
	lang := c.PostForm("lang")
	if !i18n.Supported(lang) {
		lang = i18n.Default
	}
	if u := currentUser(c); u != nil {
		if err := s.Identity.SetLanguage(c.Request.Context(), actor(c), lang); err != nil {
			s.fail(c, err)
			return
		}
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.Config.SecureCookies()})
	c.Redirect(http.StatusSeeOther, safeNext(c.PostForm("next")))
}
