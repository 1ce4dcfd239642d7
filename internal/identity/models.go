// Package identity owns agencies, users and their roles, passwords, sign-in
// with lockout, server-side sessions and personal access tokens.
package identity

import (
	"slices"
	"time"

	"muster/internal/access"
	"muster/internal/calendar"
	"muster/internal/i18n"
)

// Agency is a partner organisation whose personnel train in muster.
type Agency struct {
	ID        string `gorm:"primaryKey" json:"id"`
	Name      string `json:"name"`
	ShortName string `json:"short_name"`
	Country   string `json:"country"`
	Kind      string `json:"kind"`
	// SignatoryName and SignatoryTitle sign the certificates the agency issues as host.
	SignatoryName  string `json:"signatory_name"`
	SignatoryTitle string `json:"signatory_title"`
	// TimeZone is the IANA zone of the agency's people unless they set their own.
	TimeZone string `json:"time_zone"`
	// Names are the agency's name per language; Name is the default.
	Names     i18n.Names `json:"names"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// TableName keeps the table name explicit.
func (Agency) TableName() string { return "agencies" }

// User is a person with an account: trainee, instructor, coordinator, hr or admin.
type User struct {
	ID                 string     `gorm:"primaryKey" json:"id"`
	AgencyID           string     `json:"agency_id"`
	Email              string     `json:"email"`
	EmailKey           string     `json:"-"` // lower-cased email, unique
	FullName           string     `json:"full_name"`
	FullNameLatin      string     `json:"full_name_latin"`
	Rank               string     `json:"rank"`
	ServiceNumber      string     `json:"service_number"`
	Language           string     `json:"language"`
	TimeZone           string     `json:"time_zone"` // "" = the agency's
	Calendar           string     `json:"calendar"`  // "", "jalali" or "gregorian"; "" = the language's
	PasswordHash       string     `json:"-" audit:"-"`
	MustChangePassword bool       `json:"must_change_password"`
	DisabledAt         *time.Time `json:"disabled_at"`
	FailedLogins       int        `json:"-" audit:"-"`
	LockedUntil        *time.Time `json:"-" audit:"-"`
	SessionEpoch       int        `json:"-" audit:"-"` // raised to end every session of the user
	CreatedAt          time.Time  `json:"created_at" audit:"-"`
	UpdatedAt          time.Time  `json:"updated_at" audit:"-"`
	Roles              []UserRole `gorm:"foreignKey:UserID" json:"-" audit:"-"`
	Agency             *Agency    `gorm:"foreignKey:AgencyID" json:"-" audit:"-"`
}

// TableName keeps the table name explicit.
func (User) TableName() string { return "users" }

// UserRole grants one role to a user.
type UserRole struct {
	UserID string `gorm:"primaryKey"`
	Role   string `gorm:"primaryKey"`
}

// TableName keeps the table name explicit.
func (UserRole) TableName() string { return "user_roles" }

// RoleNames lists the user's roles in display order.
func (u *User) RoleNames() []string {
	out := make([]string, 0, len(u.Roles))
	for _, r := range access.AllRoles {
		if slices.ContainsFunc(u.Roles, func(ur UserRole) bool { return ur.Role == r }) {
			out = append(out, r)
		}
	}
	return out
}

// Zone is the time zone the person sees times in: their own, else their
// agency's (when loaded), else UTC. Everything that shows a person a time
// asks this one place.
func (u *User) Zone() *time.Location { return u.ZoneOr(time.UTC) }

// ZoneOr is the person's zone, else their agency's, else fallback.
func (u *User) ZoneOr(fallback *time.Location) *time.Location {
	if loc, ok := calendar.LoadZone(u.ZoneName()); ok {
		return loc
	}
	return fallback
}

// ZoneName is the name of the person's zone (see Zone), "" when neither
// they nor their agency have one.
func (u *User) ZoneName() string {
	if u.TimeZone == "" && u.Agency != nil {
		return u.Agency.TimeZone
	}
	return u.TimeZone
}

// Disabled reports whether the account is disabled.
func (u *User) Disabled() bool { return u.DisabledAt != nil }

// Actor is the user acting from ip.
func (u *User) Actor(ip string) access.Actor {
	return access.Actor{UserID: u.ID, Name: u.FullName, AgencyID: u.AgencyID, Roles: u.RoleNames(), IP: ip}
}

// AccessToken lets an API client act as its owner; only a hash of the secret is kept.
type AccessToken struct {
	ID         string     `gorm:"primaryKey" json:"id"`
	UserID     string     `json:"-"`
	Name       string     `json:"name"`
	TokenHash  string     `json:"-"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	CreatedAt  time.Time  `json:"created_at"`
	Epoch      int        `json:"-"`         // the owner's session epoch when made; any later change ends the token
	ReadOnly   bool       `json:"read_only"` // may only read
}

// TableName keeps the table name explicit.
func (AccessToken) TableName() string { return "access_tokens" }

// Session is scs's row: an opaque token, its encoded data and its expiry.
type Session struct {
	Token  string `gorm:"primaryKey"`
	Data   []byte
	Expiry time.Time
}

// TableName keeps the table name explicit.
func (Session) TableName() string { return "sessions" }

// TOTP is a user's time-based one-time password factor. It counts once
// confirmed; LastStep is the last time step accepted, so no code works twice.
type TOTP struct {
	UserID      string `gorm:"primaryKey"`
	Secret      string
	ConfirmedAt *time.Time
	LastStep    int64
	CreatedAt   time.Time
}

// TableName keeps the table name explicit.
func (TOTP) TableName() string { return "user_totp" }

// RecoveryCode is one of a user's one-time codes for when the phone is lost.
type RecoveryCode struct {
	ID       string `gorm:"primaryKey"`
	UserID   string
	CodeHash string
	UsedAt   *time.Time
}

// TableName keeps the table name explicit.
func (RecoveryCode) TableName() string { return "recovery_codes" }

// PasswordToken is a single-use link to set a password: a reset or an invitation.
type PasswordToken struct {
	ID        string `gorm:"primaryKey"`
	UserID    string
	Purpose   string
	TokenHash string
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

// TableName keeps the table name explicit.
func (PasswordToken) TableName() string { return "password_tokens" }

// ThrottleWindow counts sign-in attempts for one key in one window.
type ThrottleWindow struct {
	Key         string    `gorm:"primaryKey"`
	WindowStart time.Time `gorm:"primaryKey"`
	Attempts    int
}

// TableName keeps the table name explicit.
func (ThrottleWindow) TableName() string { return "auth_throttle" }
