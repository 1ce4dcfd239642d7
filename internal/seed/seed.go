// Package seed fills an empty database with demo data: two partner agencies
// in two countries, a user of every role in each, and a course catalogue.
package seed

import (
	"context"
	"errors"
	"fmt"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/identity"
)

// DemoPassword signs in every demo account. Demo data is only ever written
// to an empty database, so this never reaches a real installation's users.
const DemoPassword = "muster-demo-2026"

// ErrNotEmpty refuses to seed a database that already holds data.
var ErrNotEmpty = errors.New("the database already holds data; demo data is only added to an empty database")

// Account is one demo sign-in.
type Account struct {
	Email, Name, Agency string
	Roles               []string
}

// Result says what was created.
type Result struct {
	Agencies []identity.Agency
	Accounts []Account
	Courses  int
}

type demoUser struct {
	email, name, latin, rank, service, lang string
	roles                                   []string
}

// Demo seeds the database through the services, so every rule and audit
// event applies as it would to a person's input.
func Demo(ctx context.Context, ids *identity.Service, courses *catalog.Service) (*Result, error) {
	var count int64
	if err := ids.DB.WithContext(ctx).Model(&identity.Agency{}).Count(&count).Error; err != nil {
		return nil, err
	}
	if count > 0 {
		return nil, ErrNotEmpty
	}
	sys := access.System()
	res := &Result{}
	agencies := []struct {
		in    identity.AgencyInput
		users []demoUser
	}{
		{identity.AgencyInput{Name: "Anti-Narcotics Police of the Islamic Republic of Iran", ShortName: "IR-ANP", Country: "IR", Kind: "drug_control"}, []demoUser{
			{"admin@anp.example.ir", "مریم احمدی", "Maryam Ahmadi", "سرهنگ", "IR-1001", "fa", []string{access.Admin}},
			{"coordinator@anp.example.ir", "علی رضایی", "Ali Rezaei", "سرگرد", "IR-1002", "fa", []string{access.Coordinator}},
			{"instructor@anp.example.ir", "حسین کریمی", "Hossein Karimi", "سروان", "IR-1003", "fa", []string{access.Instructor}},
			{"hr@anp.example.ir", "زهرا موسوی", "Zahra Mousavi", "", "IR-1004", "fa", []string{access.HR}},
			{"trainee@anp.example.ir", "رضا حسینی", "Reza Hosseini", "ستوان", "IR-2001", "fa", []string{access.Trainee}},
			{"trainee2@anp.example.ir", "سارا نوری", "Sara Nouri", "ستوان", "IR-2002", "en", []string{access.Trainee}},
		}},
		{identity.AgencyInput{Name: "Drug Control Agency under the President of the Republic of Tajikistan", ShortName: "TJ-DCA", Country: "TJ", Kind: "drug_control"}, []demoUser{
			{"admin@dca.example.tj", "Фарҳод Раҳимов", "Farhod Rahimov", "полковник", "TJ-1001", "tg", []string{access.Admin}},
			{"coordinator@dca.example.tj", "Нигора Саидова", "Nigora Saidova", "майор", "TJ-1002", "ru", []string{access.Coordinator}},
			{"instructor@dca.example.tj", "Ҷамшед Қодиров", "Jamshed Qodirov", "капитан", "TJ-1003", "tg", []string{access.Instructor}},
			{"hr@dca.example.tj", "Мадина Юсупова", "Madina Yusupova", "", "TJ-1004", "ru", []string{access.HR}},
			{"trainee@dca.example.tj", "Умед Назаров", "Umed Nazarov", "лейтенант", "TJ-2001", "tg", []string{access.Trainee}},
			{"trainee2@dca.example.tj", "Дилшод Каримов", "Dilshod Karimov", "лейтенант", "TJ-2002", "ru", []string{access.Trainee}},
		}},
	}
	for _, a := range agencies {
		ag, err := ids.CreateAgency(ctx, sys, a.in)
		if err != nil {
			return nil, fmt.Errorf("agency %s: %w", a.in.ShortName, err)
		}
		res.Agencies = append(res.Agencies, *ag)
		for _, u := range a.users {
			cu, err := ids.Bootstrap(ctx, identity.UserInput{Email: u.email, FullName: u.name, FullNameLatin: u.latin, Rank: u.rank,
				ServiceNumber: u.service, AgencyID: ag.ID, Roles: u.roles, Language: u.lang, Password: DemoPassword})
			if err != nil {
				return nil, fmt.Errorf("user %s: %w", u.email, err)
			}
			res.Accounts = append(res.Accounts, Account{Email: cu.Email, Name: cu.FullName, Agency: ag.ShortName, Roles: u.roles})
		}
	}
	n, err := courses.SeedDemo(ctx, [2]string{res.Agencies[0].ID, res.Agencies[1].ID})
	if err != nil {
		return nil, fmt.Errorf("courses: %w", err)
	}
	res.Courses = n
	return res, nil
}
