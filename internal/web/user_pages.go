package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/access"
	"muster/internal/identity"
	"muster/internal/paging"
)

type userListData struct {
	Page     paging.Page[identity.User]
	Query    identity.UserQuery
	Agencies []identity.Agency
	Roles    []string
}

func (s *Server) userListPage(c *gin.Context) {
	var q identity.UserQuery
	_ = c.ShouldBindQuery(&q) // a malformed page number falls back to page 1
	page, err := s.Identity.ListUsers(c.Request.Context(), actor(c), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	agencies, err := s.Identity.ListAgencies(c.Request.Context(), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "users.title")
	v.Data = userListData{Page: page, Query: q, Agencies: agencies, Roles: access.AllRoles}
	s.html(c, http.StatusOK, "users", v)
}

// userFormData feeds the create and edit forms.
type userFormData struct {
	User       *identity.User
	Agencies   []identity.Agency
	Roles      []string // the roles the viewer may grant
	Kinds      []string
	Created    *identity.CreatedUser
	LinkSent   bool // a password reset link was just sent
	CanEdit    bool // the viewer outranks the person
	CanReset   bool // the viewer administers the person's agency
	SecondAuth bool // the person has a second factor
}

func (s *Server) userFormView(c *gin.Context, title string, u *identity.User) (*View, error) {
	agencies, err := s.Identity.ListAgencies(c.Request.Context(), actor(c))
	if err != nil {
		return nil, err
	}
	a := actor(c)
	d := &userFormData{User: u, Agencies: agencies, CanEdit: true}
	for _, r := range access.AllRoles {
		if a.CanGrant(r) {
			d.Roles = append(d.Roles, r)
		}
	}
	if u != nil {
		d.CanEdit = a.CanEdit(u.RoleNames()) || u.ID == a.UserID
		d.CanReset = d.CanEdit && u.ID != a.UserID && a.CanAdministerAgency(u.AgencyID)
		if d.SecondAuth, err = s.Identity.HasSecondFactor(c.Request.Context(), u.ID); err != nil {
			return nil, err
		}
	}
	v := s.view(c, title)
	v.Data = d
	return v, nil
}

func (s *Server) userNewPage(c *gin.Context) {
	v, err := s.userFormView(c, "users.new", nil)
	if err != nil {
		s.fail(c, err)
		return
	}
	v.Form = identity.UserInput{AgencyID: actor(c).AgencyID, Roles: []string{access.Trainee}, Language: localizer(c).Lang}
	s.html(c, http.StatusOK, "user_form", v)
}

func (s *Server) userCreateSubmit(c *gin.Context) {
	var in identity.UserInput
	bindErr := bindForm(c, &in)
	in.Password = "" // people created on a page are invited to choose their own
	var created *identity.CreatedUser
	err := bindErr
	if err == nil {
		created, err = s.Identity.CreateUser(c.Request.Context(), actor(c), in)
	}
	v, verr := s.userFormView(c, "users.new", nil)
	if verr != nil {
		s.fail(c, verr)
		return
	}
	if errs, ok := formErrors(c, err); ok {
		v.Form, v.Errors = in, errs
		s.html(c, http.StatusUnprocessableEntity, "user_form", v)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	// Show the one-time password on this answer only.
	v.Data.(*userFormData).Created = created
	v.Data.(*userFormData).User = created.User
	v.Form = userFormOf(created.User)
	s.html(c, http.StatusCreated, "user_form", v)
}

// userForm is the edit form's fields.
type userForm struct {
	Email         string   `form:"email"`
	FullName      string   `form:"full_name"`
	FullNameLatin string   `form:"full_name_latin"`
	Rank          string   `form:"rank"`
	ServiceNumber string   `form:"service_number"`
	AgencyID      string   `form:"agency_id"`
	Roles         []string `form:"roles"`
	Language      string   `form:"language"`
	Active        bool     `form:"active"`
}

func userFormOf(u *identity.User) userForm {
	return userForm{Email: u.Email, FullName: u.FullName, FullNameLatin: u.FullNameLatin, Rank: u.Rank, ServiceNumber: u.ServiceNumber,
		AgencyID: u.AgencyID, Roles: u.RoleNames(), Language: u.Language, Active: !u.Disabled()}
}

func (f userForm) patch() identity.UserPatch {
	disabled := !f.Active
	roles := f.Roles
	if roles == nil {
		roles = []string{}
	}
	return identity.UserPatch{Email: &f.Email, FullName: &f.FullName, FullNameLatin: &f.FullNameLatin, Rank: &f.Rank,
		ServiceNumber: &f.ServiceNumber, AgencyID: &f.AgencyID, Roles: &roles, Language: &f.Language, Disabled: &disabled}
}

func (s *Server) userEditPage(c *gin.Context) {
	u, err := s.Identity.GetUser(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.userFormView(c, "users.edit", u)
	if err != nil {
		s.fail(c, err)
		return
	}
	v.Form = userFormOf(u)
	s.html(c, http.StatusOK, "user_form", v)
}

func (s *Server) userUpdateSubmit(c *gin.Context) {
	u, err := s.Identity.GetUser(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	var f userForm
	err = bindForm(c, &f)
	if err == nil {
		_, err = s.Identity.UpdateUser(c.Request.Context(), actor(c), u.ID, f.patch())
	}
	if errs, ok := formErrors(c, err); ok {
		v, verr := s.userFormView(c, "users.edit", u)
		if verr != nil {
			s.fail(c, verr)
			return
		}
		v.Form, v.Errors = f, errs
		s.html(c, http.StatusUnprocessableEntity, "user_form", v)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "users.saved")
	c.Redirect(http.StatusSeeOther, "/manage/users/"+u.ID)
}

func (s *Server) userResetSubmit(c *gin.Context) {
	if err := s.Identity.ResetPassword(c.Request.Context(), actor(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "users.reset_link_sent")
	c.Redirect(http.StatusSeeOther, "/manage/users/"+c.Param("id"))
}

func (s *Server) userMFAResetSubmit(c *gin.Context) {
	if err := s.Identity.ResetSecondFactor(c.Request.Context(), actor(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "users.mfa_reset_done")
	c.Redirect(http.StatusSeeOther, "/manage/users/"+c.Param("id"))
}
