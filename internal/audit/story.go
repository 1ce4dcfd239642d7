package audit

import (
	"context"
	"encoding/json"
	"strings"
)

// Ref is a thing an event's sentence names: a person, a cohort, a course, a
// certificate, or plain text (Kind ""). Pages link it where the viewer may
// see it.
type Ref struct {
	Kind     string // "user", "cohort", "course", "certificate" or ""
	ID       string // the record's id (a course's code, a certificate's number: what its page is found by)
	Name     string
	AgencyID string // the person's agency, or the cohort's host
	Public   bool   // a cohort or course that anyone may see
}

// Story is an event told as a sentence: the message key
// "audit.event.<action>" and the named parts it fills in (Actor, Person,
// Cohort, FromCohort, Course, Certificate, Agency, Venue, Subject, and plain
// Reason, Topic, Role).
type Story struct {
	Event Event
	Key   string
	Args  map[string]Ref
}

// StoryKey is the message key that tells action as a sentence.
func StoryKey(action string) string { return "audit.event." + action }

// storyDetails are the details that name other records, whatever the action.
type storyDetails struct {
	UserID       string `json:"user_id"`
	CohortID     string `json:"cohort_id"`
	FromCohortID string `json:"from_cohort_id"` // a copy's source cohort
	FromCode     string `json:"from_code"`      // its code when copied
	InstructorID string `json:"instructor_id"`
	Number       string `json:"number"`
	Reason       string `json:"reason"`
	Topic        string `json:"topic"`
	Role         string `json:"role"`
}

// Tell turns events into stories, naming their records from names.
func Tell(events []Event, names Names) []Story {
	out := make([]Story, 0, len(events))
	for _, ev := range events {
		var d storyDetails
		_ = json.Unmarshal([]byte(ev.Details), &d) // details of other shapes name nothing more
		args := map[string]Ref{"Actor": names.user(ev.ActorID, ev.ActorName)}
		args["Subject"] = Ref{Name: ev.SubjectType + " " + ev.SubjectID}
		person, cohort := d.UserID, d.CohortID
		if d.InstructorID != "" {
			person = d.InstructorID
		}
		switch ev.SubjectType {
		case "user":
			person = ev.SubjectID
		case "cohort":
			cohort = ev.SubjectID
		case "enrollment":
			if e, ok := names.Enrollments[ev.SubjectID]; ok {
				person, cohort = e[0], e[1]
			}
		case "session":
			if cohort == "" {
				cohort = names.Sessions[ev.SubjectID]
			}
		case "course":
			if c, ok := names.Courses[ev.SubjectID]; ok {
				args["Course"] = c
			} else {
				args["Course"] = Ref{Name: ev.SubjectID}
			}
		case "agency", "venue":
			r, ok := names.Places[ev.SubjectID]
			if !ok {
				r = Ref{Name: ev.SubjectID}
			}
			args[strings.ToUpper(ev.SubjectType[:1])+ev.SubjectType[1:]] = r
		case "certificate":
			number := d.Number
			if n, ok := names.Certificates[ev.SubjectID]; ok {
				number = n
			}
			args["Certificate"] = Ref{Kind: "certificate", ID: number, Name: number}
		}
		if person != "" {
			args["Person"] = names.user(&person, "")
		}
		if cohort != "" {
			if c, ok := names.Cohorts[cohort]; ok {
				args["Cohort"] = c
			} else {
				args["Cohort"] = Ref{Name: cohort}
			}
		}
		if d.FromCohortID != "" {
			from, ok := names.Cohorts[d.FromCohortID]
			if !ok && d.FromCode != "" {
				from = Ref{Name: d.FromCode}
			} else if !ok {
				from = Ref{Name: d.FromCohortID}
			}
			args["FromCohort"] = from
		}
		for k, v := range map[string]string{"Reason": d.Reason, "Topic": d.Topic, "Role": d.Role} {
			args[k] = Ref{Name: v}
		}
		out = append(out, Story{Event: ev, Key: StoryKey(ev.Action), Args: args})
	}
	return out
}

// Names are the records events refer to, by id.
type Names struct {
	Users        map[string]Ref
	Cohorts      map[string]Ref
	Courses      map[string]Ref       // by course id
	Certificates map[string]string    // certificate id -> number
	Sessions     map[string]string    // session id -> cohort id
	Enrollments  map[string][2]string // enrollment id -> user id, cohort id
	Places       map[string]Ref       // agencies and venues, by id
}

func (n Names) user(id *string, fallback string) Ref {
	if id == nil || *id == "" {
		return Ref{Name: fallback}
	}
	if r, ok := n.Users[*id]; ok {
		if fallback != "" {
			r.Name = fallback // the name the actor had when they acted
		}
		return r
	}
	if fallback == "" {
		fallback = *id
	}
	return Ref{Name: fallback}
}

// Stories reads the names the events refer to and tells each event. It
// reads other capabilities' tables, as a report does.
func (s *Service) Stories(ctx context.Context, events []Event) ([]Story, error) {
	n, err := s.names(ctx, events)
	if err != nil {
		return nil, err
	}
	return Tell(events, n), nil
}
