package notify

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/clock"
	"muster/internal/db"
	"muster/internal/i18n"
	"muster/internal/paging"
)

// Inbox is each person's own list of what they were told, and their
// choice of optional kinds.
type Inbox struct {
	DB       *gorm.DB
	Clock    clock.Clock
	Messages *i18n.Catalog
	BaseURL  string
}

// Item is one notification as GET /api/v1/me/notifications answers it,
// written in the reader's language.
type Item struct {
	ID        string     `json:"id"`
	Kind      string     `json:"kind"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
}

// privateKinds carry a link's secret and are never listed.
var privateKinds = secretKinds

// List answers the actor's notifications, newest first, in lang.
func (b *Inbox) List(ctx context.Context, actor access.Actor, lang string, p paging.Params) (paging.Page[Item], error) {
	p = p.Normalize()
	q := b.DB.WithContext(ctx).Model(&Notification{}).Where("user_id = ? AND kind NOT IN ?", actor.UserID, privateKinds)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return paging.Page[Item]{}, err
	}
	var ns []Notification
	if err := q.Order("created_at DESC, id DESC").Limit(p.PerPage).Offset(p.Offset()).Find(&ns).Error; err != nil {
		return paging.Page[Item]{}, err
	}
	r := recipient{ID: actor.UserID, FullName: actor.Name, Language: lang}
	items := make([]Item, 0, len(ns))
	for _, n := range ns {
		msg, err := compose(b.Messages, b.BaseURL, n, r)
		if err != nil {
			continue // a kind this version no longer writes
		}
		items = append(items, Item{ID: n.ID, Kind: n.Kind, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt, Subject: msg.Subject, Body: msg.Body})
	}
	return paging.New(items, total, p), nil
}

// MarkRead marks every unread notification of the actor read, and answers how many.
func (b *Inbox) MarkRead(ctx context.Context, actor access.Actor) (int64, error) {
	var n int64
	err := db.Tx(ctx, b.DB, b.Clock, func(tx *gorm.DB) error {
		now := db.Now(tx, b.Clock)
		res := tx.Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", actor.UserID).Update("read_at", now)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		n = res.RowsAffected
		return audit.Record(tx, now, actor, audit.Entry{Action: "notification.read", SubjectType: "user", SubjectID: actor.UserID,
			AgencyID: actor.AgencyID, Details: map[string]any{"count": n}})
	})
	return n, err
}

// Setting is whether a person receives one optional kind.
type Setting struct {
	Kind    string `json:"kind"`
	Enabled bool   `json:"enabled"`
}

// Settings answers the actor's choice for every optional kind.
func (b *Inbox) Settings(ctx context.Context, actor access.Actor) ([]Setting, error) {
	var off []string
	if err := b.DB.WithContext(ctx).Model(&OptOut{}).Where("user_id = ?", actor.UserID).Pluck("kind", &off).Error; err != nil {
		return nil, err
	}
	out := make([]Setting, len(Optional))
	for i, k := range Optional {
		out[i] = Setting{Kind: k, Enabled: !slices.Contains(off, k)}
	}
	return out, nil
}

// SettingsInput is PUT /api/v1/me/notification-settings.
type SettingsInput struct {
	Settings []Setting `json:"settings" validate:"max=20"`
}

// SetSettings turns optional kinds on or off for the actor, audited.
func (b *Inbox) SetSettings(ctx context.Context, actor access.Actor, in SettingsInput) ([]Setting, error) {
	for i, s := range in.Settings {
		if !slices.Contains(Optional, s.Kind) {
			return nil, apperr.Invalid(apperr.Field("settings["+strconv.Itoa(i)+"].kind", "validation.oneof", "Values", strings.Join(Optional, ", ")))
		}
	}
	err := db.Tx(ctx, b.DB, b.Clock, func(tx *gorm.DB) error {
		now := db.Now(tx, b.Clock)
		changed := map[string]bool{}
		for _, s := range in.Settings {
			if s.Enabled {
				if err := tx.Where("user_id = ? AND kind = ?", actor.UserID, s.Kind).Delete(&OptOut{}).Error; err != nil {
					return err
				}
			} else if err := tx.Where(OptOut{UserID: actor.UserID, Kind: s.Kind}).Attrs(OptOut{CreatedAt: now}).FirstOrCreate(&OptOut{}).Error; err != nil {
				return err
			}
			changed[s.Kind] = s.Enabled
		}
		return audit.Record(tx, now, actor, audit.Entry{Action: "notification.settings", SubjectType: "user", SubjectID: actor.UserID,
			AgencyID: actor.AgencyID, Details: changed})
	})
	if err != nil {
		return nil, err
	}
	return b.Settings(ctx, actor)
}
