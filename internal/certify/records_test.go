package certify_test

import (
	"encoding/json"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/certify"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/enrollment"
)

func TestAttendance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		c, sessions := w.cohort(w.course(0, 50, 0), cohort.StatusInProgress, 2)
		_, a := w.trainee(c, w.host, "Arash")
		_, b := w.trainee(c, w.guest, "Bahrom")
		pending := w.enroll(c, w.user(w.guest, "Pending", access.Trainee), enrollment.StatusPending)
		teacher := w.user(w.host, "Teacher", access.Instructor)
		w.assign(sessions[0], teacher)
		instructor := w.actor(teacher)

		// The session's instructor keeps its roll; the other session is not theirs.
		in := certify.AttendanceInput{Records: []certify.AttendanceRecord{{EnrollmentID: a.ID, Status: "present"}, {EnrollmentID: b.ID, Status: "late"}}}
		sheet, err := w.svc.RecordAttendance(ctx(), instructor, sessions[0].ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(sheet.Records) != 2 || sheet.Records[0].Status != "present" || sheet.Records[1].Status != "late" {
			t.Fatalf("roll %+v", sheet.Records)
		}
		if _, err := w.svc.RecordAttendance(ctx(), instructor, sessions[1].ID, in); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Fatalf("instructor of another session: %v", err)
		}
		guestCoord := w.actor(w.user(w.guest, "Guest coordinator", access.Coordinator))
		if _, err := w.svc.Attendance(ctx(), guestCoord, sessions[0].ID); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Fatalf("another agency's coordinator: %v", err)
		}
		// The host's coordinator corrects a mark; the audit keeps the old one.
		fix := certify.AttendanceInput{Records: []certify.AttendanceRecord{{EnrollmentID: b.ID, Status: "excused"}, {EnrollmentID: a.ID, Status: "present"}}}
		if _, err := w.svc.RecordAttendance(ctx(), w.coord, sessions[0].ID, fix); err != nil {
			t.Fatal(err)
		}
		var events []audit.Event
		gdb.Where("action = ?", "attendance.record").Order("id").Find(&events)
		if len(events) != 2 {
			t.Fatalf("%d attendance events", len(events))
		}
		var details struct {
			Marks map[string]audit.Change `json:"marks"`
		}
		_ = json.Unmarshal([]byte(events[1].Details), &details)
		if len(details.Marks) != 1 || details.Marks[b.ID].From != "late" || details.Marks[b.ID].To != "excused" {
			t.Fatalf("correction audited as %s", events[1].Details)
		}
		// Only seated trainees, once each, with a known mark.
		bad := []certify.AttendanceInput{
			{Records: []certify.AttendanceRecord{{EnrollmentID: pending.ID, Status: "present"}}},
			{Records: []certify.AttendanceRecord{{EnrollmentID: a.ID, Status: "present"}, {EnrollmentID: a.ID, Status: "absent"}}},
			{Records: []certify.AttendanceRecord{{EnrollmentID: a.ID, Status: "asleep"}}},
			{Records: []certify.AttendanceRecord{{EnrollmentID: "nope", Status: "present"}}},
			{},
		}
		for i, in := range bad {
			if _, err := w.svc.RecordAttendance(ctx(), w.coord, sessions[0].ID, in); apperr.CodeOf(err) != apperr.CodeInvalid {
				t.Errorf("bad input %d: %v", i, err)
			}
		}
		// After completion the roll is final.
		if _, err := w.svc.Complete(ctx(), w.coord, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.RecordAttendance(ctx(), w.coord, sessions[1].ID, in); apperr.CodeOf(err) != certify.CodeRecordsClosed {
			t.Fatalf("after completion: %v", err)
		}
		sheet, err = w.svc.Attendance(ctx(), instructor, sessions[0].ID)
		if err != nil || !sheet.Closed || len(sheet.Records) != 2 {
			t.Fatalf("closed roll %+v %v", sheet, err)
		}
	})
}

func TestResults(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		c, sessions := w.cohort(w.course(60, 0, 0), cohort.StatusInProgress, 2)
		_, a := w.trainee(c, w.host, "Arash")
		_, b := w.trainee(c, w.guest, "Bahrom")
		waiting := w.enroll(c, w.user(w.guest, "Waiting", access.Trainee), enrollment.StatusWaitlisted)
		teacher := w.user(w.host, "Teacher", access.Instructor)
		w.assign(sessions[1], teacher) // any session makes them the cohort's instructor
		instructor := w.actor(teacher)

		r, err := w.svc.RecordResult(ctx(), instructor, a.ID, certify.ResultInput{Score: ptr(55)})
		if err != nil || *r.Score != 55 || r.AssessedBy == nil || *r.AssessedBy != teacher.ID || r.AssessedAt == nil {
			t.Fatalf("result %+v %v", r, err)
		}
		if _, err := w.svc.RecordResult(ctx(), w.coord, a.ID, certify.ResultInput{Score: ptr(65)}); err != nil {
			t.Fatal(err)
		}
		var events []audit.Event
		gdb.Where("action = ? AND subject_id = ?", "enrollment.result", a.ID).Order("id").Find(&events)
		var details struct {
			Score struct{ From, To *int } `json:"score"`
		}
		if len(events) == 2 {
			_ = json.Unmarshal([]byte(events[1].Details), &details)
		}
		if details.Score.From == nil || *details.Score.From != 55 || details.Score.To == nil || *details.Score.To != 65 {
			t.Fatalf("result audit %+v", events)
		}
		for _, in := range []certify.ResultInput{{}, {Score: ptr(-1)}, {Score: ptr(101)}} {
			if _, err := w.svc.RecordResult(ctx(), w.coord, b.ID, in); apperr.CodeOf(err) != apperr.CodeInvalid {
				t.Errorf("score %v: %v", in.Score, err)
			}
		}
		if _, err := w.svc.RecordResult(ctx(), w.coord, waiting.ID, certify.ResultInput{Score: ptr(80)}); apperr.CodeOf(err) != certify.CodeNotAssessable {
			t.Fatalf("waitlisted: %v", err)
		}
		outsider := w.actor(w.user(w.host, "Other teacher", access.Instructor))
		if _, err := w.svc.RecordResult(ctx(), outsider, a.ID, certify.ResultInput{Score: ptr(80)}); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Fatalf("instructor of no session: %v", err)
		}
		// The results form: blanks keep scores, Persian digits count, errors name the field.
		if _, err := w.svc.RecordResults(ctx(), w.coord, c.ID, map[string]string{a.ID: "", b.ID: "abc"}); err == nil {
			t.Fatal("text accepted as a score")
		} else if e, _ := apperr.As(err); len(e.Fields) != 1 || e.Fields[0].Field != "score["+b.ID+"]" {
			t.Fatalf("form error %+v", e)
		}
		sheet, err := w.svc.RecordResults(ctx(), w.coord, c.ID, map[string]string{a.ID: "", b.ID: "۸۵"})
		if err != nil {
			t.Fatal(err)
		}
		scores := map[string]int{}
		for _, row := range sheet.Rows {
			if row.Score != nil {
				scores[row.Name] = *row.Score
			}
		}
		if scores["Arash"] != 65 || scores["Bahrom"] != 85 || sheet.Sessions != 2 {
			t.Fatalf("scores %v", scores)
		}
	})
}
