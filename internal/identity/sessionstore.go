package identity

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"muster/internal/db"
	"muster/internal/secret"
)

// SessionStore keeps scs sessions in the database, so every muster process
// behind a load balancer sees the same sessions. Rows are keyed by a hash of
// the session id, so a copy of the table signs nobody in.
type SessionStore struct{ DB *gorm.DB }

func sessionKey(token string) string { return secret.Hash(token) }

// FindCtx returns a live session's data.
func (s SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var row Session
	err := s.DB.WithContext(ctx).Where("token = ? AND expiry > ?", sessionKey(token), time.Now().UTC()).Take(&row).Error
	if db.IsNotFound(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return row.Data, true, nil
}

// CommitCtx inserts or replaces a session.
func (s SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	row := Session{Token: sessionKey(token), Data: b, Expiry: expiry.UTC()}
	return s.DB.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "token"}},
		DoUpdates: clause.AssignmentColumns([]string{"data", "expiry"}),
	}).Create(&row).Error
}

// DeleteCtx removes a session; a missing one is not an error.
func (s SessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.DB.WithContext(ctx).Where("token = ?", sessionKey(token)).Delete(&Session{}).Error
}

// Find implements scs.Store.
func (s SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (s SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store.
func (s SessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// DeleteExpired removes sessions past their expiry and reports how many.
func (s SessionStore) DeleteExpired(ctx context.Context) (int64, error) {
	res := s.DB.WithContext(ctx).Where("expiry <= ?", time.Now().UTC()).Delete(&Session{})
	return res.RowsAffected, res.Error
}
