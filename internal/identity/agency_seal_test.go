package identity

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/apperr/apperrtest"
	"muster/internal/db/dbtest"
)

// pngOf draws a w×h PNG.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.NRGBA{R: 30, G: 78, B: 137, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func wantSealField(t *testing.T, err error, key string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Field != "seal" || e.Fields[0].Key != key {
		t.Fatalf("err = %v, want seal %s", err, key)
	}
}

// TestAgencySeal stores a checked PNG as an agency's seal, audited, and
// refuses other files, oversized ones and people outside the agency.
func TestAgencySeal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		admin := f.actor(f.admin)
		good := pngOf(t, 240, 120)
		seal, err := f.svc.SetSeal(ctx, admin, f.tj.ID, good)
		if err != nil {
			t.Fatal(err)
		}
		if seal.Width != 240 || seal.Height != 120 {
			t.Fatalf("seal %dx%d", seal.Width, seal.Height)
		}
		// Replacing keeps one seal.
		if _, err := f.svc.SetSeal(ctx, admin, f.tj.ID, pngOf(t, 64, 64)); err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.Seal(ctx, admin, f.tj.ID)
		if err != nil || got == nil || got.Width != 64 || !bytes.HasPrefix(got.PNG, []byte("\x89PNG")) {
			t.Fatalf("stored seal %+v, %v", got, err)
		}
		if n := auditCount(t, gdb, "agency.seal_set", f.tj.ID); n != 2 {
			t.Fatalf("%d seal_set events", n)
		}

		_, err = f.svc.SetSeal(ctx, admin, f.tj.ID, []byte("GIF89a not a png at all"))
		wantSealField(t, err, "agency.seal_not_png")
		truncated := good[:len(good)-20] // right header, broken data
		_, err = f.svc.SetSeal(ctx, admin, f.tj.ID, truncated)
		wantSealField(t, err, "agency.seal_not_png")
		_, err = f.svc.SetSeal(ctx, admin, f.tj.ID, pngOf(t, 4000, 40))
		wantSealField(t, err, "agency.seal_dimensions")
		_, err = f.svc.SetSeal(ctx, admin, f.tj.ID, append(pngOf(t, 64, 64), make([]byte, MaxSealBytes)...))
		wantSealField(t, err, "agency.seal_too_large")

		coord := f.actor(f.user(t, f.tj, "coord@example.tj", access.Coordinator))
		_, err = f.svc.SetSeal(ctx, coord, f.tj.ID, good)
		apperrtest.WantCode(t, err, apperr.CodeForbidden)
		outsider := f.actor(f.user(t, f.ir, "aa@example.ir", access.AgencyAdmin))
		_, err = f.svc.SetSeal(ctx, outsider, f.tj.ID, good)
		apperrtest.WantCode(t, err, apperr.CodeForbidden)
		own := f.actor(f.user(t, f.tj, "aa@example.tj", access.AgencyAdmin))
		if _, err := f.svc.SetSeal(ctx, own, f.tj.ID, good); err != nil {
			t.Fatalf("an agency admin sets their own agency's seal: %v", err)
		}
		_, err = f.svc.SetSeal(ctx, admin, "no-such-agency", good)
		apperrtest.WantCode(t, err, apperr.CodeNotFound)

		if err := f.svc.DeleteSeal(ctx, admin, f.tj.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := f.svc.Seal(ctx, admin, f.tj.ID); err != nil || got != nil {
			t.Fatalf("after delete: %+v %v", got, err)
		}
		if n := auditCount(t, gdb, "agency.seal_delete", f.tj.ID); n != 1 {
			t.Fatalf("%d seal_delete events", n)
		}
	})
}

// TestAgencySignatory keeps the signatory on create and update, audited.
func TestAgencySignatory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		in := f.tj.Input()
		in.SignatoryName, in.SignatoryTitle = "  Алишер Назаров ", "Сардори маркази таълимӣ"
		a, err := f.svc.UpdateAgency(ctx, f.actor(f.admin), f.tj.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if a.SignatoryName != "Алишер Назаров" || a.SignatoryTitle != "Сардори маркази таълимӣ" {
			t.Fatalf("signatory %q %q", a.SignatoryName, a.SignatoryTitle)
		}
		var details string
		gdb.Table("audit_events").Select("details").Where("action = ? AND subject_id = ?", "agency.update", f.tj.ID).Scan(&details)
		if !bytes.Contains([]byte(details), []byte("Алишер Назаров")) {
			t.Fatalf("audit lacks the signatory: %s", details)
		}
	})
}
