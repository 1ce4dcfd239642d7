// Package templates embeds muster's html/template pages: layout.html wraps
// every page, partials/*.html are shared fragments, and each other file is one page.
package templates

import "embed"

// FS holds every template.
//
//go:embed *.html partials/*.html
var FS embed.FS
