// Package migrations embeds muster's versioned SQL schema, one folder per
// database dialect. Files are applied in version order by goose, each in a
// transaction unless it says otherwise.
package migrations

import "embed"

// FS holds sqlite/*.sql and postgres/*.sql.
//
//go:embed sqlite/*.sql postgres/*.sql
var FS embed.FS
