package config

import (
	"net"
	"net/url"
	"strings"
)

// Warnings are settings that work but expose data in transit: a remote
// PostgreSQL reached without TLS, or a public base URL without https. The
// server logs each at start; none stops it, since a private network or a
// TLS-terminating proxy may make them safe.
func (c Config) Warnings() []string {
	var out []string
	for _, db := range [...]struct{ name, url string }{{"DATABASE_URL", c.DatabaseURL}, {"DATABASE_READ_URL", c.ReadURL}} {
		if host, mode, ok := plainRemoteDatabase(db.url); ok {
			out = append(out, db.name+" reaches PostgreSQL at "+host+" with sslmode="+mode+
				": passwords and personal records cross the network unencrypted; use sslmode=verify-full (or require)")
		}
	}
	if u, err := url.Parse(c.BaseURL); err == nil && u.Scheme == "http" && !isLoopback(u.Hostname()) {
		out = append(out, "MUSTER_BASE_URL is "+u.Scheme+"://"+u.Host+
			": sessions, passwords and verification links travel in the clear and cookies are not marked Secure; serve muster over https")
	}
	return out
}

// plainRemoteDatabase reports a PostgreSQL URL whose host is neither a
// loopback address nor a Unix socket and whose sslmode lets the connection
// fall back to plain text (disable, allow, prefer, or unset: libpq's
// default is prefer).
func plainRemoteDatabase(dsn string) (host, mode string, ok bool) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return "", "", false
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", "", false
	}
	q := u.Query()
	host = u.Hostname()
	if h := q.Get("host"); h != "" {
		host = h
	}
	if host == "" || strings.HasPrefix(host, "/") || isLoopback(host) {
		return "", "", false
	}
	mode = q.Get("sslmode")
	switch mode {
	case "":
		return host, "prefer (unset)", true
	case "disable", "allow", "prefer":
		return host, mode, true
	}
	return "", "", false
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
