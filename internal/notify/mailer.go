package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one e-mail, written and ready to send.
type Message struct {
	ID       string // the notification's id, which makes the Message-ID
	To       mail.Address
	Language string // the body's language, for Content-Language
	Subject  string
	Body     string // plain text
	// Calendar is an iTIP calendar (RFC 5546) sent beside the text, with
	// its Method (REQUEST or CANCEL); empty for none.
	Calendar string
	Method   string
}

// Mailer delivers messages. Send answers one error, or nil, per message,
// in order; an error wrapping ErrRejected will not succeed if tried again.
type Mailer interface {
	Send(ctx context.Context, msgs []Message) []error
}

// ErrRejected marks a message the mail server refused for good (a 5xx
// answer): it is not tried again.
var ErrRejected = errors.New("rejected by the mail server")

// TLS policies of SMTP.TLS.
const (
	TLSMandatory     = "mandatory"     // STARTTLS or fail
	TLSOpportunistic = "opportunistic" // STARTTLS when offered
	TLSNone          = "none"          // plain text, for a relay on the same host or network
)

// SMTP is how to reach the mail server (MUSTER_SMTP_*). An empty Host
// turns mail off.
type SMTP struct {
	Host     string
	Port     int // 587 when 0
	Username string
	Password string
	From     string // the sender, like "muster <noreply@example.org>"
	TLS      string // mandatory (when empty), opportunistic or none
}

// SMTPMailer sends through an SMTP server with go-mail, one connection per batch.
type SMTPMailer struct {
	conf   SMTP
	from   *mail.Address
	tls    *tls.Config // nil: verify the server's certificate against the system's roots
	client func() (*gomail.Client, error)
}

// NewSMTPMailer checks c and returns a mailer for it.
func NewSMTPMailer(c SMTP) (*SMTPMailer, error) {
	return newSMTPMailer(c, nil)
}

func newSMTPMailer(c SMTP, tlsConf *tls.Config) (*SMTPMailer, error) {
	if c.Host == "" {
		return nil, errors.New("smtp: MUSTER_SMTP_HOST is empty")
	}
	if c.Port == 0 {
		c.Port = 587
	}
	if c.Port < 1 || c.Port > 65535 {
		return nil, fmt.Errorf("smtp: MUSTER_SMTP_PORT %d is not a port", c.Port)
	}
	if c.TLS == "" {
		c.TLS = TLSMandatory
	}
	policy, ok := map[string]gomail.TLSPolicy{TLSMandatory: gomail.TLSMandatory, TLSOpportunistic: gomail.TLSOpportunistic, TLSNone: gomail.NoTLS}[c.TLS]
	if !ok {
		return nil, fmt.Errorf("smtp: MUSTER_SMTP_TLS must be mandatory, opportunistic or none, not %q", c.TLS)
	}
	from, err := mail.ParseAddress(c.From)
	if err != nil {
		return nil, fmt.Errorf("smtp: MUSTER_SMTP_FROM %q is not an address", c.From)
	}
	if tlsConf == nil {
		tlsConf = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	tlsConf.ServerName = c.Host
	m := &SMTPMailer{conf: c, from: from, tls: tlsConf}
	m.client = func() (*gomail.Client, error) {
		opts := []gomail.Option{gomail.WithPort(c.Port), gomail.WithTLSPolicy(policy), gomail.WithTLSConfig(m.tls),
			gomail.WithTimeout(30 * time.Second)}
		if c.Username != "" {
			// The strongest mechanism both sides have; never a clear-text password without TLS.
			opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
				gomail.WithUsername(c.Username), gomail.WithPassword(c.Password))
		}
		return gomail.NewClient(c.Host, opts...)
	}
	return m, nil
}

// String describes the mailer for logs, without the credentials.
func (m *SMTPMailer) String() string {
	return fmt.Sprintf("smtp://%s:%d (tls %s, from %s)", m.conf.Host, m.conf.Port, m.conf.TLS, m.from.Address)
}

// Send delivers msgs over one connection.
func (m *SMTPMailer) Send(ctx context.Context, msgs []Message) []error {
	errs := make([]error, len(msgs))
	all := func(err error) []error {
		for i := range errs {
			errs[i] = m.clean(err)
		}
		return errs
	}
	out := make([]*gomail.Msg, 0, len(msgs))
	index := make([]int, 0, len(msgs)) // position in msgs of each message in out
	for i, msg := range msgs {
		gm, err := m.compose(msg)
		if err != nil {
			errs[i] = fmt.Errorf("%w: %v", ErrRejected, err)
			continue
		}
		out = append(out, gm)
		index = append(index, i)
	}
	if len(out) == 0 {
		return errs
	}
	client, err := m.client()
	if err != nil {
		return all(err)
	}
	conn, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return all(err)
	}
	defer func() { _ = client.CloseWithSMTPClient(conn) }()
	sendErr := client.SendWithSMTPClient(conn, out...)
	own := false
	for j, gm := range out {
		if gm.HasSendError() {
			errs[index[j]], own = m.clean(gm.SendError()), true
		}
	}
	if sendErr != nil && !own { // the connection failed before any message was tried
		for _, i := range index {
			errs[i] = m.clean(sendErr)
		}
	}
	return errs
}

// compose builds msg as go-mail's message.
func (m *SMTPMailer) compose(msg Message) (*gomail.Msg, error) {
	gm := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	gm.FromMailAddress(m.from)
	to := msg.To
	if _, err := mail.ParseAddress(to.Address); err != nil {
		return nil, fmt.Errorf("recipient address: %v", err)
	}
	gm.ToMailAddress(&to)
	gm.Subject(strings.Join(strings.Fields(msg.Subject), " ")) // one line, whatever a title holds
	gm.SetBodyString(gomail.TypeTextPlain, msg.Body)
	if msg.Calendar != "" {
		// RFC 6047: the invitation is an alternative of the text, which calendar-aware clients offer to accept.
		gm.AddAlternativeString(gomail.ContentType("text/calendar; method="+msg.Method), msg.Calendar)
	}
	gm.SetMessageIDWithValue(msg.ID + "@" + domainOf(m.from.Address))
	gm.SetDate()
	if msg.Language != "" {
		gm.SetGenHeader(gomail.HeaderContentLang, msg.Language)
	}
	gm.SetGenHeader("Auto-Submitted", "auto-generated") // RFC 3834: no vacation replies
	return gm, nil
}

// clean keeps the password out of an error, and marks a refusal for good as ErrRejected.
func (m *SMTPMailer) clean(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if m.conf.Password != "" {
		msg = strings.ReplaceAll(msg, m.conf.Password, "xxxxx")
	}
	var se *gomail.SendError
	if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
		return fmt.Errorf("%w: %s", ErrRejected, msg)
	}
	return errors.New(msg)
}

func domainOf(addr string) string {
	if _, d, ok := strings.Cut(addr, "@"); ok && d != "" {
		return d
	}
	return "muster.invalid"
}
