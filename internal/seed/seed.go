// Package seed fills an empty database with demo data: two partner agencies
// in two countries, a user of every role in each, a course catalogue, and an
// exchange programme of cohorts in Tehran, Dushanbe and online.
package seed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/clock"
	"muster/internal/cohort"
	"muster/internal/i18n"
	"muster/internal/identity"
	"muster/internal/roster"
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
	Agencies     []identity.Agency
	Accounts     []Account
	Courses      int
	Cohorts      int
	Certificates int // issued by the demo cohort that ran two months ago
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
	people := map[string]string{} // email -> user id
	agencies := []struct {
		in    identity.AgencyInput
		users []demoUser
	}{
		{identity.AgencyInput{Name: "Anti-Narcotics Police of the Islamic Republic of Iran", ShortName: "IR-ANP", Country: "IR", Kind: "drug_control",
			TimeZone: "Asia/Tehran", Names: i18n.Names{
				"fa": "پلیس مبارزه با مواد مخدر جمهوری اسلامی ایران",
				"ru": "Полиция по борьбе с наркотиками Исламской Республики Иран",
				"tg": "Пулиси мубориза бо маводи мухаддири Ҷумҳурии Исломии Эрон",
				"en": "Anti-Narcotics Police of the Islamic Republic of Iran"}}, []demoUser{
			// The platform's administrator, for the joint working group's secretariat.
			{"admin@anp.example.ir", "مریم احمدی", "Maryam Ahmadi", "سرهنگ", "IR-1001", "fa", []string{access.Admin}},
			{"agencyadmin@anp.example.ir", "محمد جعفری", "Mohammad Jafari", "سرگرد", "IR-1005", "fa", []string{access.AgencyAdmin}},
			{"coordinator@anp.example.ir", "علی رضایی", "Ali Rezaei", "سرگرد", "IR-1002", "fa", []string{access.Coordinator}},
			{"instructor@anp.example.ir", "حسین کریمی", "Hossein Karimi", "سروان", "IR-1003", "fa", []string{access.Instructor}},
			{"hr@anp.example.ir", "زهرا موسوی", "Zahra Mousavi", "", "IR-1004", "fa", []string{access.HR}},
			{"trainee@anp.example.ir", "رضا حسینی", "Reza Hosseini", "ستوان", "IR-2001", "fa", []string{access.Trainee}},
			{"trainee2@anp.example.ir", "سارا نوری", "Sara Nouri", "ستوان", "IR-2002", "en", []string{access.Trainee}},
		}},
		{identity.AgencyInput{Name: "Drug Control Agency under the President of the Republic of Tajikistan", ShortName: "TJ-DCA", Country: "TJ", Kind: "drug_control",
			TimeZone: "Asia/Dushanbe", Names: i18n.Names{
				"fa": "آژانس کنترل مواد مخدر نزد رئیس‌جمهور جمهوری تاجیکستان",
				"ru": "Агентство по контролю за наркотиками при Президенте Республики Таджикистан",
				"tg": "Агентии назорати маводи нашъаовар назди Президенти Ҷумҳурии Тоҷикистон",
				"en": "Drug Control Agency under the President of the Republic of Tajikistan"}}, []demoUser{
			{"agencyadmin@dca.example.tj", "Фарҳод Раҳимов", "Farhod Rahimov", "полковник", "TJ-1001", "tg", []string{access.AgencyAdmin}},
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
			people[u.email] = cu.ID
		}
	}
	n, err := courses.SeedDemo(ctx, [2]string{res.Agencies[0].ID, res.Agencies[1].ID})
	if err != nil {
		return nil, fmt.Errorf("courses: %w", err)
	}
	res.Courses = n
	if res.Cohorts, err = demoProgramme(ctx, courses, res.Agencies, people); err != nil {
		return nil, fmt.Errorf("cohorts: %w", err)
	}
	if res.Certificates, err = demoPastCohort(ctx, courses.DB, time.Now().UTC(), res.Agencies, people); err != nil {
		return nil, fmt.Errorf("completed cohort: %w", err)
	}
	return res, nil
}

// demoCohort is a cohort of the demo programme: where and when, its seats
// per agency (Iranian, Tajik), and its days of sessions.
type demoCohort struct {
	code, course, language, zone string
	venue                        int // index in venues, -1 online
	host                         int // 0 Iranian, 1 Tajik agency
	startsIn, days, capacity     int
	quotas                       [2]int
	status                       string
	topics                       []string // one morning and one afternoon topic per day
	lead, assistant              [2]string
}

// demoProgramme schedules the exchange: open cohorts in Tehran and
// Dushanbe and online, with quotas for both agencies, sessions over several
// days and instructors of both sides assigned, through the services.
func demoProgramme(ctx context.Context, courses *catalog.Service, agencies []identity.Agency, people map[string]string) (int, error) {
	sys := access.System()
	clk := courses.Clock
	if clk == nil {
		clk = clock.System{}
	}
	cohorts := &cohort.Service{DB: courses.DB, Clock: clk}
	rost := &roster.Service{DB: courses.DB, Clock: clk}
	cohorts.Schedule = rost
	ir, tj := people["instructor@anp.example.ir"], people["instructor@dca.example.tj"]
	expires := clk.Now().AddDate(2, 0, 0).Format(cohort.DateLayout)
	for id, p := range map[string]struct{ courses, langs []string }{
		ir: {[]string{"CN-101", "CN-201", "BS-101", "CT-101"}, []string{"en", "fa", "ru"}},
		tj: {[]string{"CN-101", "CN-110", "BS-101", "CT-101", "OC-101"}, []string{"fa", "ru", "tg"}},
	} {
		in := roster.QualificationsInput{Qualifications: []roster.QualificationInput{}}
		for _, c := range p.courses {
			in.Qualifications = append(in.Qualifications, roster.QualificationInput{Course: c, ExpiresOn: expires})
		}
		if _, err := rost.SetQualifications(ctx, sys, id, in); err != nil {
			return 0, err
		}
		if _, err := rost.UpdateProfile(ctx, sys, id, roster.ProfileInput{Languages: &p.langs}); err != nil {
			return 0, err
		}
	}
	var venues []*cohort.Venue
	for _, v := range []cohort.VenueInput{
		{Name: "Anti-Narcotics Police Training Centre", City: "Tehran", Country: "IR", Address: "Vali-e Asr Street", Capacity: 40, TimeZone: "Asia/Tehran", OwnerAgencyID: agencies[0].ID,
			Names: i18n.Names{"fa": "مرکز آموزش پلیس مبارزه با مواد مخدر", "ru": "Учебный центр полиции по борьбе с наркотиками", "tg": "Маркази омӯзишии пулиси мубориза бо маводи мухаддир"}},
		{Name: "Drug Control Agency Training Centre", City: "Dushanbe", Country: "TJ", Address: "Rudaki Avenue", Capacity: 30, TimeZone: "Asia/Dushanbe", OwnerAgencyID: agencies[1].ID,
			Names: i18n.Names{"fa": "مرکز آموزش آژانس کنترل مواد مخدر", "ru": "Учебный центр Агентства по контролю за наркотиками", "tg": "Маркази омӯзишии Агентии назорати маводи нашъаовар"}},
	} {
		venue, err := cohorts.CreateVenue(ctx, sys, v)
		if err != nil {
			return 0, err
		}
		venues = append(venues, venue)
	}
	n := 0
	for _, d := range demoCohorts() {
		if err := d.schedule(ctx, cohorts, rost, venues, agencies, [2]string{ir, tj}); err != nil {
			return n, fmt.Errorf("%s: %w", d.code, err)
		}
		n++
	}
	return n, nil
}

func demoCohorts() []demoCohort {
	return []demoCohort{
		{code: "CN101-TEH", course: "CN-101", language: "fa", venue: 0, host: 0, startsIn: 21, days: 4, capacity: 24, quotas: [2]int{12, 12}, status: cohort.StatusOpen,
			topics: []string{"چارچوب حقوقی مبارزه با مواد مخدر", "انواع مواد مخدر و شناسایی آن‌ها", "مسیرهای قاچاق در منطقه", "تمرین عملی: بازرسی خودرو",
				"همکاری مرزی ایران و تاجیکستان", "مطالعه موردی: کشفیات مشترک", "ارزیابی پایانی", "جمع‌بندی و اعطای گواهی"},
			lead: [2]string{"ir", "tj"}, assistant: [2]string{"tj", ""}},
		{code: "BS101-DYU", course: "BS-101", language: "ru", venue: 1, host: 1, startsIn: 35, days: 3, capacity: 20, quotas: [2]int{10, 10}, status: cohort.StatusOpen,
			topics: []string{"Организация охраны границы", "Пункты пропуска: порядок досмотра", "Выявление поддельных документов", "Практика на учебном пункте пропуска",
				"Взаимодействие пограничных служб", "Итоговый зачёт"},
			lead: [2]string{"tj", "ir"}, assistant: [2]string{"ir", ""}},
		{code: "CT101-ONLINE", course: "CT-101", language: "en", venue: -1, host: 0, zone: "Asia/Tehran", startsIn: 50, days: 2, capacity: 60, status: cohort.StatusOpen,
			topics: []string{"Threats in Central and South-West Asia", "The international legal framework", "The first responder's role", "Assessment"},
			lead:   [2]string{"ir", "tj"}},
		{code: "CN110-DYU", course: "CN-110", language: "tg", venue: 1, host: 1, startsIn: 70, days: 2, capacity: 16, quotas: [2]int{6, 10}, status: cohort.StatusDraft,
			topics: []string{"Шинохти маводи нашъадор", "Озмоиши саҳроӣ", "Прекурсорҳо", "Санҷиш"},
			lead:   [2]string{"tj", "tj"}},
	}
}

// schedule creates the cohort, its quotas, sessions and assignments.
func (d demoCohort) schedule(ctx context.Context, cohorts *cohort.Service, rost *roster.Service, venues []*cohort.Venue, agencies []identity.Agency, instructors [2]string) error {
	sys := access.System()
	now := cohorts.Clock.Now()
	starts := now.AddDate(0, 0, d.startsIn)
	in := cohort.CohortInput{Code: d.code, Course: d.course, HostAgencyID: agencies[d.host].ID, Language: d.language, TimeZone: d.zone,
		StartsOn: starts.Format(cohort.DateLayout), EndsOn: starts.AddDate(0, 0, d.days-1).Format(cohort.DateLayout), Capacity: d.capacity,
		EnrollmentOpensAt: now.AddDate(0, 0, -1).Format(time.RFC3339), EnrollmentClosesAt: starts.AddDate(0, 0, -3).Format(cohort.DateLayout) + "T17:00",
		RequiresApproval: d.host == 1, Status: d.status}
	if d.venue >= 0 {
		in.VenueID = venues[d.venue].ID
	}
	c, err := cohorts.Create(ctx, sys, in)
	if err != nil {
		return err
	}
	if d.quotas != [2]int{} {
		q := cohort.QuotasInput{Quotas: []cohort.QuotaInput{{AgencyID: agencies[0].ID, Seats: d.quotas[0]}, {AgencyID: agencies[1].ID, Seats: d.quotas[1]}}}
		if _, err := cohorts.SetQuotas(ctx, sys, c.ID, q); err != nil {
			return err
		}
	}
	who := map[string]string{"ir": instructors[0], "tj": instructors[1]}
	for i, topic := range d.topics {
		day := starts.AddDate(0, 0, i/2).Format(cohort.DateLayout)
		from, to, half := "T09:00", "T12:00", i%2
		if half == 1 {
			from, to = "T13:30", "T16:30"
		}
		room := ""
		if d.venue >= 0 {
			room = fmt.Sprintf("%d0%d", d.venue+1, half+1)
		}
		ses, err := cohorts.AddSession(ctx, sys, c.ID, cohort.SessionInput{StartsAt: day + from, EndsAt: day + to, Topic: topic, Room: room})
		if err != nil {
			return err
		}
		if _, err := rost.Assign(ctx, sys, ses.ID, roster.AssignInput{InstructorID: who[d.lead[half]], Role: roster.RoleLead}); err != nil {
			return err
		}
		if a := d.assistant[half]; a != "" && a != d.lead[half] {
			if _, err := rost.Assign(ctx, sys, ses.ID, roster.AssignInput{InstructorID: who[a], Role: roster.RoleAssistant}); err != nil {
				return err
			}
		}
	}
	return nil
}
