package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"muster/internal/access"
	"muster/internal/app"
	"muster/internal/apperr"
	"muster/internal/i18n"
	"muster/internal/identity"
)

// firstAgency returns the oldest agency, creating one on an empty install.
func firstAgency(ctx context.Context, a *app.App, name, country string) (string, error) {
	var ag identity.Agency
	if err := a.DB.WithContext(ctx).Order("created_at").Limit(1).Find(&ag).Error; err != nil {
		return "", err
	}
	if ag.ID != "" {
		return ag.ID, nil
	}
	if country == "" {
		return "", errors.New("no agency exists yet: pass --country (and optionally --agency-name) to create one")
	}
	created, err := a.Identity.CreateAgency(ctx, access.System(), identity.AgencyInput{Name: name, ShortName: "ADMIN", Country: country, Kind: "other"})
	if err != nil {
		return "", describe(err)
	}
	return created.ID, nil
}

// describe turns a validation error into English field messages for the terminal.
func describe(err error) error {
	e, ok := apperr.As(err)
	if !ok {
		return err
	}
	loc := i18n.MustLoad().For("en")
	msgs := []string{loc.TMap(e.MessageKey(), e.Args, nil)}
	for _, f := range e.Fields {
		msgs = append(msgs, f.Field+": "+loc.TMap(f.Key, f.Args, nil))
	}
	return fmt.Errorf("%s", strings.Join(msgs, "\n  "))
}
