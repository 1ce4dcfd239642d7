package notify

import (
	"testing"

	"github.com/emersion/go-smtp"

	"muster/internal/i18n"
)

var catalogs = i18n.MustLoad()

// Compose and Recipient let the external tests read the mail a
// notification becomes.
var Compose = compose

type Recipient = recipient

// The SMTP server the tests run, for the external tests.
type (
	Mailbox  = mailbox
	Delivery = delivery
)

var StartMailbox, Read, CalendarOf, TempFailure = startMailbox, read, calendarOf, tempFailure

func (mb *mailbox) Mailer(t *testing.T, policy string) *SMTPMailer {
	t.Helper()
	return mb.mailer(t, policy)
}

func (mb *mailbox) Messages() []delivery { return mb.messages() }

// Refuse answers RCPT TO with e while it is set.
func (mb *mailbox) Refuse(e *smtp.SMTPError) { mb.refuse.Store(e) }

// Backoff is how long the sender waits before its next attempt.
var Backoff = backoff
