package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"muster/internal/certify"
)

// maxDocument bounds a credential, key document or revocation list read.
const maxDocument = 8 << 20

// runVerify checks a signed certificate credential without the server: its
// signature against the issuer's key document, its dates, and revocation
// when given the revocation list.
func runVerify(ctx context.Context, args []string) error {
	return verifyCredential(ctx, args, os.Stdout)
}

func verifyCredential(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	keys := fs.String("issuer-key", "", "the issuer's DID document, saved from where its did:web DID resolves (https://HOST"+certify.WellKnownDIDPath+"; a file, or an http(s) URL to fetch)")
	list := fs.String("status-list", "", "the revocation list the credential names in credentialStatus.statusListCredential (a file or URL); without it revocation is not checked")
	at := fs.String("at", "", "check the validity period on this day (YYYY-MM-DD) or instant (RFC 3339) instead of now")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: muster verify FILE --issuer-key KEYS [--status-list LIST] [--at DAY]\n\n"+
			"Checks a signed certificate credential (a .vc.json download) offline: the eddsa-jcs-2022 signature against\n"+
			"the keys of the issuer's DID document, the validity period, and, given the revocation list, that it is not revoked.\n"+
			"Prints \"valid\" and exits 0, or names the reason (signature invalid, revoked, expired, not yet valid) and exits 1.")
		fs.PrintDefaults()
	}
	files, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		fs.Usage()
		return fmt.Errorf("give one credential file")
	}
	when := time.Now().UTC()
	if *at != "" {
		if when, err = parseInstant(*at); err != nil {
			return fmt.Errorf("--at: %w", err)
		}
	}
	credential, err := readDocument(ctx, files[0])
	if err != nil {
		return err
	}
	if *keys == "" {
		return fmt.Errorf("give --issuer-key: the issuer's DID document, published at %s", issuerOf(credential))
	}
	keyDoc, err := readDocument(ctx, *keys)
	if err != nil {
		return err
	}
	var statusList []byte
	if *list != "" {
		if statusList, err = readDocument(ctx, *list); err != nil {
			return err
		}
	}
	ch, err := certify.CheckCredential(credential, keyDoc, statusList, when)
	if err != nil {
		return err
	}
	printCheck(out, ch)
	return nil
}

// parseWithArgs parses flags given before or after the file names.
func parseWithArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func parseInstant(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

// readDocument reads a file, or fetches an http(s) URL.
func readDocument(ctx context.Context, source string) ([]byte, error) {
	var r io.Reader
	if strings.HasPrefix(source, "https://") || strings.HasPrefix(source, "http://") {
		ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, source, nil)
		if err != nil {
			return nil, err
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s answered %d", source, res.StatusCode)
		}
		r = res.Body
	} else {
		f, err := os.Open(source)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxDocument+1))
	if err == nil && len(b) > maxDocument {
		err = errors.New("larger than 8 MiB")
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return b, nil
}

// issuerOf says where the DID document of a credential's issuer is.
func issuerOf(credential []byte) string {
	var c struct{ Issuer certify.IssuerProfile }
	if json.Unmarshal(credential, &c) != nil || c.Issuer.ID == "" {
		return "the address its issuer's DID resolves to"
	}
	u, err := certify.DIDDocumentURL(c.Issuer.ID)
	if err != nil {
		return "the address its issuer's DID resolves to"
	}
	return u
}

func printCheck(w io.Writer, ch *certify.CredentialCheck) {
	c := ch.Credential
	a := c.CredentialSubject.Achievement
	period := "from " + ch.ValidFrom.Format(time.DateOnly) + ", no expiry"
	if ch.ValidUntil != nil {
		period = ch.ValidFrom.Format(time.DateOnly) + " to " + ch.ValidUntil.Format(time.DateOnly)
	}
	revocation := "not checked: the credential names no revocation list"
	if c.CredentialStatus != nil {
		revocation = "not checked: give --status-list " + c.CredentialStatus.StatusListCredential
	}
	if !ch.StatusList.IsZero() {
		revocation = "not revoked, per the list of " + ch.StatusList.UTC().Format(time.RFC3339)
	}
	fmt.Fprintln(w, "valid")
	for _, row := range [][2]string{
		{"credential", c.ID},
		{"holder", c.CredentialSubject.Name},
		{"course", a.HumanCode + " " + a.Name},
		{"valid", period},
		{"issuer", c.Issuer.ID + " (" + c.Issuer.Name + ")"},
		{"signed by", c.Proof.VerificationMethod},
		{"revocation", revocation},
	} {
		fmt.Fprintf(w, "  %-11s %s\n", row[0], row[1])
	}
}
