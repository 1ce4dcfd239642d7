package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
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

// signInResponse answers each step of a sign-in.
type signInResponse struct {
	CSRFToken        string        `json:"csrf_token,omitempty"`
	User             *userResponse `json:"user,omitempty"`
	MFARequired      bool          `json:"mfa_required,omitempty"`
	MFASetupRequired bool          `json:"mfa_setup_required,omitempty"`
}

// signIn opens the session that follows a right password: half-open when
// the person has a second factor to give, else signed in (and held at the
// factor's set-up when their roles need one).
func (s *Server) signIn(c *gin.Context, p *identity.Password) (signInResponse, error) {
	u := p.User
	if p.SecondFactor {
		return signInResponse{MFARequired: true}, s.startPending(c, u)
	}
	if err := s.startSession(c, u, false); err != nil {
		return signInResponse{}, err
	}
	s.setUser(c, u)
	ur := toUserResponse(u)
	return signInResponse{CSRFToken: s.csrfToken(c), User: &ur, MFASetupRequired: s.Identity.RequiresSecondFactor(u)}, nil
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
	res, err := s.signIn(c, u)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// apiMFA is the second step of a sign-in: a code or a recovery code for the
// half-open session's user.
func (s *Server) apiMFA(c *gin.Context) {
	var req identity.SecondFactorInput
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id := s.pendingUser(c)
	if id == "" {
		s.fail(c, &apperr.Error{Code: identity.CodeMFAInvalid, Key: "mfa.no_pending"})
		return
	}
	u, err := s.Identity.VerifySecondFactor(c.Request.Context(), id, req, c.ClientIP())
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.startSession(c, u, true); err != nil {
		s.fail(c, err)
		return
	}
	ur := toUserResponse(u)
	c.JSON(http.StatusOK, signInResponse{CSRFToken: s.csrfToken(c), User: &ur})
}

func (s *Server) apiLogout(c *gin.Context) {
	a := actor(c)
	if err := s.endSession(c); err != nil {
		s.fail(c, err)
		return
	}
	s.Identity.Logout(c.Request.Context(), a)
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
		if err := s.startSession(c, u, c.GetBool(secondFactorKey)); err != nil {
			s.fail(c, err)
			return
		}
	}
	c.JSON(http.StatusOK, meResponse{userResponse: toUserResponse(u), CSRFToken: s.csrfToken(c)})
}

func (s *Server) apiTOTPBegin(c *gin.Context) {
	setup, err := s.Identity.BeginTOTP(c.Request.Context(), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, setup)
}

type codeRequest struct {
	Code string `json:"code" form:"code"`
}

func (s *Server) apiTOTPConfirm(c *gin.Context) {
	var req codeRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	codes, err := s.Identity.ConfirmTOTP(c.Request.Context(), actor(c), req.Code)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.markSecondFactor(c); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"recovery_codes": codes, "csrf_token": s.csrfToken(c)})
}

func (s *Server) apiMFARemove(c *gin.Context) {
	var req identity.MFARemoval
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.Identity.RemoveSecondFactor(c.Request.Context(), actor(c), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.startSession(c, u, false); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, meResponse{userResponse: toUserResponse(u), CSRFToken: s.csrfToken(c)})
}

func (s *Server) apiUserMFAReset(c *gin.Context) {
	if err := s.Identity.ResetSecondFactor(c.Request.Context(), actor(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type resetRequest struct {
	Email string `json:"email" form:"email"`
}

// apiPasswordReset answers 202 whatever the address, so it tells nobody
// which addresses have accounts.
func (s *Server) apiPasswordReset(c *gin.Context) {
	var req resetRequest
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.Identity.RequestPasswordReset(c.Request.Context(), req.Email, c.ClientIP()); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusAccepted)
}

func (s *Server) apiPasswordResetConfirm(c *gin.Context) {
	var req identity.PasswordResetInput
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if _, err := s.Identity.ConfirmPasswordReset(c.Request.Context(), req, c.ClientIP()); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
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
	if c.GetBool(bearerKey) { // a leaked token must not be able to mint more
		s.fail(c, &apperr.Error{Code: identity.CodeMFARequired, Key: "token.needs_session"})
		return
	}
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
