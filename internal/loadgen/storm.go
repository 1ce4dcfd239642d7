package loadgen

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"muster/internal/access"
	"muster/internal/identity"
)

// Trainee is one person who asks for a seat, with their API token.
type Trainee struct {
	UserID   string
	AgencyID string
	Token    string
}

// NewTrainees makes n trainees in each of agencyIDs, each with a token
// valid for a day, in bulk through the identity service. key must be new
// for each call on the same database (it names their addresses).
func NewTrainees(ctx context.Context, ids *identity.Service, agencyIDs []string, n int, key string) ([]Trainee, error) {
	var out []Trainee
	expiry := ids.Clock.Now().Add(24 * time.Hour)
	for i, ag := range agencyIDs {
		made, err := ids.BulkTrainees(ctx, access.System(), ag, fmt.Sprintf("%s%d", key, i), n, expiry)
		if err != nil {
			return nil, err
		}
		for _, m := range made {
			out = append(out, Trainee{UserID: m.ID, AgencyID: ag, Token: m.Token})
		}
	}
	return out, nil
}

// Interleave orders trainees of several agencies a, b, a, b, ... so a storm
// mixes them.
func Interleave(ts []Trainee) []Trainee {
	by := map[string][]Trainee{}
	var order []string
	for _, t := range ts {
		if _, ok := by[t.AgencyID]; !ok {
			order = append(order, t.AgencyID)
		}
		by[t.AgencyID] = append(by[t.AgencyID], t)
	}
	out := make([]Trainee, 0, len(ts))
	for len(out) < len(ts) {
		for _, ag := range order {
			if q := by[ag]; len(q) > 0 {
				out, by[ag] = append(out, q[0]), q[1:]
			}
		}
	}
	return out
}

// StormPlan is an enrollment storm: every trainee asks once for a seat in
// CohortID, trainee i through URLs[i % len(URLs)], InFlight at once (all of
// them when zero).
type StormPlan struct {
	URLs     []string
	CohortID string
	Trainees []Trainee
	InFlight int
	Client   *http.Client
}

// Answer is one trainee's answer: the enrollment made (201), or the
// problem's code.
type Answer struct {
	Result
	Trainee          Trainee
	EnrollmentID     string
	Outcome          string // enrolled, waitlisted, pending; else the problem code, or "error"
	WaitlistPosition int    // overall, from 1, when waitlisted
	AgencyID         string // as answered
}

// StormReport is a storm's answers in trainee order, with the run's figures.
type StormReport struct {
	Report
	Answers []Answer
}

// Outcomes counts the answers by outcome.
func (r StormReport) Outcomes() map[string]int {
	out := map[string]int{}
	for _, a := range r.Answers {
		out[a.Outcome]++
	}
	return out
}

// Storm fires the plan's requests and reads every answer.
func Storm(ctx context.Context, p StormPlan) StormReport {
	n := len(p.Trainees)
	inFlight := p.InFlight
	if inFlight <= 0 {
		inFlight = n
	}
	rep := Run(ctx, Load{N: n, InFlight: inFlight, Client: p.Client, KeepBody: true, Request: func(i int) (*http.Request, error) {
		url := p.URLs[i%len(p.URLs)] + "/api/v1/cohorts/" + p.CohortID + "/enrollments"
		req, err := http.NewRequest(http.MethodPost, url, strings.NewReader("{}"))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+p.Trainees[i].Token)
		return req, nil
	}})
	out := StormReport{Report: rep, Answers: make([]Answer, n)}
	for i, r := range rep.Results {
		out.Answers[i] = answer(r, p.Trainees[i])
	}
	return out
}

func answer(r Result, t Trainee) Answer {
	a := Answer{Result: r, Trainee: t, Outcome: "error"}
	if r.Err != nil || r.Status == 0 {
		return a
	}
	var body struct {
		ID               string `json:"id"`
		AgencyID         string `json:"agency_id"`
		Status           string `json:"status"`
		WaitlistPosition int    `json:"waitlist_position"`
		Code             string `json:"code"`
	}
	if json.Unmarshal(r.Body, &body) != nil {
		return a
	}
	if r.Status == http.StatusCreated {
		a.EnrollmentID, a.Outcome, a.WaitlistPosition, a.AgencyID = body.ID, body.Status, body.WaitlistPosition, body.AgencyID
	} else if body.Code != "" {
		a.Outcome = body.Code
	}
	return a
}
