/* event.c — see event.h.  Registrations are read with store_forum.c; every
 * write goes through dom_create / dom_update (validation, scope, audit), the
 * attendance of many people inside one store transaction. */
#define _POSIX_C_SOURCE 200809L
#include "event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "domain.h"
#include "money.h"
#include "page.h"
#include "store_forum.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

/* An event's lists stop here: a page stays under 100 kB. */
#define EVENT_ROWS 300
/* Badges are printed in full (a big conference has a few thousand). */
#define BADGE_ROWS 5000

static const char *const roles[] = { "delegate", "speaker", "donor", "beneficiary", "observer" };

void event_problem(struct request *req, struct response *resp, int status, const char *msgid)
{
	page_error(req, resp, status, msgid);
}

static enum app_err kind_row(void *ctx, const struct row *row)
{
	const char *k = row_text(row, FLD(MEETING, KIND)->col);
	snprintf(ctx, 24, "%s", k ? k : "");
	return APP_OK;
}

enum app_err event_meeting_kind(struct app *app, long long id, char kind[24])
{
	char key[24];
	snprintf(key, sizeof key, "%lld", id);
	kind[0] = '\0';
	return store_get(app->store, ENT(MEETING), key, kind_row, kind);
}

static bool staff(const struct request *req)
{
	return (R_STAFF & ROLE_BIT(req->who.role)) != 0;
}

/* Which registrations who may list: staff all, a focal point its country's
 * (registration.scope), others none (they see the counts). */
static bool may_list(const struct request *req, const char **country)
{
	*country = NULL;
	if (staff(req))
		return true;
	if (req->who.role == ROLE_FOCAL && ent_can_read(ENT(REGISTRATION), ROLE_FOCAL)) {
		*country = req->who.country;
		return true;
	}
	return false;
}

/* ---- counts ------------------------------------------------------------------- */

struct counts {
	struct request *req;
	struct buf *b;
	bool by_country;
	long long registered, attended;
};

static enum app_err count_row(void *ctx, const struct row *row)
{
	struct counts *k = ctx;
	struct request *req = k->req;
	int c = k->by_country ? 4 : 1;
	buf_adds(k->b, "<tr><th scope=\"row\">");
	if (!k->by_country)
		buf_html(k->b, page_enum_label(req->lang, row_text(row, 0)));
	else if (row_null(row, 0))
		buf_html(k->b, _("No country given"));
	else
		page_i18n_html(k->b, row, 1, req->lang, 80);
	buf_adds(k->b, "</th><td class=\"num\">");
	num_html(k->b, req->lang, row_int(row, c));
	buf_adds(k->b, "</td><td class=\"num\">");
	num_html(k->b, req->lang, row_int(row, c + 1));
	buf_adds(k->b, "</td></tr>");
	k->registered += row_int(row, c);
	k->attended += row_int(row, c + 1);
	return APP_OK;
}

/* The table of the registrations by role or by country; false when they
 * could not be read (an alert in its place). */
static bool counts_table(struct request *req, struct buf *b, long long meeting, bool by_country,
			 long long *registered, long long *attended)
{
	struct buf rows = BUF_INIT;
	struct counts k = { .req = req, .b = &rows, .by_country = by_country };
	enum app_err rc = store_forum_registration_counts(req->app->store, meeting, by_country, count_row, &k);
	if (!page_part_failed(req, b, rc)) {
		buf_printf(b, "<div class=\"scroll\"><table class=\"list counts\"><caption>%s</caption><thead><tr>"
			      "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
			      "</tr></thead><tbody>%s</tbody></table></div>",
			   by_country ? _("Registrations by country") : _("Registrations by role"),
			   by_country ? _("Country") : _("Role"), _("Registered"), _("Attended"), buf_cstr(&rows));
		if (registered)
			*registered = k.registered, *attended = k.attended;
	}
	buf_release(&rows);
	return !rc;
}

/* ---- the list with its attendance form ------------------------------------------------ */

struct regs {
	struct request *req;
	struct buf *b;
	bool form;
	int n;
};

static void org_text(struct buf *b, const struct row *row, enum lang lang)
{
	enum lang shown;
	const char *acr = row_text(row, REG_ORG_ACRONYM);
	if (page_i18n(row, REG_ORG_NAME, lang, &shown))
		page_i18n_html(b, row, REG_ORG_NAME, lang, 80);
	else if (acr)
		buf_html(b, acr);
}

static enum app_err reg_row(void *ctx, const struct row *row)
{
	struct regs *r = ctx;
	struct request *req = r->req;
	struct buf *b = r->b;
	long long id = row_int(row, REG_ID);
	bool attended = row_int(row, REG_ATTENDED) != 0;
	r->n++;
	buf_printf(b, "<tr><th scope=\"row\"><a href=\"/persons/%lld\">", row_int(row, REG_PERSON));
	buf_html(b, row_text(row, REG_PERSON_NAME));
	buf_adds(b, "</a></th><td>");
	org_text(b, row, req->lang);
	buf_adds(b, "</td><td>");
	page_i18n_html(b, row, REG_COUNTRY_NAME, req->lang, 60);
	buf_printf(b, "</td><td>%s</td><td>", page_enum_label(req->lang, row_text(row, REG_ROLE)));
	if (r->form) {
		buf_printf(b, "<input type=\"hidden\" name=\"reg\" value=\"%lld\"><input type=\"checkbox\" name=\"attended\" "
			      "value=\"%lld\" id=\"att-%lld\"%s><label for=\"att-%lld\"><span class=\"sr-only\">%s ",
			   id, id, id, attended ? " checked" : "", id, _("Attended:"));
		buf_html(b, row_text(row, REG_PERSON_NAME));
		buf_printf(b, "</span><span aria-hidden=\"true\">%s</span></label>", attended ? _("yes") : _("no"));
	} else {
		buf_adds(b, attended ? _("yes") : _("no"));
	}
	buf_adds(b, "</td></tr>");
	return APP_OK;
}

static void registrations_list(struct request *req, struct buf *b, long long meeting, const char *country)
{
	bool form = staff(req);
	/* the rows first: no form around a list that could not be read */
	struct buf rows = BUF_INIT;
	struct regs r = { .req = req, .b = &rows, .form = form };
	if (page_part_failed(req, b, store_forum_registrations(req->app->store, meeting, country, EVENT_ROWS, reg_row, &r))) {
		buf_release(&rows);
		return;
	}
	if (form) {
		buf_printf(b, "<form method=\"post\" action=\"/meetings/%lld/attendance\" class=\"attendance\">", meeting);
		page_csrf_field(req, b);
	}
	buf_printf(b, "<div class=\"scroll\"><table class=\"list registrations\"><caption>%s</caption><thead><tr>"
		      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		      "<th scope=\"col\">%s</th></tr></thead><tbody>%s</tbody></table></div>",
		   _("Registered people"), _("Person"), _("Organisation"), _("Country"), _("Role"), _("Attended"),
		   buf_cstr(&rows));
	buf_release(&rows);
	if (r.n >= EVENT_ROWS)
		buf_printf(b, "<p>%s <a href=\"/registrations?meeting=%lld\">%s</a></p>",
			   _("Only the first registrations are listed here."), meeting, _("All registrations"));
	if (form) {
		if (r.n)
			buf_printf(b, "<p><button type=\"submit\">%s</button></p>", _("Save attendance"));
		buf_adds(b, "</form>");
	}
}

/* ---- registering a person ----------------------------------------------------------------- */

static void register_form(struct request *req, struct buf *b, long long meeting)
{
	buf_printf(b, "<form method=\"post\" action=\"/meetings/%lld/register\" class=\"register\"><fieldset><legend>%s</legend>",
		   meeting, _("Register a person"));
	page_csrf_field(req, b);
	buf_printf(b, "<p><label for=\"reg-person\">%s</label> <select id=\"reg-person\" name=\"person\"><option value=\"\">—</option>",
		   _("Person"));
	page_options_all(req, b, ENT(PERSON), NULL);
	buf_printf(b, "</select></p><p><label for=\"reg-number\">%s</label> <input type=\"text\" inputmode=\"numeric\" "
		      "id=\"reg-number\" name=\"person_number\" size=\"8\"></p>",
		   _("or person number"));
	buf_printf(b, "<p><label for=\"reg-org\">%s</label> <select id=\"reg-org\" name=\"organisation\">"
		      "<option value=\"\">%s</option>", _("Organisation"), _("the person's own"));
	page_options_all(req, b, ENT(ORGANISATION), NULL);
	buf_printf(b, "</select></p><p><label for=\"reg-country\">%s</label> <select id=\"reg-country\" name=\"country\">"
		      "<option value=\"\">—</option>", _("Country"));
	page_options_all(req, b, ENT(COUNTRY), NULL);
	buf_printf(b, "</select></p><p><label for=\"reg-role\">%s</label> <select id=\"reg-role\" name=\"role\">", _("Role"));
	for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
		buf_printf(b, "<option value=\"%s\">%s</option>", roles[i], page_enum_label(req->lang, roles[i]));
	buf_printf(b, "</select></p><p><button type=\"submit\">%s</button></p></fieldset></form>", _("Register"));
}

/* ---- the sections ------------------------------------------------------------------------------ */

void event_meeting_sections(struct request *req, struct buf *b, const char *key)
{
	long long id;
	char kind[24];
	if (!util_parse_ll(key, &id))
		return;
	enum app_err rc = event_meeting_kind(req->app, id, kind);
	/* the record page has just read this meeting: gone since
	 * (APP_NOT_FOUND), it has no sections; unread, they say so */
	if (rc == APP_NOT_FOUND || page_part_failed(req, b, rc) || strcmp(kind, "strategic_dialogue") == 0)
		return;
	page_css(b, "forum.css");
	buf_printf(b, "<section id=\"registrations\" class=\"event\"><h2>%s</h2>",
		   _("Registrations and attendance"));
	if (strcmp(kind, "forum") == 0)
		buf_printf(b, "<p class=\"forum-links\"><a href=\"/forum/%lld/evaluate\">%s</a> · <a href=\"/forum/%lld/report\">%s</a></p>",
			   id, _("Evaluate the programmes"), id, _("Forum report"));
	long long registered = 0, attended = 0;
	buf_adds(b, "<div class=\"event-counts\">");
	bool counted = counts_table(req, b, id, false, &registered, &attended);
	counts_table(req, b, id, true, NULL, NULL); /* its own alert if it fails; the total is the other's */
	buf_adds(b, "</div>");
	if (counted) {
		buf_adds(b, "<p class=\"event-total\">");
		char r[NUM_TEXT_MAX], a[NUM_TEXT_MAX];
		buf_printf(b, _("%s registered, %s attended."), num_text(r, req->lang, registered, 0),
			   num_text(a, req->lang, attended, 0));
		buf_adds(b, "</p>");
	}
	const char *country;
	if (may_list(req, &country)) {
		if (staff(req))
			buf_printf(b, "<p><a href=\"/meetings/%lld/badges\">%s</a> · <a href=\"/meetings/%lld/badges.pdf\">%s</a> · "
				      "<a href=\"/meetings/%lld/badges.csv\">%s</a></p>",
				   id, _("Badges to print"), id, _("Badges as PDF"), id, _("Registrations as CSV"));
		registrations_list(req, b, id, country);
	}
	if (staff(req))
		register_form(req, b, id);
	buf_adds(b, "</section>");
}

/* ---- attendance --------------------------------------------------------------------------------- */

static bool listed(const struct args *form, const char *name, const char *value)
{
	for (size_t i = 0; i < form->n; i++)
		if (strcmp(form->a[i].name, name) == 0 && strcmp(form->a[i].value, value) == 0)
			return true;
	return false;
}

struct reg_state {
	bool found, attended, of_meeting;
	long long meeting;
};

static enum app_err state_row(void *ctx, const struct row *row)
{
	struct reg_state *s = ctx;
	s->found = true;
	s->attended = row_int(row, FLD(REGISTRATION, ATTENDED)->col) != 0;
	s->of_meeting = row_int(row, FLD(REGISTRATION, MEETING)->col) == s->meeting;
	return APP_OK;
}

/* Sets attended on every listed registration of the meeting that changes,
 * all in one transaction: all are saved or none. */
static enum app_err save_attendance(struct request *req, long long meeting, const struct args *form)
{
	const struct entity *e = ENT(REGISTRATION);
	struct store *st = req->app->store;
	enum app_err rc = store_begin(st);
	if (rc)
		return rc;
	for (size_t i = 0; i < form->n && !rc; i++) {
		if (strcmp(form->a[i].name, "reg") != 0)
			continue;
		const char *key = form->a[i].value;
		if (!dom_valid_key(e, key)) {
			rc = APP_INVALID;
			break;
		}
		struct reg_state s = { .meeting = meeting };
		rc = store_get(st, e, key, state_row, &s);
		if (!rc && !s.of_meeting)
			rc = APP_INVALID; /* a registration of another meeting */
		bool want = listed(form, "attended", key);
		if (rc || want == s.attended)
			continue;
		json_t *patch = json_pack("{s:b}", "attended", want);
		struct ferrs errs = { 0 };
		rc = dom_update(req->app, e, key, patch, -1, &req->who, &errs);
		ferrs_release(&errs);
		json_decref(patch);
	}
	if (rc) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st);
}

static void attendance(struct request *req, struct response *resp, long long meeting)
{
	struct args form = { 0 };
	args_parse_form(&form, req->body, req->body_len); /* a web form: the route table checked */
	enum app_err rc = save_attendance(req, meeting, &form);
	args_release(&form);
	if (rc == APP_FORBIDDEN)
		event_problem(req, resp, 403, N_("Your role may not do this."));
	else if (rc == APP_NOT_FOUND || rc == APP_INVALID)
		event_problem(req, resp, 422, N_("A registration in this form does not belong to this meeting."));
	else if (rc)
		event_problem(req, resp, err_status(err_db_failure(rc)),
			      err_message(err_db_failure(rc)));
	else {
		char url[64];
		snprintf(url, sizeof url, "/meetings/%lld?saved=1#registrations", meeting);
		page_redirect(resp, url);
	}
}

/* ---- registering ------------------------------------------------------------------------------------ */

static enum app_err person_org_row(void *ctx, const struct row *row)
{
	const struct field *f = FLD(PERSON, ORGANISATION);
	*(long long *)ctx = row_null(row, f->col) ? 0 : row_int(row, f->col);
	return APP_OK;
}

/* Sets obj's organisation to the one of person, if it has one.  A person
 * that does not exist is no failure here: the create refuses it with its
 * own message.  A person that could not be read is: the registration is
 * not saved without the organisation it should have. */
static enum app_err own_organisation(struct request *req, json_t *obj, long long person)
{
	char key[24];
	snprintf(key, sizeof key, "%lld", person);
	long long org_id = 0;
	enum app_err rc = store_get(req->app->store, ENT(PERSON), key, person_org_row, &org_id);
	if (rc == APP_NOT_FOUND)
		return APP_OK;
	if (rc)
		return err_db_failure(rc);
	if (org_id)
		json_object_set_new(obj, "organisation", json_integer(org_id));
	return APP_OK;
}

static void registration_failed(struct request *req, struct response *resp, long long meeting, enum app_err rc,
				const struct ferrs *errs)
{
	struct buf *b = &resp->body;
	buf_reset(b);
	resp->status = err_status(rc);
	page_begin(req, resp, _("The registration was not saved"));
	buf_printf(b, "<h1>%s</h1><ul class=\"errors\">", _("The registration was not saved"));
	if (rc == APP_CONFLICT)
		buf_printf(b, "<li>%s</li>", _("This person is already registered for this meeting."));
	for (size_t i = 0; i < errs->n; i++) {
		struct buf m = BUF_INIT;
		ferrs_message(errs, i, req->lang, &m);
		buf_adds(b, "<li>");
		const struct field *f = ent_field(ENT(REGISTRATION), errs->a[i].field);
		if (f) {
			buf_html(b, _(f->label));
			buf_adds(b, ": ");
		}
		buf_html(b, buf_cstr(&m));
		buf_adds(b, "</li>");
		buf_release(&m);
	}
	if (rc != APP_CONFLICT && !errs->n)
		buf_printf(b, "<li>%s</li>", rc == APP_FORBIDDEN ? _("Your role may not do this.")
								 : page_db_problem(req, rc));
	buf_printf(b, "</ul><p><a href=\"/meetings/%lld#registrations\">%s</a></p>", meeting, _("Back to the meeting"));
	page_end(req, resp);
}

static void register_person(struct request *req, struct response *resp, long long meeting)
{
	struct args form = { 0 };
	args_parse_form(&form, req->body, req->body_len); /* a web form: the route table checked */
	const char *number = args_get(&form, "person_number");
	const char *person = number && *number ? number : args_get(&form, "person");
	const char *org = args_get(&form, "organisation");
	const char *country = args_get(&form, "country");
	const char *role = args_get(&form, "role");
	json_t *obj = json_object();
	long long n;
	enum app_err rc = APP_OK;
	json_object_set_new(obj, "meeting", json_integer(meeting));
	if (person && util_parse_ll(person, &n))
		json_object_set_new(obj, "person", json_integer(n));
	else if (person && *person)
		json_object_set_new(obj, "person", json_string(person)); /* refused clearly by validation */
	long long org_id = 0;
	if (org && *org && util_parse_ll(org, &org_id))
		json_object_set_new(obj, "organisation", json_integer(org_id));
	else if (json_is_integer(json_object_get(obj, "person"))) /* the person's own */
		rc = own_organisation(req, obj, n);
	if (country && *country)
		json_object_set_new(obj, "country", json_string(country));
	if (role && *role)
		json_object_set_new(obj, "role", json_string(role));
	struct ferrs errs = { 0 };
	struct buf key = BUF_INIT;
	if (!rc)
		rc = dom_create(req->app, ENT(REGISTRATION), obj, REC_CREATE, &req->who, &key, &errs);
	if (rc) {
		registration_failed(req, resp, meeting, rc, &errs);
	} else {
		char url[64];
		snprintf(url, sizeof url, "/meetings/%lld?saved=1#registrations", meeting);
		page_redirect(resp, url);
	}
	buf_release(&key);
	ferrs_release(&errs);
	json_decref(obj);
	args_release(&form);
}

/* ---- badges ------------------------------------------------------------------------------------------ */

struct badges {
	struct request *req;
	struct buf *b;
	bool csv;
	int n;
};

static enum app_err badge_row(void *ctx, const struct row *row)
{
	struct badges *g = ctx;
	struct request *req = g->req;
	struct buf *b = g->b;
	enum lang shown;
	g->n++;
	if (g->csv) {
		const char *org = page_i18n(row, REG_ORG_NAME, req->lang, &shown);
		const char *cname = page_i18n(row, REG_COUNTRY_NAME, req->lang, &shown);
		buf_printf(b, "%lld,", row_int(row, REG_PERSON));
		buf_csv(b, row_text(row, REG_PERSON_NAME));
		buf_addc(b, ',');
		buf_csv(b, org);
		buf_addc(b, ',');
		buf_csv(b, row_text(row, REG_ORG_ACRONYM));
		buf_addc(b, ',');
		buf_csv(b, row_text(row, REG_COUNTRY));
		buf_addc(b, ',');
		buf_csv(b, cname);
		buf_printf(b, ",%s,%s\r\n", row_text(row, REG_ROLE), row_int(row, REG_ATTENDED) ? "true" : "false");
		return APP_OK;
	}
	buf_printf(b, "<li class=\"badge role-%s\"><p class=\"badge-name\">", row_text(row, REG_ROLE));
	buf_html(b, row_text(row, REG_PERSON_NAME));
	buf_adds(b, "</p><p class=\"badge-org\">");
	org_text(b, row, req->lang);
	buf_adds(b, "</p><p class=\"badge-country\">");
	page_i18n_html(b, row, REG_COUNTRY_NAME, req->lang, 60);
	buf_printf(b, "</p><p class=\"badge-role\">%s</p></li>", page_enum_label(req->lang, row_text(row, REG_ROLE)));
	return APP_OK;
}

static enum app_err title_row(void *ctx, const struct row *row)
{
	struct badges *g = ctx;
	page_i18n_html(g->b, row, FLD(MEETING, TITLE)->col, g->req->lang, 0);
	return APP_OK;
}

static void badges(struct request *req, struct response *resp, long long meeting, bool csv)
{
	struct buf *b = &resp->body;
	struct badges g = { .req = req, .b = b, .csv = csv };
	if (csv) {
		resp->content_type = "text/csv; charset=utf-8";
		char cd[80];
		snprintf(cd, sizeof cd, "attachment; filename=\"badges-%lld.csv\"", meeting);
		resp_header(resp, "Content-Disposition", cd);
		buf_adds(b, "person,name,organisation,acronym,country,country_name,role,attended\r\n");
		if (store_forum_registrations(req->app->store, meeting, NULL, BADGE_ROWS, badge_row, &g))
			event_problem(req, resp, 503, N_("The database is not available; try again shortly."));
		return;
	}
	/* the title and the badges first: they are the whole page */
	struct buf title = BUF_INIT, items = BUF_INIT;
	char key[24];
	snprintf(key, sizeof key, "%lld", meeting);
	g.b = &title;
	enum app_err rc = store_get(req->app->store, ENT(MEETING), key, title_row, &g);
	if (rc == APP_NOT_FOUND) /* deleted since the_meeting read it: the heading goes without its title */
		rc = APP_OK;
	g.b = &items;
	if (!rc)
		rc = store_forum_registrations(req->app->store, meeting, NULL, BADGE_ROWS, badge_row, &g);
	if (rc) {
		buf_release(&title);
		buf_release(&items);
		page_error_rc(req, resp, err_db_failure(rc)); /* not "no such record": the meeting was found */
		return;
	}
	page_begin(req, resp, _("Badges"));
	page_css(b, "forum.css");
	buf_printf(b, "<p class=\"crumbs noprint\"><a href=\"/meetings/%lld\">%s</a></p>"
		      "<h1 class=\"noprint\">%s — %s</h1><p class=\"noprint\">%s</p><ul class=\"badges\">%s</ul>",
		   meeting, _("Meeting"), _("Badges"), buf_cstr(&title),
		   _("Eight badges to an A4 page: print this page, then cut along the lines."), buf_cstr(&items));
	buf_release(&title);
	buf_release(&items);
	if (!g.n)
		buf_printf(b, "<p>%s</p>", _("No one is registered yet."));
	page_end(req, resp);
}

/* ---- routes --------------------------------------------------------------------------------------------- */

/* The meeting of the path's {id}; false when it answered 404 or 503.
 * The route table lets staff only here. */
static bool the_meeting(struct request *req, struct response *resp, long long *id)
{
	char kind[24];
	enum app_err rc = req_param_id(req, "id", id) ? event_meeting_kind(req->app, *id, kind) : APP_NOT_FOUND;
	if (rc == APP_NOT_FOUND)
		event_problem(req, resp, 404, N_("No such record."));
	else if (rc)
		event_problem(req, resp, 503, N_("The database is not available; try again shortly."));
	return !rc;
}

void event_attendance(struct request *req, struct response *resp)
{
	long long id;
	if (the_meeting(req, resp, &id))
		attendance(req, resp, id);
}

void event_register(struct request *req, struct response *resp)
{
	long long id;
	if (the_meeting(req, resp, &id))
		register_person(req, resp, id);
}

void event_badges(struct request *req, struct response *resp)
{
	long long id;
	if (the_meeting(req, resp, &id))
		badges(req, resp, id, false);
}

void event_badges_csv(struct request *req, struct response *resp)
{
	long long id;
	if (the_meeting(req, resp, &id))
		badges(req, resp, id, true);
}
