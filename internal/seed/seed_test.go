package seed

import (
	"context"
	"errors"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/clock"
	"muster/internal/db/dbtest"
	"muster/internal/identity"
)

func TestDemo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		ctx := context.Background()
		ids := identity.NewService(gdb, clock.System{})
		courses := &catalog.Service{DB: gdb, Clock: clock.System{}}
		res, err := Demo(ctx, ids, courses)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Agencies) != 2 || res.Agencies[0].Country == res.Agencies[1].Country {
			t.Fatalf("agencies: %+v", res.Agencies)
		}
		// Every role below admin in every agency, one platform admin, and each account signs in.
		have := map[string]bool{}
		for _, acc := range res.Accounts {
			for _, r := range acc.Roles {
				have[acc.Agency+"/"+r] = true
			}
			if _, err := ids.Login(ctx, acc.Email, DemoPassword, "127.0.0.1"); err != nil {
				t.Errorf("sign in as %s: %v", acc.Email, err)
			}
		}
		admins := 0
		for k := range have {
			if strings.HasSuffix(k, "/"+access.Admin) {
				admins++
			}
		}
		if admins != 1 {
			t.Errorf("%d platform admins, want one", admins)
		}
		for _, a := range res.Agencies {
			for _, r := range access.AllRoles[1:] {
				if !have[a.ShortName+"/"+r] {
					t.Errorf("no %s in %s", r, a.ShortName)
				}
			}
		}
		if res.Courses < 25 {
			t.Fatalf("only %d courses", res.Courses)
		}
		// The cohort that ran two months ago issued certificates to the three
		// who attended enough, not to the one who missed two sessions of three.
		var issued int64
		gdb.Table("certificates").Count(&issued)
		if res.Certificates != 3 || issued != 3 {
			t.Fatalf("certificates: reported %d, stored %d, want 3", res.Certificates, issued)
		}
		if _, err := Demo(ctx, ids, courses); !errors.Is(err, ErrNotEmpty) {
			t.Fatalf("second seed: %v", err)
		}
	})
}
