package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"muster/internal/access"
	"muster/internal/app"
	"muster/internal/certify"
)

const keysUsage = `Usage: muster keys rotate|list

  rotate  generate a new credential-signing key and make it the one that signs;
          the previous key is retired but stays in the DID document, so the
          credentials it signed keep verifying. Audited as signing_key.rotate.
  list    list the stored signing keys, newest first: id, public key (its
          fragment in the DID document), created, retired, and whether it is
          stored encrypted under MUSTER_SECRET_KEY.`

// runKeys manages the keys that sign certificate credentials.
func runKeys(ctx context.Context, args []string) error {
	return keysCommand(ctx, args, os.Stdout)
}

func keysCommand(ctx context.Context, args []string, out io.Writer) error {
	if len(args) != 1 || (args[0] != "rotate" && args[0] != "list") {
		return badSubcommand(args, keysUsage, "expected rotate or list")
	}
	return withApp(ctx, refuseBehind, func(a *app.App) error {
		if args[0] == "rotate" {
			return rotateKey(ctx, a.Certify, out)
		}
		keys, err := a.Certify.Keys(ctx)
		if err != nil {
			return err
		}
		printKeys(out, keys)
		return nil
	})
}

func rotateKey(ctx context.Context, svc *certify.Service, out io.Writer) error {
	k, err := svc.RotateKey(ctx, access.System())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "new signing key %s\n  verification method %s#%s\n", k.ID, svc.DID(), k.PublicKey)
	if !k.Sealed {
		fmt.Fprintln(out, "  stored in the clear: set MUSTER_SECRET_KEY to keep signing keys encrypted")
	}
	return nil
}

func printKeys(w io.Writer, keys []certify.KeyInfo) {
	if len(keys) == 0 {
		fmt.Fprintln(w, "no stored signing keys (one is made on first use, unless MUSTER_SIGNING_KEY supplies it)")
		return
	}
	for _, k := range keys {
		state := "current"
		if k.RetiredAt != nil {
			state = "retired " + k.RetiredAt.UTC().Format(time.RFC3339)
		}
		storage := "in clear"
		if k.Sealed {
			storage = "encrypted"
		}
		fmt.Fprintf(w, "%s  %s  created %s  %-30s %s\n", k.ID, k.PublicKey, k.CreatedAt.UTC().Format(time.RFC3339), state, storage)
	}
}
