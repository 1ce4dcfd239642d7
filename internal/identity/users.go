package identity

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/clock"
	"muster/internal/db"
	"muster/internal/i18n"
	"muster/internal/paging"
	"muster/internal/plaintext"
	"muster/internal/validate"
)

// UserInput creates a user. With a password chosen by someone else the user
// must change it at first sign-in; without one they are sent an invitation
// link to choose their own.
type UserInput struct {
	Email         string   `json:"email" form:"email" validate:"required,email,max=254,noreorder"`
	FullName      string   `json:"full_name" form:"full_name" validate:"notblank,max=200,noreorder"`
	FullNameLatin string   `json:"full_name_latin" form:"full_name_latin" validate:"max=200,noreorder"`
	Rank          string   `json:"rank" form:"rank" validate:"max=100,noreorder"`
	ServiceNumber string   `json:"service_number" form:"service_number" validate:"max=50"`
	AgencyID      string   `json:"agency_id" form:"agency_id" validate:"omitempty,uuid"`
	Roles         []string `json:"roles" form:"roles" validate:"min=1,unique,dive,oneof=admin agency_admin coordinator instructor hr trainee"`
	Language      string   `json:"language" form:"language" validate:"omitempty,oneof=en ru tg fa"`
	TimeZone      string   `json:"time_zone" form:"time_zone" validate:"omitempty,zone"` // "" = the agency's
	Password      string   `json:"password" form:"password" audit:"-"`
}

func (in *UserInput) normalize(actor access.Actor) {
	in.Email = plaintext.Line(in.Email)
	in.FullName = plaintext.Line(in.FullName)
	in.FullNameLatin = plaintext.Line(in.FullNameLatin)
	in.Rank = plaintext.Line(in.Rank)
	in.ServiceNumber = plaintext.Line(in.ServiceNumber)
	in.TimeZone = strings.TrimSpace(in.TimeZone)
	if in.AgencyID == "" {
		in.AgencyID = actor.AgencyID
	}
	if in.Language == "" {
		in.Language = i18n.Default
	}
}

// CreatedUser is a new user and, for the command line's first administrator
// only, the one-time password muster generated.
type CreatedUser struct {
	*User
	InitialPassword string `json:"initial_password,omitempty"`
	Invited         bool   `json:"invited,omitempty"`
}

// CreateUser adds a user to an agency within the actor's scope and grants.
// Without a password the person is e-mailed an invitation to choose one.
func (s *Service) CreateUser(ctx context.Context, actor access.Actor, in UserInput) (*CreatedUser, error) {
	in.normalize(actor)
	if err := validate.Struct(in); err != nil {
		return nil, err
	}
	if err := s.mayCreate(actor, in); err != nil {
		return nil, err
	}
	hash, err := s.initialHash(ctx, in)
	if err != nil {
		return nil, err
	}
	u := s.newUser(in, hash)
	u.MustChangePassword = in.Password != ""
	invited := in.Password == ""
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.insertUser(tx, actor, u, map[string]any{"user": userView(u)}); err != nil {
			return err
		}
		if invited {
			return s.sendPasswordLink(tx, actor, u, purposeInvite)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &CreatedUser{User: u, Invited: invited}, nil
}

// mayCreate checks scope and grants for a new person.
func (s *Service) mayCreate(actor access.Actor, in UserInput) error {
	if in.AgencyID == "" {
		return apperr.Invalid(apperr.Field("agency_id", "validation.required"))
	}
	if !actor.CanManagePersonnel(in.AgencyID) {
		if actor.HasAny(access.PersonnelRoles...) {
			return apperr.Invalid(apperr.Field("agency_id", "user.agency_out_of_scope"))
		}
		return apperr.New(apperr.CodeForbidden)
	}
	return checkRoles(actor, "", nil, in.Roles)
}

// initialHash hashes a chosen password after the policy check, or an
// unusable random one for a person who will set their own.
func (s *Service) initialHash(ctx context.Context, in UserInput) (string, error) {
	if in.Password == "" {
		return unusableHash, nil
	}
	if err := s.CheckPassword(ctx, "password", in.Password, PasswordContext{Email: in.Email,
		Names: []string{in.FullName, in.FullNameLatin}, AgencyID: in.AgencyID}); err != nil {
		return "", err
	}
	return HashPassword(in.Password)
}

func (s *Service) newUser(in UserInput, hash string) *User {
	now := s.now()
	u := &User{ID: newID(), AgencyID: in.AgencyID, Email: in.Email, EmailKey: emailKey(in.Email), FullName: in.FullName,
		FullNameLatin: in.FullNameLatin, Rank: in.Rank, ServiceNumber: in.ServiceNumber, Language: in.Language,
		TimeZone: in.TimeZone, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	for _, r := range in.Roles {
		u.Roles = append(u.Roles, UserRole{UserID: u.ID, Role: r})
	}
	return u
}

// insertUser creates the user and its roles with their audit event, turning
// unique violations into field errors.
func (s *Service) insertUser(tx *gorm.DB, actor access.Actor, u *User, details any) error {
	var n int64
	if err := tx.Model(&Agency{}).Where("id = ?", u.AgencyID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return apperr.Invalid(apperr.Field("agency_id", "user.unknown_agency"))
	}
	if err := uniqueUserFields(tx, u); err != nil {
		return err
	}
	err := tx.Omit("Agency").Create(u).Error
	if db.IsDuplicate(err) { // a concurrent insert won the race
		return apperr.Invalid(apperr.Field("email", "user.email_taken"))
	}
	if err != nil {
		return err
	}
	return s.record(tx, actor, audit.Entry{Action: "user.create", SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID, Details: details})
}

// uniqueUserFields reports a taken email or service number as field errors,
// before the database's unique indexes would refuse them less helpfully.
func uniqueUserFields(tx *gorm.DB, u *User) error {
	var fields []apperr.FieldError
	var n int64
	if err := tx.Model(&User{}).Where("email_key = ? AND id <> ?", u.EmailKey, u.ID).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		fields = append(fields, apperr.Field("email", "user.email_taken"))
	}
	if u.ServiceNumber != "" {
		if err := tx.Model(&User{}).Where("agency_id = ? AND service_number = ? AND id <> ?", u.AgencyID, u.ServiceNumber, u.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			fields = append(fields, apperr.Field("service_number", "user.service_number_taken"))
		}
	}
	if len(fields) > 0 {
		return apperr.Invalid(fields...)
	}
	return nil
}

// GetUser returns a user the actor may see; anyone else's answers not found.
func (s *Service) GetUser(ctx context.Context, actor access.Actor, id string) (*User, error) {
	u, err := s.UserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.ID != actor.UserID && !actor.CanManagePersonnel(u.AgencyID) {
		return nil, apperr.NotFound()
	}
	return u, nil
}

// UserQuery filters the personnel list.
type UserQuery struct {
	Q        string `form:"q"`
	Role     string `form:"role"`
	AgencyID string `form:"agency"`
	Status   string `form:"status"` // active, disabled, or "" for both
	// Security narrows to active people without a second factor
	// ("no_second_factor") or with an invitation not yet taken up ("invited").
	Security string `form:"security"`
	paging.Params
}

// ListUsers lists personnel in the actor's scope: admins any agency,
// agency admins, coordinators and hr their own.
func (s *Service) ListUsers(ctx context.Context, actor access.Actor, q UserQuery) (paging.Page[User], error) {
	p := q.Params.Normalize()
	if !actor.IsAdmin() {
		if !actor.HasAny(access.PersonnelRoles...) {
			return paging.Page[User]{}, apperr.New(apperr.CodeForbidden)
		}
		q.AgencyID = actor.AgencyID
	}
	tx := s.DB.WithContext(ctx).Model(&User{})
	if q.AgencyID != "" {
		tx = tx.Where("users.agency_id = ?", q.AgencyID)
	}
	if q.Role != "" {
		tx = tx.Where("EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = users.id AND r.role = ?)", q.Role)
	}
	switch q.Status {
	case "active":
		tx = tx.Where("users.disabled_at IS NULL")
	case "disabled":
		tx = tx.Where("users.disabled_at IS NOT NULL")
	}
	switch q.Security {
	case "no_second_factor":
		tx = tx.Where("users.disabled_at IS NULL AND NOT EXISTS (SELECT 1 FROM user_totp f WHERE f.user_id = users.id AND f.confirmed_at IS NOT NULL)")
	case "invited":
		tx = tx.Where("EXISTS (SELECT 1 FROM password_tokens pt WHERE pt.user_id = users.id AND pt.purpose = ? AND pt.used_at IS NULL AND pt.expires_at > ?)",
			purposeInvite, clock.Now(s.Clock))
	}
	if term := strings.TrimSpace(q.Q); term != "" {
		like := "%" + escapeLike(strings.ToLower(term)) + "%"
		tx = tx.Where(`(lower(users.full_name) LIKE ? ESCAPE '\' OR users.full_name LIKE ? ESCAPE '\' OR lower(users.full_name_latin) LIKE ? ESCAPE '\'
			OR users.email_key LIKE ? ESCAPE '\' OR lower(users.service_number) LIKE ? ESCAPE '\')`,
			like, "%"+escapeLike(term)+"%", like, like, like)
	}
	var total int64
	if err := tx.Count(&total).Error; err != nil {
		return paging.Page[User]{}, err
	}
	var users []User
	err := tx.Preload("Roles").Preload("Agency").Order("users.full_name, users.id").Limit(p.PerPage).Offset(p.Offset()).Find(&users).Error
	return paging.New(users, total, p), err
}

// escapeLike makes user input literal inside a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// userAudit is what the audit trail keeps of a user: no secrets.
type userAudit struct {
	Email         string   `json:"email"`
	FullName      string   `json:"full_name"`
	FullNameLatin string   `json:"full_name_latin"`
	Rank          string   `json:"rank"`
	ServiceNumber string   `json:"service_number"`
	AgencyID      string   `json:"agency_id"`
	Roles         []string `json:"roles"`
	Language      string   `json:"language"`
	TimeZone      string   `json:"time_zone"`
	Calendar      string   `json:"calendar"`
	Disabled      bool     `json:"disabled"`
}

func userView(u *User) userAudit {
	return userAudit{Email: u.Email, FullName: u.FullName, FullNameLatin: u.FullNameLatin, Rank: u.Rank, ServiceNumber: u.ServiceNumber,
		AgencyID: u.AgencyID, Roles: u.RoleNames(), Language: u.Language,
		TimeZone: u.TimeZone, Calendar: u.Calendar, Disabled: u.Disabled()}
}
