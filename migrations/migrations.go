// Package migrations embeds muster's versioned SQL schema, one folder per
// database dialect. Files are applied in version order by goose, each in a
// transaction unless it says otherwise.
//
// Version 00007 does not exist in either dialect: it was given out and never
// used. The gap is harmless (goose applies versions in order and records
// each one applied) and stays: renumbering would make installed databases
// apply a migration twice or skip one. New migrations take the next free
// number; numbers are never reused or changed once merged.
package migrations

import "embed"

// FS holds sqlite/*.sql and postgres/*.sql.
//
//go:embed sqlite/*.sql postgres/*.sql
var FS embed.FS
