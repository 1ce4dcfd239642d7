package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"muster/internal/clock"
	"muster/internal/i18n"
	"muster/internal/identity"
)

// Defaults of the Sender's settings.
const (
	defaultMaxAttempts = 12
	defaultMaxAge      = 72 * time.Hour
	// Retries wait a minute, then twice as long each time, up to six hours:
	// twelve attempts span about a day.
	firstRetry = time.Minute
	lastRetry  = 6 * time.Hour
	// mailOff is how long a notification waits while mail is off.
	mailOff = 10 * time.Minute
)

var errUnknownKind = errors.New("unknown kind of notification")

// Sender delivers notifications: the job queue hands it one at a time (a
// SendArgs job each), it writes it in its recipient's language and sends it
// through Mailer, then marks it sent or has the queue try again later. The
// queue gives each job to one worker of one process at a time, and a
// notification once marked sent is never sent again.
type Sender struct {
	DB       *gorm.DB
	Clock    clock.Clock
	Mailer   Mailer // nil: mail is off
	Messages *i18n.Catalog
	Logger   *slog.Logger
	BaseURL  string // links in messages point here
	// MaxAttempts bounds delivery attempts before a notification is given up; 0 means 12.
	MaxAttempts int
	// MaxAge is how old a notification may be and still be sent, so that
	// turning mail on does not deliver stale news; 0 means three days.
	MaxAge time.Duration
	// Organizer is the address calendar invitations name as organizer.
	Organizer string
}

// NewSender builds the sender for conf: with an SMTP mailer, or with mail
// off when conf.Host is empty.
func NewSender(gdb *gorm.DB, clk clock.Clock, cat *i18n.Catalog, logger *slog.Logger, conf SMTP, baseURL string) (*Sender, error) {
	s := &Sender{DB: gdb, Clock: clk, Messages: cat, Logger: logger, BaseURL: baseURL, Organizer: "noreply@muster.invalid"}
	if from, err := mail.ParseAddress(conf.From); err == nil {
		s.Organizer = from.Address
	}
	if conf.Host == "" {
		return s, nil
	}
	m, err := NewSMTPMailer(conf)
	if err != nil {
		return nil, err
	}
	s.Mailer = m
	return s, nil
}

// Describe logs once whether mail is on.
func (s *Sender) Describe() {
	if s.Mailer == nil {
		s.logger().Info("mail is off: MUSTER_SMTP_HOST is not set; notifications wait in the outbox")
		return
	}
	s.logger().Info("mail is on", "mailer", fmt.Sprint(s.Mailer))
}

// Deliver sends notification id unless it was sent or given up already. It
// answers nil when done with it, an error the queue retries after backoff,
// or river.JobCancel when trying again cannot help.
func (s *Sender) Deliver(ctx context.Context, id string) error {
	if s.Mailer == nil {
		return river.JobSnooze(mailOff)
	}
	var n Notification
	err := s.DB.WithContext(ctx).Where("id = ? AND sent_at IS NULL AND next_attempt_at IS NOT NULL", id).Take(&n).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	n.Attempts++
	if err := s.DB.WithContext(ctx).Model(&Notification{}).Where("id = ?", n.ID).Update("attempts", n.Attempts).Error; err != nil {
		return err
	}
	people, err := s.recipients(ctx, []Notification{n})
	if err != nil {
		return err
	}
	// Outcomes are recorded even when ctx ended meanwhile.
	rec := context.WithoutCancel(ctx)
	msgs, sending, unsendable := s.write(rec, []Notification{n}, people)
	if len(unsendable) > 0 { // one notification per job: it is given up
		u := unsendable[0]
		s.logger().Info("notification given up", "id", u.ID, "kind", u.Kind, "user", u.UserID, "err", u.LastError)
		if err := s.settle(rec, u, map[string]any{"next_attempt_at": nil, "last_error": u.LastError}); err != nil {
			return err
		}
		return river.JobCancel(errors.New(u.LastError))
	}
	cause := s.Mailer.Send(ctx, msgs)[0]
	return s.record(rec, sending[0], cause)
}

// write composes the claimed notifications that can be sent, and returns
// those that cannot with LastError saying why.
func (s *Sender) write(ctx context.Context, claimed []Notification, people map[string]recipient) (msgs []Message, sending, unsendable []Notification) {
	oldest := clock.Now(s.Clock).Add(-s.maxAge())
	for _, n := range claimed {
		r, ok := people[n.UserID]
		var err error
		switch {
		case n.CreatedAt.Before(oldest):
			err = errors.New("too old to send")
		case !ok:
			err = errors.New("recipient not found")
		case r.Disabled:
			err = errors.New("recipient's account is disabled")
		default:
			var msg Message
			if msg, err = compose(s.Messages, s.BaseURL, n, r); err == nil {
				var facts map[string]any
				_ = json.Unmarshal([]byte(n.Data), &facts) // compose has read it
				if msg.Calendar, msg.Method, err = invitation(ctx, s.DB, n, facts, s.Organizer, r); err == nil {
					msgs, sending = append(msgs, msg), append(sending, n)
					continue
				}
			}
		}
		n.LastError = errorText(err)
		unsendable = append(unsendable, n)
	}
	return msgs, sending, unsendable
}

// record keeps the outcome of sending n: sent, to be retried (the error
// is answered to the queue), or given up after a refusal for good or too
// many attempts.
func (s *Sender) record(ctx context.Context, n Notification, cause error) error {
	switch {
	case cause == nil:
		return s.sent(ctx, n)
	case errors.Is(cause, ErrRejected) || n.Attempts >= s.maxAttempts():
		s.logger().Warn("notification given up", "id", n.ID, "kind", n.Kind, "user", n.UserID, "attempts", n.Attempts, "err", cause)
		if err := s.giveUp(ctx, n, cause); err != nil {
			return err
		}
		return river.JobCancel(cause)
	default:
		s.logger().Info("notification not delivered; will retry", "id", n.ID, "kind", n.Kind, "attempts", n.Attempts, "err", cause)
		if err := s.retry(ctx, n, cause); err != nil {
			return err
		}
		return cause
	}
}

// recipients reads the people the notifications go to.
func (s *Sender) recipients(ctx context.Context, ns []Notification) (map[string]recipient, error) {
	ids := make([]string, 0, len(ns))
	for _, n := range ns {
		ids = append(ids, n.UserID)
	}
	var users []identity.User
	err := s.DB.WithContext(ctx).Select("id", "email", "full_name", "language", "calendar", "disabled_at").Where("id IN ?", ids).Find(&users).Error
	if err != nil {
		return nil, err
	}
	out := make(map[string]recipient, len(users))
	for _, u := range users {
		out[u.ID] = recipient{ID: u.ID, Email: u.Email, FullName: u.FullName, Language: u.Language, Calendar: u.Calendar, Disabled: u.DisabledAt != nil}
	}
	return out, nil
}

// sent marks n delivered. Like retry and giveUp it changes n only while
// no other attempt has started since this one.
func (s *Sender) sent(ctx context.Context, n Notification) error {
	updates := map[string]any{"sent_at": clock.Now(s.Clock), "next_attempt_at": nil, "last_error": ""}
	if slices.Contains(secretKinds, n.Kind) {
		updates["data"] = "{}" // the link's secret is kept no longer than needed
	}
	return s.settle(ctx, n, updates)
}

// retry schedules another attempt after a wait that doubles with each one.
func (s *Sender) retry(ctx context.Context, n Notification, cause error) error {
	return s.settle(ctx, n, map[string]any{"next_attempt_at": clock.Now(s.Clock).Add(backoff(n.Attempts)), "last_error": errorText(cause)})
}

// giveUp stops trying n, keeping why.
func (s *Sender) giveUp(ctx context.Context, n Notification, cause error) error {
	return s.settle(ctx, n, map[string]any{"next_attempt_at": nil, "last_error": errorText(cause)})
}

func (s *Sender) settle(ctx context.Context, n Notification, updates map[string]any) error {
	return s.DB.WithContext(ctx).Model(&Notification{}).Where("id = ? AND attempts = ? AND sent_at IS NULL", n.ID, n.Attempts).
		Updates(updates).Error
}

// backoff is the wait after the attempts-th failed attempt.
func backoff(attempts int) time.Duration {
	d := firstRetry
	for i := 1; i < attempts && d < lastRetry; i++ {
		d *= 2
	}
	return min(d, lastRetry)
}

// errorText is err as stored: one bounded line.
func errorText(err error) string {
	const limit = 1000
	s := err.Error()
	if len(s) > limit {
		s = strings.ToValidUTF8(s[:limit], "")
	}
	return s
}

func (s *Sender) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

func (s *Sender) maxAge() time.Duration {
	if s.MaxAge <= 0 {
		return defaultMaxAge
	}
	return s.MaxAge
}

func (s *Sender) maxAttempts() int {
	if s.MaxAttempts <= 0 {
		return defaultMaxAttempts
	}
	return s.MaxAttempts
}
