package web

import (
	"html/template"
	"net/url"
	"strings"

	"muster/internal/access"
	"muster/internal/audit"
)

// Story writes an audit event as a sentence in the viewer's language, its
// people and records linked where the viewer may open them. An action with
// no sentence in the catalogs shows as its raw code.
func (v *View) Story(st audit.Story) template.HTML {
	// Each part enters the message as a marker, so the message is escaped
	// once and the parts' markup is put in after.
	data := make(map[string]any, len(st.Args))
	parts := make([]string, 0, 2*len(st.Args))
	i := 0
	for name, ref := range st.Args {
		marker := "\uE000" + string(rune('A'+i)) + "\uE001" // private-use characters that escaping keeps
		i++
		data[name] = marker
		parts = append(parts, marker, v.refHTML(ref))
	}
	msg, ok := v.Lookup(st.Key, data)
	if !ok {
		return template.HTML(`<code>` + template.HTMLEscapeString(st.Event.Action) + `</code> ` + v.refHTML(st.Args["Subject"]))
	}
	return template.HTML(strings.NewReplacer(parts...).Replace(template.HTMLEscapeString(msg)))
}

// refHTML is a named record: a link when the viewer may open its page,
// else its name, isolated from the sentence's direction.
func (v *View) refHTML(r audit.Ref) string {
	name := "<bdi>" + template.HTMLEscapeString(r.Name) + "</bdi>"
	if href := v.refLink(r); href != "" {
		return `<a href="` + template.HTMLEscapeString(href) + `">` + name + `</a>`
	}
	return name
}

// refLink is the page of r when the viewer may see it, else "".
func (v *View) refLink(r audit.Ref) string {
	me := v.Me
	if me == nil || r.ID == "" {
		return ""
	}
	admin := me.Has(access.Admin)
	own := r.AgencyID != "" && r.AgencyID == me.AgencyID
	switch r.Kind {
	case "user":
		staff := me.Has(access.AgencyAdmin) || me.Has(access.Coordinator) || me.Has(access.HR)
		if admin || own && staff {
			return "/manage/users/" + url.PathEscape(r.ID)
		}
	case "cohort":
		if r.Public || admin || own && me.Has(access.Coordinator) {
			return "/cohorts/" + url.PathEscape(r.ID)
		}
	case "course":
		if r.Public || admin || me.Has(access.Coordinator) {
			return "/courses/" + url.PathEscape(r.ID)
		}
	case "certificate":
		return "/certificates/" + url.PathEscape(r.ID)
	}
	return ""
}
