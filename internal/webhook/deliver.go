package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"muster/internal/clock"
	"muster/internal/db"
)

// retrySchedule is the Standard Webhooks specification's suggested wait
// before each retry: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, so eight
// attempts span about a day.
var retrySchedule = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour}

// maxAttempts is the first attempt and its retries.
var maxAttempts = len(retrySchedule) + 1

var errNoKey = errors.New("webhook secret is sealed and MUSTER_SECRET_KEY is not set")

// Jobs inserts jobs into the queue inside a transaction.
type Jobs interface {
	Insert(tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) error
}

// DeliverArgs is the job that sends one delivery.
type DeliverArgs struct {
	DeliveryID string `json:"delivery_id"`
}

// Kind names the job in the queue.
func (DeliverArgs) Kind() string { return "webhook.deliver" }

// Emit queues event, with data, for every live webhook of the agencies that
// subscribes to it, inside tx: a change that rolls back tells nobody.
func (s *Service) Emit(tx *gorm.DB, event string, agencies []string, data map[string]any) error {
	var hooks []Hook
	if err := tx.Where("agency_id IN ? AND deleted_at IS NULL", agencies).Order("id").Find(&hooks).Error; err != nil {
		return err
	}
	now := db.Now(tx, s.Clock)
	for _, h := range hooks {
		if !strings.Contains(" "+h.Events+" ", " "+event+" ") {
			continue
		}
		d := Delivery{ID: uuid.Must(uuid.NewV7()).String(), WebhookID: h.ID, Event: event, CreatedAt: now}
		body, err := json.Marshal(map[string]any{"type": event, "timestamp": now.UTC().Format(time.RFC3339), "data": data})
		if err != nil {
			return err
		}
		d.Payload = string(body)
		if err := tx.Create(&d).Error; err != nil {
			return err
		}
		if s.Jobs != nil {
			if err := s.Jobs.Insert(tx, DeliverArgs{DeliveryID: d.ID}, &river.InsertOpts{MaxAttempts: maxAttempts}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Sign is the Standard Webhooks signature of body sent as message id at
// timestamp, under secret ("whsec_" and the base64 key): "v1," and the
// base64 HMAC-SHA256 of "id.timestamp.body".
func Sign(secret, id string, timestamp int64, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix))
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.", id, timestamp)
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// Deliverer sends deliveries over HTTP.
type Deliverer struct {
	Service *Service
	Client  *http.Client // NewClient's, which refuses private addresses unless allowed
}

// Deliver sends delivery id once. It answers nil when delivered (or when
// its webhook is gone), an error the queue retries with backoff otherwise.
func (d *Deliverer) Deliver(ctx context.Context, id string) error {
	s := d.Service
	var dl Delivery
	err := s.DB.WithContext(ctx).Where("id = ? AND delivered_at IS NULL", id).Take(&dl).Error
	if db.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var h Hook
	if err := s.DB.WithContext(ctx).Where("id = ? AND deleted_at IS NULL", dl.WebhookID).Take(&h).Error; err != nil {
		if db.IsNotFound(err) {
			return nil // deleted since
		}
		return err
	}
	plain, err := s.open(h)
	if err != nil {
		return river.JobCancel(err)
	}
	now := clock.Now(s.Clock)
	ts := now.Unix()
	sig, err := Sign(plain, dl.ID, ts, []byte(dl.Payload))
	if err != nil {
		return river.JobCancel(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader([]byte(dl.Payload)))
	if err != nil {
		return river.JobCancel(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "muster-webhooks")
	req.Header.Set("webhook-id", dl.ID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", sig)
	status, sendErr := 0, error(nil)
	res, err := d.Client.Do(req)
	if err != nil {
		sendErr = err
	} else {
		status = res.StatusCode
		_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
		_ = res.Body.Close()
		if status < 200 || status > 299 {
			sendErr = fmt.Errorf("receiver answered %d", status)
		}
	}
	updates := map[string]any{"attempts": gorm.Expr("attempts + 1"), "last_status": status, "last_error": ""}
	if sendErr == nil {
		updates["delivered_at"] = now
	} else {
		msg := sendErr.Error()
		if len(msg) > 500 {
			msg = strings.ToValidUTF8(msg[:500], "")
		}
		updates["last_error"] = msg
	}
	if err := s.DB.WithContext(context.WithoutCancel(ctx)).Model(&Delivery{}).Where("id = ?", dl.ID).Updates(updates).Error; err != nil {
		return err
	}
	return sendErr
}

// DeliverWorker works DeliverArgs jobs.
type DeliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	Deliverer *Deliverer
}

// Work sends the job's delivery.
func (w *DeliverWorker) Work(ctx context.Context, j *river.Job[DeliverArgs]) error {
	return w.Deliverer.Deliver(ctx, j.Args.DeliveryID)
}

// NextRetry follows retrySchedule: the wait after the j.Attempt-th failure.
func (w *DeliverWorker) NextRetry(j *river.Job[DeliverArgs]) time.Time {
	i := min(max(j.Attempt, 1), len(retrySchedule)) - 1
	return clock.Now(w.Deliverer.Service.Clock).Add(retrySchedule[i])
}

// Timeout bounds one attempt.
func (w *DeliverWorker) Timeout(*river.Job[DeliverArgs]) time.Duration { return 30 * time.Second }
