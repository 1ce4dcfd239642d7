package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"
)

// waitlisted is a notification as the outbox holds it, for composing.
func waitlisted(id string) Notification {
	return Notification{ID: id, Kind: KindWaitlisted, Data: `{"cohort_code":"CN-DYU-7","course_code":"CN-101",` +
		`"course_title":"Counter-narcotics field work","starts_on":"2026-03-22","ends_on":"2026-03-26","position":3}`}
}

func TestMailerSendsEachPersonTheirLanguage(t *testing.T) {
	mb := startMailbox(t, false, "")
	people := []recipient{
		{ID: "fa", Email: "maryam@police.example", FullName: "Maryam Karimi", Language: "fa"},
		{ID: "ru", Email: "ivanov@dca.example", FullName: "Ivan Ivanov", Language: "ru"},
	}
	var msgs []Message
	for i, r := range people {
		msg, err := compose(catalogs, "https://muster.example", waitlisted([]string{"0193a000-0000-7000-8000-00000000000f", "0193a000-0000-7000-8000-00000000000e"}[i]), r)
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, msg)
	}
	for i, err := range mb.mailer(t, TLSNone).Send(context.Background(), msgs) {
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	got := mb.messages()
	if len(got) != 2 {
		t.Fatalf("server received %d messages, want 2", len(got))
	}
	want := []struct {
		to, lang, subject string
		body              []string
	}{
		{"maryam@police.example", "fa", "در فهرست انتظار", []string{"گرامی", "فهرست انتظار", "نفر \u20683\u2069", "\u2068CN-DYU-7\u2069", "\u2068۲ فروردین ۱۴۰۵\u2069"}},
		{"ivanov@dca.example", "ru", "Лист ожидания: Counter-narcotics field work (CN-DYU-7)", []string{"Здравствуйте, Ivan Ivanov!", "под номером 3 в листе ожидания", "с 2026-03-22 по 2026-03-26"}},
	}
	for i, w := range want {
		d := got[i]
		if d.From != "noreply@muster.example" || len(d.To) != 1 || d.To[0] != w.to {
			t.Errorf("envelope %d: from %s to %v, want %s", i, d.From, d.To, w.to)
		}
		h, subject, body := read(t, d)
		if !strings.Contains(subject, w.subject) {
			t.Errorf("%s subject %q lacks %q", w.lang, subject, w.subject)
		}
		for _, part := range w.body {
			if !strings.Contains(body, part) {
				t.Errorf("%s body lacks %q:\n%s", w.lang, part, body)
			}
		}
		if strings.Contains(body, "waitlist") || strings.Contains(body, "{{") || strings.Contains(body, "no value") {
			t.Errorf("%s body is not wholly translated:\n%s", w.lang, body)
		}
		if !strings.Contains(body, "https://muster.example/me") {
			t.Errorf("%s body has no link to the trainee's page:\n%s", w.lang, body)
		}
		if h.Get("Content-Language") != w.lang || !strings.Contains(h.Get("Message-Id"), msgs[i].ID+"@muster.example") {
			t.Errorf("headers: Content-Language %q, Message-Id %q", h.Get("Content-Language"), h.Get("Message-Id"))
		}
		if !strings.Contains(h.Get("Content-Type"), "text/plain") || !strings.Contains(strings.ToLower(h.Get("Content-Type")), "utf-8") {
			t.Errorf("Content-Type %q", h.Get("Content-Type"))
		}
	}
}

func TestMailerUsesTLSAndAuthWithoutShowingThePassword(t *testing.T) {
	const password = "Corr3ct-Horse-Battery"
	mb := startMailbox(t, true, password)
	msg, err := compose(catalogs, "https://muster.example", waitlisted("0193a000-0000-7000-8000-000000000001"),
		recipient{Email: "ivanov@dca.example", FullName: "Ivan Ivanov", Language: "tg"})
	if err != nil {
		t.Fatal(err)
	}
	if errs := mb.mailer(t, TLSMandatory).Send(context.Background(), []Message{msg}); errs[0] != nil {
		t.Fatalf("over STARTTLS with the right password: %v", errs[0])
	}
	if n := len(mb.messages()); n != 1 {
		t.Fatalf("server received %d messages, want 1", n)
	}
	if _, subject, _ := read(t, mb.messages()[0]); !strings.HasPrefix(subject, "Дар рӯйхати интизорӣ") {
		t.Errorf("Tajik subject: %q", subject)
	}

	// The server refuses a wrong password: the error says so, but never shows the password.
	conf := mb.conf(TLSMandatory)
	conf.Password = password + "-old"
	wrong, err := newSMTPMailer(conf, &tls.Config{RootCAs: mb.certs, MinVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatal(err)
	}
	errs := wrong.Send(context.Background(), []Message{msg})
	if errs[0] == nil {
		t.Fatal("sent with a wrong password")
	}
	if strings.Contains(errs[0].Error(), password) || !strings.Contains(errs[0].Error(), "535") {
		t.Errorf("error %q: want the server's 535 and no password", errs[0])
	}

	// Mandatory TLS refuses a server that offers none.
	plain := startMailbox(t, false, "")
	if errs := plain.mailer(t, TLSMandatory).Send(context.Background(), []Message{msg}); errs[0] == nil || len(plain.messages()) != 0 {
		t.Errorf("mandatory TLS sent in clear text: %v", errs[0])
	}
}

func TestMailerTellsTemporaryFromPermanentRefusals(t *testing.T) {
	mb := startMailbox(t, false, "")
	msg, err := compose(catalogs, "https://muster.example", waitlisted("0193a000-0000-7000-8000-000000000002"),
		recipient{Email: "ivanov@dca.example", FullName: "Ivan Ivanov", Language: "ru"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		answer    *smtp.SMTPError
		permanent bool
	}{
		{tempFailure, false},
		{&smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}, true},
	} {
		mb.refuse.Store(tc.answer)
		errs := mb.mailer(t, TLSNone).Send(context.Background(), []Message{msg, msg})
		for i, err := range errs {
			if err == nil || errors.Is(err, ErrRejected) != tc.permanent {
				t.Errorf("answer %d, message %d: error %v, permanent %v", tc.answer.Code, i, err, tc.permanent)
			}
		}
	}
	if n := len(mb.messages()); n != 0 {
		t.Errorf("server kept %d refused messages", n)
	}
	// A server that cannot be reached is a temporary failure.
	conf := mb.conf(TLSNone)
	conf.Port = 1
	gone, err := NewSMTPMailer(conf)
	if err != nil {
		t.Fatal(err)
	}
	if errs := gone.Send(context.Background(), []Message{msg}); errs[0] == nil || errors.Is(errs[0], ErrRejected) {
		t.Errorf("unreachable server: %v", errs[0])
	}
}

func TestSMTPSettingsAreChecked(t *testing.T) {
	ok := SMTP{Host: "mail.example", From: "muster <noreply@muster.example>"}
	for _, tc := range []struct {
		name string
		edit func(*SMTP)
		want string
	}{
		{"defaults", func(*SMTP) {}, ""},
		{"no host", func(c *SMTP) { c.Host = "" }, "MUSTER_SMTP_HOST"},
		{"bad port", func(c *SMTP) { c.Port = 70000 }, "MUSTER_SMTP_PORT"},
		{"bad policy", func(c *SMTP) { c.TLS = "sometimes" }, "MUSTER_SMTP_TLS"},
		{"bad sender", func(c *SMTP) { c.From = "muster at example" }, "MUSTER_SMTP_FROM"},
		{"none", func(c *SMTP) { c.TLS = TLSNone; c.Port = 25 }, ""},
	} {
		c := ok
		tc.edit(&c)
		m, err := NewSMTPMailer(c)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one naming %s", tc.name, err, tc.want)
		case tc.want == "" && m.conf.Port == 0:
			t.Errorf("%s: no default port", tc.name)
		}
	}
	c := ok
	c.Password = "s3cret-pw"
	m, _ := NewSMTPMailer(c)
	if s := m.String(); strings.Contains(s, "s3cret") || !strings.Contains(s, "mail.example:587") {
		t.Errorf("description %q", s)
	}
}
