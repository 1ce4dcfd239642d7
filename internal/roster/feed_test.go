package roster_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/roster"
)

// parseFeed writes events and parses them back with the library's reader.
func parseFeed(t *testing.T, events []roster.CalendarEvent) map[string]*ics.VEvent {
	t.Helper()
	var buf bytes.Buffer
	if err := roster.WriteCalendar(&buf, "Test · feed", events); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	if !strings.Contains(text, "\r\n") || strings.Contains(text, "VTIMEZONE") {
		t.Fatalf("not a plain UTC calendar:\n%s", text)
	}
	for _, line := range strings.Split(text, "\r\n") {
		if len(line) > 75 {
			t.Fatalf("line not folded (%d octets): %q", len(line), line)
		}
	}
	cal, err := ics.ParseCalendar(strings.NewReader(text))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, text)
	}
	out := map[string]*ics.VEvent{}
	for _, ev := range cal.Events() {
		out[ev.Id()] = ev
	}
	return out
}

func TestCalendarFeeds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		teh := w.online(w.CoordIR, "ICS-TEH", "CN-101", "fa", "Asia/Tehran", "2026-05-10", "2026-05-14")
		ber := w.online(w.CoordIR, "ICS-BER", "BS-101", "en", "Europe/Berlin", "2026-10-24", "2026-10-26")
		ins := w.instructor("calendar", w.IR, "CN-101", "BS-101")
		s1 := w.Session(w.CoordIR, teh.ID, "2026-05-11T09:00", "2026-05-11T12:00", "مبانی حقوقی, قسمت ۱; مقدمه", "۱۰۱")
		s2 := w.Session(w.CoordIR, ber.ID, "2026-10-25T01:00", "2026-10-25T03:00", "Night exercise", "")
		for _, s := range []*cohort.Session{s1, s2} {
			if err := w.assign(w.CoordIR, s.ID, ins, roster.RoleLead); err != nil {
				t.Fatal(err)
			}
		}
		name, events, err := w.Roster.CohortEvents(w.Ctx, access.Anonymous("192.0.2.1"), teh.ID)
		if err != nil || name != "ICS-TEH · Course CN-101" {
			t.Fatalf("cohort feed %q: %v", name, err)
		}
		got := parseFeed(t, events)
		ev := got[roster.SessionUID(s1.ID)]
		if ev == nil {
			t.Fatalf("no event with the session's UID: %v", got)
		}
		start, err1 := ev.GetStartAt()
		end, err2 := ev.GetEndAt()
		if err1 != nil || err2 != nil || !start.Equal(time.Date(2026, 5, 11, 5, 30, 0, 0, time.UTC)) || !end.Equal(time.Date(2026, 5, 11, 8, 30, 0, 0, time.UTC)) {
			t.Fatalf("instants %v %v (%v %v)", start, end, err1, err2)
		}
		if s := ev.GetProperty(ics.ComponentPropertySummary).Value; s != "CN-101 Course CN-101 · مبانی حقوقی, قسمت ۱; مقدمه" {
			t.Fatalf("summary %q", s)
		}
		if d := ev.GetProperty(ics.ComponentPropertyDescription).Value; !strings.Contains(d, "Person calendar (lead)") {
			t.Fatalf("description %q", d)
		}
		// The instructor's own feed holds both cohorts; the Berlin night lasts three hours.
		mine, err := w.Roster.UserEvents(w.Ctx, ins.UserID)
		if err != nil {
			t.Fatal(err)
		}
		got = parseFeed(t, mine)
		night := got[roster.SessionUID(s2.ID)]
		if len(got) != 2 || night == nil {
			t.Fatalf("own feed: %v", got)
		}
		ns, _ := night.GetStartAt()
		ne, _ := night.GetEndAt()
		if !ns.Equal(time.Date(2026, 10, 24, 23, 0, 0, 0, time.UTC)) || ne.Sub(ns) != 3*time.Hour {
			t.Fatalf("night %v to %v", ns, ne)
		}
		// Moving the session keeps its UID, so calendar apps replace the event.
		if _, err := w.Cohorts.UpdateSession(w.Ctx, w.CoordIR, s1.ID, cohort.SessionPatch{StartsAt: ptr("2026-05-11T10:00")}); err != nil {
			t.Fatal(err)
		}
		mine, _ = w.Roster.UserEvents(w.Ctx, ins.UserID)
		got = parseFeed(t, mine)
		if moved, _ := got[roster.SessionUID(s1.ID)].GetStartAt(); !moved.Equal(time.Date(2026, 5, 11, 6, 30, 0, 0, time.UTC)) {
			t.Fatalf("moved to %v", moved)
		}
		// Extra sources add events; a UID already present is not repeated.
		w.Roster.ExtraEvents = append(w.Roster.ExtraEvents, func(_ context.Context, userID string) ([]roster.CalendarEvent, error) {
			return []roster.CalendarEvent{
				{UID: roster.SessionUID(s1.ID), Start: s1.StartsAt, End: s1.EndsAt, Summary: "duplicate"},
				{UID: "enrollment-x@muster", Start: s1.StartsAt, End: s1.EndsAt, Summary: "enrolled"},
			}, nil
		})
		mine, _ = w.Roster.UserEvents(w.Ctx, ins.UserID)
		if len(mine) != 3 {
			t.Fatalf("%d events with extra source", len(mine))
		}
		// A cancelled cohort's sessions stay in the feed, marked cancelled.
		if _, err := w.Cohorts.Update(w.Ctx, w.CoordIR, ber.ID, cohort.CohortPatch{Status: ptr("cancelled")}); err != nil {
			t.Fatal(err)
		}
		mine, _ = w.Roster.UserEvents(w.Ctx, ins.UserID)
		got = parseFeed(t, mine)
		if st := got[roster.SessionUID(s2.ID)].GetProperty(ics.ComponentPropertyStatus).Value; st != "CANCELLED" {
			t.Fatalf("status %q", st)
		}
	})
}

func TestFeedTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		ins := w.instructor("tokens", w.IR)
		first, err := w.Roster.CreateFeedToken(w.Ctx, ins)
		if err != nil || len(first) < 40 {
			t.Fatalf("token %q %v", first, err)
		}
		if id, err := w.Roster.FeedOwner(w.Ctx, first); err != nil || id != ins.UserID {
			t.Fatalf("owner %q %v", id, err)
		}
		second, _ := w.Roster.CreateFeedToken(w.Ctx, ins)
		if _, err := w.Roster.FeedOwner(w.Ctx, first); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Fatalf("replaced token still works: %v", err)
		}
		if since, _ := w.Roster.FeedTokenSince(w.Ctx, ins.UserID); since == nil {
			t.Fatal("no token recorded")
		}
		var stored string
		gdb.Table("feed_tokens").Select("token_hash").Where("user_id = ?", ins.UserID).Scan(&stored)
		if stored == second || strings.Contains(stored, second) {
			t.Fatal("the secret is stored in clear")
		}
		// A disabled user's feed stops.
		w.disable(ins, true)
		if _, err := w.Roster.FeedOwner(w.Ctx, second); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Fatalf("disabled user's feed: %v", err)
		}
		w.disable(ins, false)
		// Disabling raised the session epoch: the link stays ended once re-enabled.
		if _, err := w.Roster.FeedOwner(w.Ctx, second); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Fatalf("re-enabled user's old feed link: %v", err)
		}
		second, _ = w.Roster.CreateFeedToken(w.Ctx, ins)
		if id, err := w.Roster.FeedOwner(w.Ctx, second); err != nil || id != ins.UserID {
			t.Fatalf("new link: %q %v", id, err)
		}
		// A reset password ends sessions and tokens, and the feed link with them.
		if err := w.App.Identity.ResetPassword(w.Ctx, w.Admin, ins.UserID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Roster.FeedOwner(w.Ctx, second); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Fatalf("feed link after a password reset: %v", err)
		}
		if since, _ := w.Roster.FeedTokenSince(w.Ctx, ins.UserID); since != nil {
			t.Fatalf("an ended link is shown as live since %v", since)
		}
		second, _ = w.Roster.CreateFeedToken(w.Ctx, ins)
		if id, err := w.Roster.FeedOwner(w.Ctx, second); err != nil || id != ins.UserID {
			t.Fatalf("new link after the reset: %q %v", id, err)
		}
		if err := w.Roster.RevokeFeedToken(w.Ctx, ins); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Roster.FeedOwner(w.Ctx, second); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Fatalf("revoked token: %v", err)
		}
	})
}
