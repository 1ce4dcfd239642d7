// Package config reads muster's settings from the environment into a typed,
// validated struct. Every variable may also be given as NAME_FILE, naming a
// file that holds the value, so secrets stay out of the process environment.
package config

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"

	"muster/internal/access"
	"muster/internal/secret"
)

// Config is every setting muster reads at start.
type Config struct {
	Addr        string `env:"MUSTER_ADDR" envDefault:":8080" help:"listen address"`
	DatabaseURL string `env:"DATABASE_URL" envDefault:"muster.db" help:"SQLite file path, or postgres://... for PostgreSQL"`
	ReadURL     string `env:"DATABASE_READ_URL" help:"optional PostgreSQL read replica for the catalogue, exports and reports (reads that may lag)"`
	BaseURL     string `env:"MUSTER_BASE_URL" envDefault:"http://localhost:8080" help:"public URL, used in links, verification URLs and the Secure cookie flag"`
	LogLevel    string `env:"MUSTER_LOG_LEVEL" envDefault:"info" help:"debug, info, warn or error"`
	LogFormat   string `env:"MUSTER_LOG_FORMAT" envDefault:"text" help:"text or json"`

	MaxBodyBytes    int64         `env:"MUSTER_MAX_BODY_BYTES" envDefault:"1048576" help:"largest accepted request body"`
	ShutdownTimeout time.Duration `env:"MUSTER_SHUTDOWN_TIMEOUT" envDefault:"15s" help:"how long in-flight requests may finish after SIGTERM"`
	TrustedProxies  []string      `env:"MUSTER_TRUSTED_PROXIES" envSeparator:"," help:"comma-separated proxy addresses or CIDRs whose X-Forwarded-For is trusted"`

	DBMaxOpenConns    int           `env:"MUSTER_DB_MAX_OPEN_CONNS" envDefault:"20" help:"PostgreSQL pool size"`
	DBMaxIdleConns    int           `env:"MUSTER_DB_MAX_IDLE_CONNS" envDefault:"10" help:"idle connections kept in the pool"`
	DBConnMaxLifetime time.Duration `env:"MUSTER_DB_CONN_MAX_LIFETIME" envDefault:"30m" help:"recycle connections after this long"`

	SessionIdleTimeout time.Duration `env:"MUSTER_SESSION_IDLE_TIMEOUT" envDefault:"30m" help:"sign out after this long without a request"`
	SessionLifetime    time.Duration `env:"MUSTER_SESSION_LIFETIME" envDefault:"12h" help:"sign out after this long whatever the activity"`
	LockoutThreshold   int           `env:"MUSTER_LOCKOUT_THRESHOLD" envDefault:"5" help:"failed sign-ins in a row that lock an account"`
	LockoutDuration    time.Duration `env:"MUSTER_LOCKOUT_DURATION" envDefault:"15m" help:"how long a locked account stays locked"`
	MFARequiredRoles   []string      `env:"MUSTER_MFA_REQUIRED_ROLES" envDefault:"admin,agency_admin,coordinator,hr" help:"roles that must sign in with a second factor (comma-separated; none for none)"`
	LoginAccountLimit  int           `env:"MUSTER_LOGIN_ACCOUNT_LIMIT" envDefault:"20" help:"sign-in attempts per account per 5 minutes"`
	LoginAddressLimit  int           `env:"MUSTER_LOGIN_ADDRESS_LIMIT" envDefault:"30" help:"failed sign-ins per client address per 5 minutes"`

	CertificatePrefix string `env:"MUSTER_CERT_PREFIX" envDefault:"MUS" help:"prefix of certificate numbers (PREFIX-YYYY-NNNNNN)"`
	RecertWindowDays  int    `env:"MUSTER_RECERT_WINDOW_DAYS" envDefault:"90" help:"days before expiry in which a certificate holder may enroll again"`
	ChromiumPath      string `env:"MUSTER_CHROMIUM" envDefault:"/usr/bin/chromium" help:"headless Chromium used to print certificate PDFs"`
	SigningKey        string `env:"MUSTER_SIGNING_KEY" help:"Ed25519 seed (32 bytes, base64) that signs certificate credentials; unset keeps a generated key in the database"`
	SecretKey         string `env:"MUSTER_SECRET_KEY" help:"32 random bytes in base64 that encrypt the signing keys kept in the database; required to generate one when MUSTER_BASE_URL is https"`

	AuditRetentionDays int           `env:"MUSTER_AUDIT_RETENTION_DAYS" envDefault:"730" help:"days audit events are kept before muster audit archive may move them to a file (at least 365)"`
	MailRetentionDays  int           `env:"MUSTER_MAIL_RETENTION_DAYS" envDefault:"90" help:"days sent (or given-up) e-mails stay in the outbox"`
	ThrottleRetention  time.Duration `env:"MUSTER_THROTTLE_RETENTION" envDefault:"24h" help:"how long sign-in throttle windows (failed sign-in identifiers, client addresses) are kept (at least 1h)"`
	RetentionInterval  time.Duration `env:"MUSTER_RETENTION_INTERVAL" envDefault:"6h" help:"how often serve removes what has aged out"`

	SMTPHost            string        `env:"MUSTER_SMTP_HOST" help:"mail server for notifications; empty turns mail off"`
	SMTPPort            int           `env:"MUSTER_SMTP_PORT" envDefault:"587" help:"mail server port"`
	SMTPUsername        string        `env:"MUSTER_SMTP_USERNAME" help:"mail server user; empty sends without AUTH"`
	SMTPPassword        string        `env:"MUSTER_SMTP_PASSWORD" help:"mail server password (or MUSTER_SMTP_PASSWORD_FILE)"`
	SMTPFrom            string        `env:"MUSTER_SMTP_FROM" help:"sender of notifications, like \"muster <noreply@example.org>\""`
	SMTPTLS             string        `env:"MUSTER_SMTP_TLS" envDefault:"mandatory" help:"STARTTLS policy: mandatory, opportunistic or none (a relay on the same host or network)"`
	WebhookAllowPrivate bool          `env:"MUSTER_WEBHOOK_ALLOW_PRIVATE" envDefault:"false" help:"let webhooks deliver to loopback, private and link-local addresses (tests, closed networks)"`
	JobRetention        time.Duration `env:"MUSTER_JOB_RETENTION" envDefault:"168h" help:"how long the job queue keeps finished, cancelled and discarded jobs (sent e-mails follow MUSTER_MAIL_RETENTION_DAYS)"`
}

// Load reads the environment, resolving NAME_FILE forms, and validates.
func Load() (Config, error) {
	return LoadFrom(os.Environ())
}

// LoadFrom is Load over an explicit environment, for tests.
func LoadFrom(environ []string) (Config, error) {
	vars, err := resolveFiles(environ)
	if err != nil {
		return Config{}, err
	}
	var c Config
	if err := env.ParseWithOptions(&c, env.Options{Environment: vars}); err != nil {
		return Config{}, namedParseError(err)
	}
	if err := c.validate(); err != nil {
		return c, err
	}
	if slices.Equal(c.MFARequiredRoles, []string{"none"}) {
		c.MFARequiredRoles = nil
	}
	return c, nil
}

// resolveFiles turns NAME_FILE=path into NAME=<contents of path> unless NAME is set.
func resolveFiles(environ []string) (map[string]string, error) {
	vars := make(map[string]string, len(environ))
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	for k, path := range vars {
		name, ok := strings.CutSuffix(k, "_FILE")
		if !ok || !(strings.HasPrefix(name, "MUSTER_") || name == "DATABASE_URL" || name == "DATABASE_READ_URL") {
			continue
		}
		if _, set := vars[name]; set {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("config: %s: %w", k, err)
		}
		vars[name] = strings.TrimRight(string(b), "\r\n")
	}
	return vars, nil
}

func (c Config) validate() error {
	var errs []error
	bad := func(name, why string) { errs = append(errs, fmt.Errorf("%s: %s", name, why)) }
	if c.Addr == "" {
		bad("MUSTER_ADDR", "must not be empty")
	}
	if c.DatabaseURL == "" {
		bad("DATABASE_URL", "must not be empty")
	}
	if c.ReadURL != "" && (!isPostgres(c.ReadURL) || !isPostgres(c.DatabaseURL)) {
		bad("DATABASE_READ_URL", "must be a postgres:// URL, and DATABASE_URL too: a replica serves a PostgreSQL primary")
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("MUSTER_BASE_URL", "must be an absolute http or https URL")
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("MUSTER_LOG_LEVEL", "must be debug, info, warn or error")
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		bad("MUSTER_LOG_FORMAT", "must be text or json")
	}
	if c.MaxBodyBytes < 1024 {
		bad("MUSTER_MAX_BODY_BYTES", "must be at least 1024")
	}
	if c.DBMaxOpenConns < 1 {
		bad("MUSTER_DB_MAX_OPEN_CONNS", "must be at least 1")
	}
	if c.SessionIdleTimeout < time.Minute || c.SessionLifetime < c.SessionIdleTimeout {
		bad("MUSTER_SESSION_IDLE_TIMEOUT", "must be at least 1m and not above MUSTER_SESSION_LIFETIME")
	}
	if c.LockoutThreshold < 1 {
		bad("MUSTER_LOCKOUT_THRESHOLD", "must be at least 1")
	}
	if c.LockoutDuration <= 0 {
		bad("MUSTER_LOCKOUT_DURATION", "must be positive")
	}
	for _, r := range c.MFARequiredRoles {
		if !slices.Contains(access.AllRoles, r) && !slices.Equal(c.MFARequiredRoles, []string{"none"}) {
			bad("MUSTER_MFA_REQUIRED_ROLES", "unknown role "+strconv.Quote(r))
		}
	}
	if c.LoginAccountLimit < c.LockoutThreshold || c.LoginAddressLimit < 1 {
		bad("MUSTER_LOGIN_ACCOUNT_LIMIT", "must be at least MUSTER_LOCKOUT_THRESHOLD, and MUSTER_LOGIN_ADDRESS_LIMIT at least 1")
	}
	if !certPrefix.MatchString(c.CertificatePrefix) {
		bad("MUSTER_CERT_PREFIX", "must be 2 to 6 capital letters")
	}
	switch c.SMTPTLS {
	case "mandatory", "opportunistic", "none":
	default:
		bad("MUSTER_SMTP_TLS", "must be mandatory, opportunistic or none")
	}
	if c.SMTPHost != "" {
		if c.SMTPPort < 1 || c.SMTPPort > 65535 {
			bad("MUSTER_SMTP_PORT", "must be a port number")
		}
		if _, err := mail.ParseAddress(c.SMTPFrom); err != nil {
			bad("MUSTER_SMTP_FROM", "must be an address like muster <noreply@example.org>")
		}
	}
	if c.SecretKey != "" {
		if _, err := secret.ParseKey(c.SecretKey); err != nil {
			bad("MUSTER_SECRET_KEY", err.Error())
		}
	}
	if c.JobRetention < time.Hour {
		bad("MUSTER_JOB_RETENTION", "must be at least 1h")
	}
	if c.RecertWindowDays < 0 || c.RecertWindowDays > 3650 {
		bad("MUSTER_RECERT_WINDOW_DAYS", "must be between 0 and 3650")
	}
	if c.AuditRetentionDays < 365 {
		bad("MUSTER_AUDIT_RETENTION_DAYS", "must be at least 365: audit events are kept a year or more")
	}
	if c.MailRetentionDays < 1 {
		bad("MUSTER_MAIL_RETENTION_DAYS", "must be at least 1")
	}
	if c.ThrottleRetention < time.Hour {
		bad("MUSTER_THROTTLE_RETENTION", "must be at least 1h, the longest throttle window")
	}
	if c.RetentionInterval < time.Minute {
		bad("MUSTER_RETENTION_INTERVAL", "must be at least 1m")
	}
	return errors.Join(errs...)
}

// isPostgres matches db.IsPostgres (config comes before the database).
func isPostgres(u string) bool {
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

var certPrefix = regexp.MustCompile(`^[A-Z]{2,6}$`)

// SecureCookies reports whether cookies must carry the Secure flag.
func (c Config) SecureCookies() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// Variable describes one environment variable for help texts and the README.
type Variable struct{ Name, Default, Help string }

// namedParseError rewrites env's field-named parse errors to name the variable.
func namedParseError(err error) error {
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return fmt.Errorf("config: %w", err)
	}
	t := reflect.TypeFor[Config]()
	var errs []error
	for _, e := range agg.Errors {
		var pe env.ParseError
		if errors.As(e, &pe) {
			if f, ok := t.FieldByName(pe.Name); ok {
				name, _, _ := strings.Cut(f.Tag.Get("env"), ",")
				errs = append(errs, fmt.Errorf("%s: %w", name, pe.Err))
				continue
			}
		}
		errs = append(errs, e)
	}
	return errors.Join(errs...)
}
