package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"muster/internal/clock"
	"muster/internal/db"
	"muster/internal/i18n"
	"muster/internal/identity"
)

// Defaults of the Sender's settings.
const (
	defaultBatch       = 20
	defaultEvery       = 5 * time.Second
	defaultMaxAttempts = 12
	defaultMaxAge      = 72 * time.Hour
	// lease is how long a claimed notification stays with its sender: past
	// it, a sender that died while sending is taken to have failed.
	lease = 5 * time.Minute
	// Retries wait a minute, then twice as long each time, up to six hours:
	// twelve attempts span about a day.
	firstRetry = time.Minute
	lastRetry  = 6 * time.Hour
)

var errUnknownKind = errors.New("unknown kind of notification")

// Sender delivers the outbox: it claims due notifications in batches,
// writes each in its recipient's language and sends them through Mailer,
// then marks them sent or schedules a retry. Any number of senders, in any
// number of processes, may run on one database: each notification is
// claimed by one of them at a time.
type Sender struct {
	DB       *gorm.DB
	Clock    clock.Clock
	Mailer   Mailer // nil: mail is off
	Messages *i18n.Catalog
	Logger   *slog.Logger
	BaseURL  string // links in messages point here
	// Batch is how many notifications one round claims; 0 means 20.
	Batch int
	// Every is the pause between rounds; 0 means five seconds.
	Every time.Duration
	// MaxAttempts bounds delivery attempts before a notification is given up; 0 means 12.
	MaxAttempts int
	// MaxAge is how old a notification may be and still be sent, so that
	// turning mail on does not deliver stale news; 0 means three days.
	MaxAge time.Duration
}

// NewSender builds the sender for conf: with an SMTP mailer, or with mail
// off when conf.Host is empty.
func NewSender(gdb *gorm.DB, clk clock.Clock, cat *i18n.Catalog, logger *slog.Logger, conf SMTP, baseURL string) (*Sender, error) {
	s := &Sender{DB: gdb, Clock: clk, Messages: cat, Logger: logger, BaseURL: baseURL}
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

// Run delivers due notifications every few seconds until ctx ends. With no
// Mailer it says once that mail is off and returns; notifications then wait
// in the outbox.
func (s *Sender) Run(ctx context.Context) {
	if s.Mailer == nil {
		s.logger().Info("mail is off: MUSTER_SMTP_HOST is not set; notifications wait in the outbox")
		return
	}
	s.logger().Info("mail is on", "mailer", fmt.Sprint(s.Mailer))
	t := time.NewTicker(s.every())
	defer t.Stop()
	for {
		for ctx.Err() == nil {
			n, err := s.SendDue(ctx)
			if err != nil {
				if ctx.Err() == nil {
					s.logger().Warn("notifications: round failed", "err", err)
				}
				break
			}
			if n < s.batch() { // the outbox has nothing more due
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SendDue runs one round: claims up to Batch due notifications, sends them
// and records the outcome of each. It answers how many it claimed.
func (s *Sender) SendDue(ctx context.Context) (int, error) {
	if s.Mailer == nil {
		return 0, nil
	}
	claimed, err := s.claim(ctx)
	if err != nil || len(claimed) == 0 {
		return 0, err
	}
	people, err := s.recipients(ctx, claimed)
	if err != nil {
		return len(claimed), err
	}
	msgs, sending, unsendable := s.write(claimed, people)
	var errs []error
	if len(msgs) > 0 {
		errs = s.Mailer.Send(ctx, msgs)
	}
	// Outcomes are recorded even when ctx ended meanwhile, so nothing stays claimed for the lease.
	rec := context.WithoutCancel(ctx)
	for _, n := range unsendable {
		s.logger().Info("notification given up", "id", n.ID, "kind", n.Kind, "user", n.UserID, "err", n.LastError)
		if err := s.settle(rec, n, map[string]any{"next_attempt_at": nil, "last_error": n.LastError}); err != nil {
			return len(claimed), err
		}
	}
	for i, n := range sending {
		var cause error
		if i < len(errs) {
			cause = errs[i]
		}
		if err := s.record(rec, n, cause); err != nil {
			return len(claimed), err
		}
	}
	return len(claimed), nil
}

// write composes the claimed notifications that can be sent, and returns
// those that cannot with LastError saying why.
func (s *Sender) write(claimed []Notification, people map[string]recipient) (msgs []Message, sending, unsendable []Notification) {
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
				msgs, sending = append(msgs, msg), append(sending, n)
				continue
			}
		}
		n.LastError = errorText(err)
		unsendable = append(unsendable, n)
	}
	return msgs, sending, unsendable
}

// record keeps the outcome of sending n: sent, to be retried, or given up
// after a refusal for good or too many attempts.
func (s *Sender) record(ctx context.Context, n Notification, cause error) error {
	switch {
	case cause == nil:
		return s.sent(ctx, n)
	case errors.Is(cause, ErrRejected) || n.Attempts >= s.maxAttempts():
		s.logger().Warn("notification given up", "id", n.ID, "kind", n.Kind, "user", n.UserID, "attempts", n.Attempts, "err", cause)
		return s.giveUp(ctx, n, cause)
	default:
		s.logger().Info("notification not delivered; will retry", "id", n.ID, "kind", n.Kind, "attempts", n.Attempts, "err", cause)
		return s.retry(ctx, n, cause)
	}
}

// claim takes up to Batch due notifications for this sender: their next
// attempt moves a lease ahead and their attempts are counted, in one short
// transaction. On PostgreSQL rows another sender is claiming are skipped;
// SQLite's IMMEDIATE transactions run one claim at a time.
func (s *Sender) claim(ctx context.Context) ([]Notification, error) {
	now := clock.Now(s.Clock)
	var due []Notification
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		q := tx.Where("next_attempt_at <= ?", now).Order("next_attempt_at, id").Limit(s.batch())
		if db.Dialect(tx) == db.Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		if err := q.Find(&due).Error; err != nil || len(due) == 0 {
			return err
		}
		ids := make([]string, len(due))
		for i := range due {
			ids[i] = due[i].ID
			due[i].Attempts++
		}
		return tx.Model(&Notification{}).Where("id IN ?", ids).
			Updates(map[string]any{"attempts": gorm.Expr("attempts + 1"), "next_attempt_at": now.Add(lease)}).Error
	})
	if err != nil {
		return nil, err
	}
	return due, nil
}

// recipients reads the people the notifications go to.
func (s *Sender) recipients(ctx context.Context, ns []Notification) (map[string]recipient, error) {
	ids := make([]string, 0, len(ns))
	for _, n := range ns {
		ids = append(ids, n.UserID)
	}
	var users []identity.User
	err := s.DB.WithContext(ctx).Select("id", "email", "full_name", "language", "disabled_at").Where("id IN ?", ids).Find(&users).Error
	if err != nil {
		return nil, err
	}
	out := make(map[string]recipient, len(users))
	for _, u := range users {
		out[u.ID] = recipient{ID: u.ID, Email: u.Email, FullName: u.FullName, Language: u.Language, Disabled: u.DisabledAt != nil}
	}
	return out, nil
}

// sent marks n delivered. Like retry and giveUp it changes n only while
// this sender's claim holds: a sender whose lease ran out changes nothing.
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

func (s *Sender) batch() int {
	if s.Batch <= 0 {
		return defaultBatch
	}
	return s.Batch
}

func (s *Sender) every() time.Duration {
	if s.Every <= 0 {
		return defaultEvery
	}
	return s.Every
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
