package notify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// mailbox is an SMTP server run inside the test on 127.0.0.1 that keeps
// what it is sent.
type mailbox struct {
	host string
	port int
	// refuse, while set, answers RCPT TO with this error.
	refuse atomic.Pointer[smtp.SMTPError]
	// password, when set, is what AUTH PLAIN must give for user "muster".
	password string
	// certs trusts the server's certificate, when it offers STARTTLS.
	certs *x509.CertPool

	mu       sync.Mutex
	received []delivery
}

// delivery is one message as the server received it.
type delivery struct {
	From string
	To   []string
	Data []byte
}

// startMailbox starts a server; tlsOn offers STARTTLS with a certificate
// made for the test, and password requires AUTH.
func startMailbox(t *testing.T, tlsOn bool, password string) *mailbox {
	t.Helper()
	mb := &mailbox{password: password}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{mb: mb}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	if tlsOn {
		cert, pool := testCertificate(t)
		srv.TLSConfig, mb.certs = &tls.Config{Certificates: []tls.Certificate{cert}}, pool
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	mb.host, mb.port = "127.0.0.1", addr.Port
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return mb
}

// conf is an SMTP configuration reaching mb.
func (mb *mailbox) conf(policy string) SMTP {
	c := SMTP{Host: mb.host, Port: mb.port, From: "muster <noreply@muster.example>", TLS: policy}
	if mb.password != "" {
		c.Username, c.Password = "muster", mb.password
	}
	return c
}

// mailer is the real SMTP mailer pointed at mb.
func (mb *mailbox) mailer(t *testing.T, policy string) *SMTPMailer {
	t.Helper()
	var tc *tls.Config
	if mb.certs != nil {
		tc = &tls.Config{RootCAs: mb.certs, MinVersion: tls.VersionTLS12}
	}
	m, err := newSMTPMailer(mb.conf(policy), tc)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (mb *mailbox) messages() []delivery {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return append([]delivery(nil), mb.received...)
}

type session struct {
	mb     *mailbox
	authed bool
	from   string
	to     []string
}

func (s *session) AuthMechanisms() []string {
	if s.mb.password == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != "muster" || password != s.mb.password {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.mb.password != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if e := s.mb.refuse.Load(); e != nil {
		return e
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.mb.mu.Lock()
	s.mb.received = append(s.mb.received, delivery{From: s.from, To: s.to, Data: b})
	s.mb.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// tempFailure is a 4xx answer: try again later.
var tempFailure = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Mailbox busy, try later"}

// read parses a received message: its headers, decoded subject and body.
func read(t *testing.T, d delivery) (mail.Header, string, string) {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(string(d.Data)))
	if err != nil {
		t.Fatalf("unreadable message: %v\n%s", err, d.Data)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	parts := partsOf(t, m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body)
	return m.Header, subject, parts["text/plain"]
}

// calendarOf is the iTIP calendar a received message carries beside its
// text, and the method its content type names; "" when it has none.
func calendarOf(t *testing.T, d delivery) (string, string) {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(string(d.Data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := partsOf(t, m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body)
	return parts["text/calendar"], parts["text/calendar;method"]
}

// partsOf decodes a body, walking multipart ones, into each part's content by media type.
func partsOf(t *testing.T, contentType, encoding string, body io.Reader) map[string]string {
	t.Helper()
	out := map[string]string{}
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		media = "text/plain"
	}
	if strings.HasPrefix(media, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return out
			}
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range partsOf(t, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p) {
				out[k] = v
			}
		}
	}
	if strings.EqualFold(encoding, "quoted-printable") {
		body = quotedprintable.NewReader(body)
	} else if strings.EqualFold(encoding, "base64") {
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	out[media] = strings.ReplaceAll(string(b), "\r\n", "\n")
	if params["method"] != "" {
		out[media+";method"] = params["method"]
	}
	return out
}

// testCertificate makes a self-signed certificate for 127.0.0.1 and a pool that trusts it.
func testCertificate(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}
