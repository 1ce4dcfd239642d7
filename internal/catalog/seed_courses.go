package catalog

// Demo agencies: the Iranian (0) and the Tajik (1) partner.
const (
	iran       = 0
	tajikistan = 1
)

// demoCourses is the demonstration catalogue, prerequisites before the
// courses that require them.
func demoCourses() []demoCourse {
	return []demoCourse{
		// Counter-narcotics: CN-101 → CN-201 → CN-301; CN-110 → CN-220.
		demo(iran, "CN-101", "counter_narcotics", "basic", "in_person", 40, "fa tg", "",
			"مبانی مبارزه با مواد مخدر",
			"آشنایی با انواع مواد مخدر، مسیرهای قاچاق در منطقه و چارچوب حقوقی مبارزه با مواد مخدر."),
		demo(iran, "CN-201", "counter_narcotics", "intermediate", "blended", 60, "en fa ru", "CN-101",
			"Drug Trafficking Investigations",
			"Planning and running investigations into trafficking networks, from the first seizure to the prosecution file."),
		demo(tajikistan, "CN-301", "counter_narcotics", "advanced", "in_person", 80, "en ru", "CN-201",
			"Controlled Deliveries and Financial Investigation of Drug Networks",
			"Cross-border controlled deliveries, asset tracing and the legal safeguards of joint operations."),
		demo(tajikistan, "CN-110", "counter_narcotics", "basic", "online", 16, "ru tg", "",
			"Шинохти маводи нашъадор ва прекурсорҳо",
			"Шинохти визуалӣ ва озмоиши саҳроии маводи нашъадор, моддаҳои психотропӣ ва прекурсорҳо."),
		demo(tajikistan, "CN-220", "counter_narcotics", "intermediate", "blended", 32, "en ru tg", "CN-110",
			"Precursor Chemical Control",
			"Monitoring licit trade in precursor chemicals and spotting diversion to clandestine laboratories.").
			withStatus(StatusDraft),

		// Border security: BS-101 → BS-201, BS-210.
		demo(tajikistan, "BS-101", "border_security", "basic", "in_person", 40, "ru tg", "",
			"Охрана границ: основы",
			"Организация охраны государственной границы, пункты пропуска и взаимодействие пограничных служб."),
		demo(iran, "BS-201", "border_security", "intermediate", "in_person", 30, "en fa ru", "BS-101",
			"Document Fraud Detection at Border Crossings",
			"Examining passports, visas and vehicle papers for forgery and impostor use with standard and UV equipment."),
		demo(iran, "BS-210", "border_security", "intermediate", "in_person", 50, "fa tg", "BS-101",
			"کنترل مرزی در مناطق کوهستانی",
			"گشت‌زنی، دیده‌بانی و رهگیری در مرزهای کوهستانی در شرایط سخت آب‌وهوایی."),

		// Counter-terrorism: CT-101 → CT-201 → CT-301.
		demo(iran, "CT-101", "counter_terrorism", "basic", "online", 20, "en fa ru", "",
			"Introduction to Counter-Terrorism",
			"Terrorist threats in Central and South-West Asia, the international legal framework and the first responder's role."),
		demo(tajikistan, "CT-201", "counter_terrorism", "intermediate", "blended", 40, "en ru", "CT-101",
			"Противодействие финансированию терроризма",
			"Выявление каналов финансирования терроризма: хавала, наличные курьеры, некоммерческие организации."),
		demo(iran, "CT-301", "counter_terrorism", "advanced", "in_person", 60, "en", "CT-201",
			"Crisis Negotiation and Hostage Response",
			"Negotiation team roles, communication under pressure and coordination with tactical units.").
			withStatus(StatusDraft),

		// Organised crime: OC-101 → OC-201.
		demo(tajikistan, "OC-101", "organised_crime", "basic", "in_person", 24, "en ru", "",
			"Organised Crime Structures and Typologies",
			"How criminal groups in the region are organised, financed and protected, with case studies."),
		demo(iran, "OC-201", "organised_crime", "intermediate", "blended", 40, "en fa", "OC-101",
			"تحقیقات پولشویی",
			"ردیابی عواید جرم، تحلیل تراکنش‌های مالی و همکاری با واحدهای اطلاعات مالی."),

		// Cybercrime: CY-101 → CY-201.
		demo(iran, "CY-101", "cybercrime", "basic", "online", 24, "en ru", "",
			"Cybercrime Fundamentals for Investigators",
			"Digital evidence, seizure of devices, and requests to service providers abroad."),
		demo(iran, "CY-201", "cybercrime", "intermediate", "blended", 40, "en", "CY-101",
			"Darknet Markets and Cryptocurrency Tracing",
			"Following drug sales on darknet markets and tracing payments on public blockchains."),

		// Forensics.
		demo(tajikistan, "FO-101", "forensics", "basic", "in_person", 36, "ru tg", "",
			"Основы криминалистической экспертизы наркотиков",
			"Отбор проб, цепочка хранения вещественных доказательств и основные методы лабораторного анализа."),
		demo(iran, "FO-201", "forensics", "intermediate", "in_person", 40, "en fa", "",
			"Crime Scene Management",
			"Securing, documenting and processing scenes so that evidence stands up in court."),

		// Intelligence analysis: IA-101 → IA-201.
		demo(tajikistan, "IA-101", "intelligence_analysis", "basic", "blended", 30, "en fa ru", "",
			"Criminal Intelligence Analysis",
			"The intelligence cycle, source evaluation and analytical products for operational units."),
		demo(iran, "IA-201", "intelligence_analysis", "intermediate", "in_person", 40, "fa", "IA-101",
			"تحلیل شبکه‌های مجرمانه",
			"کشف ساختار و افراد کلیدی شبکه‌های قاچاق با تحلیل ارتباطات و داده‌های مالی."),

		// Human trafficking: HT-101 → HT-201.
		demo(iran, "HT-101", "human_trafficking", "basic", "online", 12, "en fa ru tg", "",
			"Identifying Victims of Human Trafficking",
			"Indicators of trafficking and smuggling of migrants, and referral of victims to protection services."),
		demo(tajikistan, "HT-201", "human_trafficking", "intermediate", "in_person", 32, "ru tg", "HT-101",
			"Тафтиши қочоқи одамон",
			"Тафтиши парвандаҳои қочоқи одамон, ҳифзи ҷабрдидагон ва ҳамкории байналмилалӣ."),

		// Public order; PO-201 has been withdrawn from the catalogue.
		demo(tajikistan, "PO-101", "public_order", "basic", "in_person", 24, "ru tg", "",
			"Public Order Management and Crowd Safety",
			"Planning for crowds at public events, de-escalation and proportionate use of force."),
		demo(iran, "PO-201", "public_order", "intermediate", "in_person", 30, "en fa", "PO-101",
			"Protection of Major Events",
			"Security planning for summits and sporting events hosted jointly by partner agencies.").
			withStatus(StatusArchived),

		// Leadership: LD-201 → LD-301.
		demo(iran, "LD-201", "leadership", "intermediate", "blended", 40, "en fa ru", "",
			"Leading Joint Operations",
			"Command, planning and liaison when officers of two agencies work one operation together."),
		demo(iran, "LD-301", "leadership", "advanced", "in_person", 48, "fa ru", "LD-201",
			"مدیریت عملیات مشترک برون‌مرزی",
			"برنامه‌ریزی، فرماندهی و ارزیابی عملیات مشترک با سازمان‌های همکار در آن سوی مرز."),

		// Language courses for cooperation across the border.
		demo(iran, "LG-101", "language", "basic", "blended", 120, "ru", "",
			"Russian for Law-Enforcement Cooperation",
			"Operational Russian for liaison officers: requests, reports, phone calls and joint meetings."),
		demo(tajikistan, "LG-102", "language", "basic", "online", 60, "fa tg", "",
			"Хати форсӣ барои кормандони ҳифзи ҳуқуқ",
			"Омӯзиши хати форсӣ барои хондани ҳуҷҷатҳо ва мукотибаи расмӣ бо ҳамкорони эронӣ."),
		demo(tajikistan, "LG-110", "language", "intermediate", "online", 80, "en", "",
			"English for International Police Cooperation",
			"English for Interpol notices, mutual legal assistance requests and international conferences."),

		// Other.
		demo(tajikistan, "OT-101", "other", "basic", "online", 8, "en fa ru tg", "",
			"Human Rights Standards in Law Enforcement",
			"Arrest, detention and interviewing in line with international human rights standards."),
		demo(iran, "OT-110", "other", "intermediate", "in_person", 40, "en fa", "",
			"Instructor Development Course",
			"Adult learning, lesson planning and assessment for officers who will teach their colleagues.").
			withStatus(StatusDraft),
	}
}
