package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/identity"
)

type loginRequest struct {
	Email    string `json:"email" form:"email"`
	Password string `json:"password" form:"password"`
}

// meResponse is the current user as the API shows them, with the CSRF token
// that cookie-authenticated calls must send back.
type meResponse struct {
	userResponse
	CSRFToken string `json:"csrf_token,omitempty"`
}

func (s *Server) apiLogin(c *gin.Context) {
	var req loginRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.Identity.Login(c.Request.Context(), req.Email, req.Password, c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.startSession(c, u); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"user": toUserResponse(u), "csrf_token": s.csrfToken(c)})
}

func (s *Server) apiLogout(c *gin.Context) {
	s.recordLogout(c)
	if err := s.endSession(c); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) apiMe(c *gin.Context) {
	c.JSON(http.StatusOK, meResponse{userResponse: toUserResponse(currentUser(c)), CSRFToken: s.csrfToken(c)})
}

func (s *Server) apiPasswordChange(c *gin.Context) {
	var req identity.PasswordChange
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.Identity.ChangePassword(c.Request.Context(), actor(c), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	if !c.GetBool(bearerKey) {
		if err := s.startSession(c, u); err != nil {
			s.fail(c, err)
			return
		}
	}
	c.JSON(http.StatusOK, meResponse{userResponse: toUserResponse(u), CSRFToken: s.csrfToken(c)})
}

func (s *Server) apiTokenList(c *gin.Context) {
	ts, err := s.Identity.ListTokens(c.Request.Context(), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	if ts == nil {
		ts = []identity.AccessToken{}
	}
	c.JSON(http.StatusOK, gin.H{"items": ts, "total": len(ts), "page": 1, "per_page": len(ts)})
}

func (s *Server) apiTokenCreate(c *gin.Context) {
	var req identity.TokenInput
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	t, err := s.Identity.CreateToken(c.Request.Context(), actor(c), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, t)
}

func (s *Server) apiTokenRevoke(c *gin.Context) {
	if err := s.Identity.RevokeToken(c.Request.Context(), actor(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
