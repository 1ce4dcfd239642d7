package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"muster/internal/identity"
)

// userResponse is a user as the API shows them: no secrets, no counters.
type userResponse struct {
	ID                 string     `json:"id"`
	Email              string     `json:"email"`
	FullName           string     `json:"full_name"`
	FullNameLatin      string     `json:"full_name_latin"`
	Rank               string     `json:"rank"`
	ServiceNumber      string     `json:"service_number"`
	AgencyID           string     `json:"agency_id"`
	Roles              []string   `json:"roles"`
	Language           string     `json:"language"`
	TimeZone           string     `json:"time_zone"` // the zone the person sees times in: their own, else their agency's
	OwnTimeZone        bool       `json:"own_time_zone"`
	Calendar           string     `json:"calendar,omitempty"`
	Active             bool       `json:"active"`
	MustChangePassword bool       `json:"must_change_password"`
	DisabledAt         *time.Time `json:"disabled_at,omitempty"`
	CreatedAt          time.Time  `json:"created_at"`
	Invited            bool       `json:"invited,omitempty"`
}

func toUserResponse(u *identity.User) userResponse {
	return userResponse{ID: u.ID, Email: u.Email, FullName: u.FullName, FullNameLatin: u.FullNameLatin, Rank: u.Rank,
		ServiceNumber: u.ServiceNumber, AgencyID: u.AgencyID, Roles: u.RoleNames(), Language: u.Language, Active: !u.Disabled(),
		TimeZone: u.Zone().String(), OwnTimeZone: u.TimeZone != "", Calendar: u.Calendar,
		MustChangePassword: u.MustChangePassword, DisabledAt: u.DisabledAt, CreatedAt: u.CreatedAt}
}

func (s *Server) apiUserList(c *gin.Context) {
	var q identity.UserQuery
	if err := bindQuery(c, &q); err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.Identity.ListUsers(c.Request.Context(), actor(c), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]userResponse, 0, len(page.Items))
	for i := range page.Items {
		items = append(items, toUserResponse(&page.Items[i]))
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": page.Total, "page": page.Page, "per_page": page.PerPage})
}

func (s *Server) apiUserCreate(c *gin.Context) {
	var req identity.UserInput
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	cu, err := s.Identity.CreateUser(c.Request.Context(), actor(c), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	resp := toUserResponse(cu.User)
	resp.Invited = cu.Invited
	c.JSON(http.StatusCreated, resp)
}

func (s *Server) apiUserGet(c *gin.Context) {
	u, err := s.Identity.GetUser(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toUserResponse(u))
}

func (s *Server) apiUserUpdate(c *gin.Context) {
	var req identity.UserPatch
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.Identity.UpdateUser(c.Request.Context(), actor(c), c.Param("id"), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toUserResponse(u))
}

// apiUserReset ends a person's password and e-mails them a link to set a new one.
func (s *Server) apiUserReset(c *gin.Context) {
	if err := s.Identity.ResetPassword(c.Request.Context(), actor(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusAccepted)
}
