package notify

import (
	"encoding/json"
	"net/mail"
	"net/url"
	"strconv"
	"strings"

	"muster/internal/i18n"
)

// keys are the subject and body message keys of each kind.
var keys = map[string][2]string{
	KindEnrolled:            {"mail.enrollment.enrolled.subject", "mail.enrollment.enrolled.body"},
	KindWaitlisted:          {"mail.enrollment.waitlisted.subject", "mail.enrollment.waitlisted.body"},
	KindPending:             {"mail.enrollment.pending.subject", "mail.enrollment.pending.body"},
	KindApproved:            {"mail.enrollment.approved.subject", "mail.enrollment.approved.body"},
	KindRejected:            {"mail.enrollment.rejected.subject", "mail.enrollment.rejected.body"},
	KindWithdrawn:           {"mail.enrollment.withdrawn.subject", "mail.enrollment.withdrawn.body"},
	KindPromoted:            {"mail.enrollment.promoted.subject", "mail.enrollment.promoted.body"},
	KindCancelled:           {"mail.enrollment.cancelled.subject", "mail.enrollment.cancelled.body"},
	KindClosed:              {"mail.enrollment.closed.subject", "mail.enrollment.closed.body"},
	KindSessionReminder:     {"mail.session_reminder.subject", "mail.session_reminder.body"},
	KindSessionChanged:      {"mail.session_changed.subject", "mail.session_changed.body"},
	KindCertificateExpiring: {"mail.certificate_expiring.subject", "mail.certificate_expiring.body"},
	KindApprovalsWaiting:    {"mail.approvals_waiting.subject", "mail.approvals_waiting.body"},
	KindPasswordReset:       {"mail.password_reset.subject", "mail.password_reset.body"},
	KindInvitation:          {"mail.invitation.subject", "mail.invitation.body"},
}

// secretKinds carry a link's secret in their data, wiped once sent.
var secretKinds = []string{KindPasswordReset, KindInvitation}

// Keys of the parts every message shares.
const (
	keyGreeting = "mail.greeting"
	keyReason   = "mail.reason"
	keyFooter   = "mail.footer"
)

// recipient is whom a notification goes to, as the users table has them now.
type recipient struct {
	ID       string
	Email    string
	FullName string
	Language string
	Disabled bool
}

// compose writes notification n to r in r's language. baseURL is where
// they see their training.
func compose(cat *i18n.Catalog, baseURL string, n Notification, r recipient) (Message, error) {
	k, ok := keys[n.Kind]
	if !ok {
		return Message{}, errUnknownKind
	}
	var facts map[string]any
	if err := json.Unmarshal([]byte(n.Data), &facts); err != nil {
		return Message{}, err
	}
	l := cat.For(r.Language)
	rtl := l.Dir() == "rtl"
	text := func(v any) string {
		s, _ := v.(string)
		if f, ok := v.(float64); ok {
			s = strconv.FormatInt(int64(f), 10)
		}
		if rtl && s != "" {
			return "\u2068" + s + "\u2069" // isolated, so codes and dates keep their order in right-to-left text
		}
		return s
	}
	args := map[string]any{
		"Name": text(r.FullName), "Cohort": text(facts["cohort_code"]), "Course": text(facts["course_title"]),
		"CourseCode": text(facts["course_code"]), "Starts": text(facts["starts_on"]), "Ends": text(facts["ends_on"]),
		"Position": text(facts["position"]), "Reason": text(facts["reason"]),
		// The link stays bare: a mail client would take an isolate mark into it.
		"URL":     strings.TrimRight(baseURL, "/") + "/me",
		"Expires": text(facts["expires_at"]),
		"When":    text(facts["when"]), "Topic": text(facts["topic"]),
		"Number": text(facts["number"]), "Days": text(facts["days"]), "Waiting": text(facts["count"]), "Holder": text(facts["holder_name"]),
	}
	if token, _ := facts["token"].(string); token != "" {
		args["Link"] = strings.TrimRight(baseURL, "/") + "/password-reset/confirm?token=" + url.QueryEscape(token)
	}
	var b strings.Builder
	b.WriteString(l.TMap(keyGreeting, args, nil))
	b.WriteString("\n\n")
	b.WriteString(l.TMap(k[1], args, nil))
	if args["Reason"] != "" {
		b.WriteString("\n\n")
		b.WriteString(l.TMap(keyReason, args, nil))
	}
	b.WriteString("\n\n-- \n")
	b.WriteString(l.TMap(keyFooter, args, nil))
	b.WriteString("\n")
	return Message{ID: n.ID, To: mail.Address{Name: r.FullName, Address: r.Email}, Language: l.Lang,
		Subject: l.TMap(k[0], args, nil), Body: b.String()}, nil
}
