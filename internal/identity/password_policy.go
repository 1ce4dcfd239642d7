package identity

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	_ "embed"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"muster/internal/apperr"
)

// Password lengths per NIST SP 800-63B-4: longer without a second factor.
const (
	minPasswordLen       = 15
	minPasswordLenWithMF = 8
	maxPasswordLen       = 128
)

// blocklistGz holds common and breached passwords and the words they are
// built from, lower-cased and sorted: the zxcvbn frequency lists and data
// (passwords, names, surnames, English words, film and TV words) and
// muster's own list.
//
//go:embed blocklist.txt.gz
var blocklistGz []byte

// blocklist is read once, on the first password check.
var blocklist = sync.OnceValue(func() []string {
	zr, err := gzip.NewReader(bytes.NewReader(blocklistGz))
	if err != nil {
		panic("identity: embedded blocklist: " + err.Error())
	}
	words := make([]string, 0, 210_000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if w := sc.Text(); w != "" {
			words = append(words, w)
		}
	}
	if err := sc.Err(); err != nil {
		panic("identity: embedded blocklist: " + err.Error())
	}
	return words
})

// BlocklistSize is the number of entries passwords are checked against.
func BlocklistSize() int { return len(blocklist()) }

func blocked(w string) bool {
	_, found := slices.BinarySearch(blocklist(), w)
	return found
}

// PasswordContext is what a password must not be built from.
type PasswordContext struct {
	Email           string
	Names           []string // full name, Latin name
	AgencyID        string   // the agency's names are looked up
	HasSecondFactor bool
}

// CheckPassword applies the password policy to pw for the person described
// by pc; the agency's names are read from the database.
func (s *Service) CheckPassword(ctx context.Context, field, pw string, pc PasswordContext) error {
	words := contextWords(pc.Email, pc.Names...)
	if pc.AgencyID != "" {
		var a Agency
		if err := s.DB.WithContext(ctx).Where("id = ?", pc.AgencyID).Take(&a).Error; err == nil {
			words = append(words, contextWords("", a.Name, a.ShortName)...)
		}
	}
	return checkPassword(field, pw, pc.HasSecondFactor, words)
}

// checkPassword: 15 (8 with a second factor) to 128 characters of any kind,
// no composition rules; refused when common or breached, repetitive or
// sequential, or built from the person's own words.
func checkPassword(field, pw string, secondFactor bool, words []string) error {
	minLen := minPasswordLen
	if secondFactor {
		minLen = minPasswordLenWithMF
	}
	n := utf8.RuneCountInString(pw)
	switch {
	case n < minLen:
		return apperr.Invalid(apperr.Field(field, "password.too_short", "Min", minLen))
	case n > maxPasswordLen:
		return apperr.Invalid(apperr.Field(field, "password.too_long", "Max", maxPasswordLen))
	case !utf8.ValidString(pw) || strings.ContainsRune(pw, 0):
		return apperr.Invalid(apperr.Field(field, "password.invalid_characters"))
	}
	lower := strings.ToLower(pw)
	if isCommon(lower) {
		return apperr.Invalid(apperr.Field(field, "password.too_common"))
	}
	if repetitive(lower) || sequential(lower) {
		return apperr.Invalid(apperr.Field(field, "password.repetitive"))
	}
	for _, w := range words {
		if strings.Contains(lower, w) {
			return apperr.Invalid(apperr.Field(field, "password.personal"))
		}
	}
	return nil
}

// isCommon looks the password up as typed, without the digits and symbols
// people add at either end, and with common letter substitutions undone.
func isCommon(lower string) bool {
	trim := func(s string) string {
		return strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	}
	for _, v := range []string{lower, trim(lower), unleet(lower, "i"), trim(unleet(lower, "i")), unleet(lower, "l")} {
		if utf8.RuneCountInString(v) >= 4 && blocked(v) {
			return true
		}
	}
	return false
}

// unleet undoes common substitutions; one is either i or l.
func unleet(s, one string) string {
	return strings.NewReplacer("@", "a", "4", "a", "0", "o", "3", "e", "$", "s", "5", "s", "7", "t", "1", one, "!", one).Replace(s)
}

// repetitive reports a password made of one short unit repeated, such as
// "aaaaaaaaaaaaaaa" or "trainee2trainee2".
func repetitive(s string) bool {
	r := []rune(s)
	for unit := 1; unit <= len(r)/2; unit++ {
		if len(r)%unit != 0 && unit > 3 {
			continue
		}
		same := true
		for i := unit; i < len(r); i++ {
			if r[i] != r[i%unit] {
				same = false
				break
			}
		}
		if same {
			return true
		}
	}
	return false
}

// sequential reports a password that runs along the alphabet, the digits or
// the keyboard ("abcdefgh...", "123456789012345", "qwertyuiop...").
func sequential(s string) bool {
	r := []rune(s)
	up, down := true, true
	for i := 1; i < len(r); i++ {
		up = up && (r[i] == r[i-1]+1 || (r[i-1] == '9' && r[i] == '0'))
		down = down && r[i] == r[i-1]-1
	}
	if up || down {
		return true
	}
	const rows = "qwertyuiopasdfghjklzxcvbnm1234567890"
	return len(s) >= 8 && (strings.Contains(rows+rows, s))
}

// contextWords splits an email's name part and names into the lower-cased
// words a password may not contain: four letters or more.
func contextWords(email string, names ...string) []string {
	var out []string
	if local, _, ok := strings.Cut(email, "@"); ok {
		names = append(names, local)
	}
	for _, n := range names {
		for _, w := range strings.FieldsFunc(strings.ToLower(n), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if utf8.RuneCountInString(w) >= 4 {
				out = append(out, w)
			}
		}
	}
	return out
}
