package webhook

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/clock"
	"muster/internal/db"
	"muster/internal/paging"
	"muster/internal/secret"
	"muster/internal/validate"
)

// secretPrefix starts every signing secret, as Standard Webhooks writes them.
const secretPrefix = "whsec_"

// Service registers webhooks and queues their deliveries.
type Service struct {
	DB      *gorm.DB
	Clock   clock.Clock
	Secrets *secret.Box // seals signing secrets (MUSTER_SECRET_KEY); nil keeps them plain
	Jobs    Jobs        // nil: deliveries are recorded but not sent
}

// Input is POST /api/v1/webhooks.
type Input struct {
	URL    string   `json:"url" validate:"notblank,max=2000"`
	Events []string `json:"events" validate:"required,min=1,max=3,dive,oneof=certificate.issued certificate.revoked enrollment.changed"`
}

// View is a webhook as the API answers it; Secret only in the creation's answer.
type View struct {
	ID        string   `json:"id"`
	URL       string   `json:"url"`
	Events    []string `json:"events"`
	AgencyID  string   `json:"agency_id"`
	CreatedAt string   `json:"created_at"`
	Secret    string   `json:"secret,omitempty"`
}

func view(h Hook) View {
	return View{ID: h.ID, URL: h.URL, Events: strings.Fields(h.Events), AgencyID: h.AgencyID, CreatedAt: h.CreatedAt.UTC().Format("2006-01-02T15:04:05Z07:00")}
}

// may reports whether actor registers webhooks: agency admins and admins,
// each for their own agency.
func may(actor access.Actor) bool {
	return actor.AgencyID != "" && actor.CanAdministerAgency(actor.AgencyID)
}

// Create registers a webhook for the actor's agency and answers its secret, once.
func (s *Service) Create(ctx context.Context, actor access.Actor, in Input) (*View, error) {
	if !may(actor) {
		return nil, apperr.New(apperr.CodeForbidden)
	}
	in.URL = strings.TrimSpace(in.URL)
	if err := validate.Struct(in); err != nil {
		return nil, err
	}
	u, err := url.Parse(in.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return nil, apperr.Invalid(apperr.Field("url", "webhook.url"))
	}
	events := slices.Clone(in.Events)
	slices.Sort(events)
	events = slices.Compact(events)
	raw := make([]byte, 24)
	_, _ = rand.Read(raw)
	plain := secretPrefix + base64.StdEncoding.EncodeToString(raw)
	h := Hook{ID: uuid.Must(uuid.NewV7()).String(), AgencyID: actor.AgencyID, URL: u.String(), Events: strings.Join(events, " "), CreatedBy: actor.UserID}
	h.Secret = s.seal(h.ID, plain)
	err = db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		h.CreatedAt = db.Now(tx, s.Clock)
		if err := tx.Create(&h).Error; err != nil {
			return err
		}
		return audit.Record(tx, h.CreatedAt, actor, audit.Entry{Action: "webhook.create", SubjectType: "webhook", SubjectID: h.ID,
			AgencyID: h.AgencyID, Details: map[string]any{"url": h.URL, "events": events}})
	})
	if err != nil {
		return nil, err
	}
	v := view(h)
	v.Secret = plain
	return &v, nil
}

// List answers the webhooks of the actor's agency.
func (s *Service) List(ctx context.Context, actor access.Actor, p paging.Params) (paging.Page[View], error) {
	p = p.Normalize()
	if !may(actor) {
		return paging.Page[View]{}, apperr.New(apperr.CodeForbidden)
	}
	q := s.DB.WithContext(ctx).Model(&Hook{}).Where("agency_id = ? AND deleted_at IS NULL", actor.AgencyID)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return paging.Page[View]{}, err
	}
	var hooks []Hook
	if err := q.Order("created_at DESC, id DESC").Limit(p.PerPage).Offset(p.Offset()).Find(&hooks).Error; err != nil {
		return paging.Page[View]{}, err
	}
	out := make([]View, len(hooks))
	for i, h := range hooks {
		out[i] = view(h)
	}
	return paging.New(out, total, p), nil
}

// Get answers one webhook of the actor's agency with its latest deliveries.
func (s *Service) Get(ctx context.Context, actor access.Actor, id string) (*View, []Delivery, error) {
	h, err := s.find(s.DB.WithContext(ctx), actor, id)
	if err != nil {
		return nil, nil, err
	}
	var ds []Delivery
	if err := s.DB.WithContext(ctx).Where("webhook_id = ?", h.ID).Order("created_at DESC, id DESC").Limit(50).Find(&ds).Error; err != nil {
		return nil, nil, err
	}
	if ds == nil {
		ds = []Delivery{}
	}
	v := view(*h)
	return &v, ds, nil
}

// Delete stops a webhook; deliveries already queued are dropped when they run.
func (s *Service) Delete(ctx context.Context, actor access.Actor, id string) error {
	return db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		h, err := s.find(db.ForUpdate(tx), actor, id)
		if err != nil {
			return err
		}
		now := db.Now(tx, s.Clock)
		if err := tx.Model(&Hook{}).Where("id = ?", h.ID).Update("deleted_at", now).Error; err != nil {
			return err
		}
		return audit.Record(tx, now, actor, audit.Entry{Action: "webhook.delete", SubjectType: "webhook", SubjectID: h.ID,
			AgencyID: h.AgencyID, Details: map[string]any{"url": h.URL}})
	})
}

// find loads a live webhook of the actor's agency; any other answers not found.
func (s *Service) find(q *gorm.DB, actor access.Actor, id string) (*Hook, error) {
	if !may(actor) {
		return nil, apperr.New(apperr.CodeForbidden)
	}
	var h Hook
	err := q.Where("id = ? AND agency_id = ? AND deleted_at IS NULL", id, actor.AgencyID).Take(&h).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	return &h, err
}

func (s *Service) seal(id, plain string) string {
	if s.Secrets == nil {
		return plain
	}
	return s.Secrets.Seal([]byte(plain), []byte("webhook:"+id))
}

func (s *Service) open(h Hook) (string, error) {
	if !secret.IsSealed(h.Secret) {
		return h.Secret, nil
	}
	if s.Secrets == nil {
		return "", errNoKey
	}
	b, err := s.Secrets.Open(h.Secret, []byte("webhook:"+h.ID))
	return string(b), err
}
