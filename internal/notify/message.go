package notify

import (
	"encoding/json"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"muster/internal/calendar"
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
	// keyWaitingLine is one cohort's line in the approvals digest.
	keyWaitingLine = "mail.approvals_waiting.line"
)

// recipient is whom a notification goes to, as the users table has them now.
type recipient struct {
	ID       string
	Email    string
	FullName string
	Language string
	Calendar string // "", "jalali" or "gregorian": see calendar.Uses
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
	// Dates are stored in facts as Gregorian ISO days; a reader sees them in
	// their calendar and digits (Jalali for Persian).
	date := func(v any) string { return text(localDate(l.Lang, r.Calendar, v)) }
	args := map[string]any{
		"Name": text(r.FullName), "Cohort": text(facts["cohort_code"]), "Course": text(courseTitle(facts, l.Lang)),
		"CourseCode": text(facts["course_code"]), "Starts": date(facts["starts_on"]), "Ends": date(facts["ends_on"]),
		"Position": text(facts["position"]), "Reason": text(facts["reason"]),
		// The link stays bare: a mail client would take an isolate mark into it.
		"URL":     strings.TrimRight(baseURL, "/") + "/me",
		"Expires": date(facts["expires_at"]),
		"When":    date(facts["when"]), "Topic": text(facts["topic"]),
		"Number": text(facts["number"]), "Days": text(facts["days"]), "Waiting": text(facts["count"]), "Holder": text(facts["holder_name"]),
	}
	args["List"] = waitingList(l, facts, text, date)
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

// waitingList writes the digest's cohorts one a line, each course named in
// l's language and its first day in the reader's calendar; "" for other kinds.
func waitingList(l *i18n.Localizer, facts map[string]any, text, date func(any) string) string {
	cohorts, _ := facts["cohorts"].([]any)
	lines := make([]string, 0, len(cohorts))
	for _, v := range cohorts {
		c, ok := v.(map[string]any)
		if !ok {
			continue
		}
		lines = append(lines, "- "+l.TMap(keyWaitingLine, map[string]any{"Course": text(courseTitle(c, l.Lang)),
			"Cohort": text(c["cohort_code"]), "Starts": date(c["starts_on"]), "Waiting": text(c["count"])}, nil))
	}
	return strings.Join(lines, "\n")
}

// localDate writes a fact that starts with an ISO day ("2026-03-21", or
// "2026-03-21 09:00 (Asia/Tehran)") in the Jalali calendar, with the rest
// of it in lang's digits, for a reader who reads Jalali; Gregorian readers
// keep the ISO day, and anything else is left as it is.
func localDate(lang, choice string, v any) any {
	s, ok := v.(string)
	if !ok || len(s) < len(time.DateOnly) || calendar.Uses(lang, choice) != calendar.Jalaali {
		return v
	}
	day, err := time.Parse(time.DateOnly, s[:len(time.DateOnly)])
	if err != nil {
		return v
	}
	rest := s[len(time.DateOnly):]
	if lang == "fa" {
		rest = calendar.PersianDigits(rest)
	}
	return calendar.FormatChoice(lang, choice, day) + rest
}

// courseTitle is the course's title in lang, from the titles the
// notification recorded per language (see i18n.Localized).
func courseTitle(facts map[string]any, lang string) string {
	title, _ := facts["course_title"].(string)
	m, _ := facts["course_titles"].(map[string]any)
	names := make(i18n.Names, len(m))
	for l, v := range m {
		if s, ok := v.(string); ok {
			names[l] = s
		}
	}
	return i18n.Localized(names, title, lang)
}
