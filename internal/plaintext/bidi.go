package plaintext

import "strings"

// Reorders reports whether s carries a character that changes the display
// order of the text around it: embeddings and overrides (U+202A-U+202E),
// isolates (U+2066-U+2069) and the direction marks (U+200E, U+200F,
// U+061C). In a name they make "John\u202e htimS" show as "John Smith".
func Reorders(s string) bool { return strings.IndexFunc(s, isReordering) >= 0 }

// WithoutReordering drops those characters, for text stored before they were refused.
func WithoutReordering(s string) string {
	if !Reorders(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isReordering(r) {
			return -1
		}
		return r
	}, s)
}

func isReordering(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C
}
