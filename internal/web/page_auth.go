package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
	"muster/internal/i18n"
)

func (s *Server) homePage(c *gin.Context) {
	s.html(c, http.StatusOK, "home", s.view(c, "home.title"))
}

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
	if err := s.startSession(c, u); err != nil {
		s.fail(c, err)
		return
	}
	s.setUser(c, u)
	if u.MustChangePassword {
		next = "/me/password"
	}
	c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) logoutSubmit(c *gin.Context) {
	s.recordLogout(c)
	if err := s.endSession(c); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/")
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
