// Package static embeds muster's stylesheets, scripts and images.
package static

import "embed"

// FS holds every asset, served under /static/ with checksummed URLs.
//
//go:embed css img js
var FS embed.FS
