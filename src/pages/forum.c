/* forum.c — see forum.h: the evaluation form.  The programmes a rater may
 * rate come from store_forum.c; the sheet itself is read with the
 * registry's query (scope applied) and written with dom_create /
 * dom_update, so that the form and the API validate alike. */
#define _POSIX_C_SOURCE 200809L
#include "forum.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "event.h"
#include "page.h"
#include "store_forum.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

const char *const forum_criteria[FORUM_CRITERIA] = { "relevance", "coherence", "effectiveness", "efficiency", "impact",
						     "sustainability" };
/* The fields of each criterion's score and comment, in that order. */
static const int criterion_fields[FORUM_CRITERIA][2] = {
	{ EVALUATION_RELEVANCE, EVALUATION_RELEVANCE_COMMENT },
	{ EVALUATION_COHERENCE, EVALUATION_COHERENCE_COMMENT },
	{ EVALUATION_EFFECTIVENESS, EVALUATION_EFFECTIVENESS_COMMENT },
	{ EVALUATION_EFFICIENCY, EVALUATION_EFFICIENCY_COMMENT },
	{ EVALUATION_IMPACT, EVALUATION_IMPACT_COMMENT },
	{ EVALUATION_SUSTAINABILITY, EVALUATION_SUSTAINABILITY_COMMENT },
};
const char *const forum_criteria_label[FORUM_CRITERIA] = { N_("Relevance"), N_("Coherence"), N_("Effectiveness"),
							   N_("Efficiency"), N_("Impact"), N_("Sustainability") };
const char *const forum_criteria_help[FORUM_CRITERIA] = {
	N_("Is the programme doing the right things? Does it answer the beneficiaries' needs and priorities?"),
	N_("How well does it fit with other assistance in the country and the sector?"),
	N_("Is it achieving its objectives?"),
	N_("How well are its resources used?"),
	N_("What difference does it make?"),
	N_("Will its benefits last?"),
};
static const char *const score_label[5] = { N_("1 – very poor"), N_("2 – poor"), N_("3 – fair"), N_("4 – good"),
					    N_("5 – excellent") };

/* Who rates: a country (beneficiary) or an organisation (donor). */
struct rater {
	bool donor;
	char country[3];
	long long organisation;
};

struct ev {
	struct request *req;
	struct response *resp;
	long long meeting;
	struct rater r;
	long long programme;
};

static bool staff(const struct request *req)
{
	return (R_STAFF & ROLE_BIT(req->who.role)) != 0;
}

/* The rater from the signed-in account, or (staff) from a: rater, country,
 * organisation.  0 with *r filled; 1 when staff must still choose; 403 when
 * the account may not rate or a names another rater than its own. */
static int rater_of(const struct request *req, const struct args *a, struct rater *r)
{
	memset(r, 0, sizeof *r);
	const char *kind = args_get(a, "rater");
	const char *country = args_get(a, "country");
	const char *org = args_get(a, "organisation");
	long long n = 0;
	if (req->who.role == ROLE_FOCAL) {
		if ((kind && *kind && strcmp(kind, "beneficiary") != 0) || (country && *country && strcmp(country, req->who.country) != 0) ||
		    (org && *org))
			return 403;
		snprintf(r->country, sizeof r->country, "%s", req->who.country);
		return 0;
	}
	if (req->who.role == ROLE_DONOR) {
		if ((kind && *kind && strcmp(kind, "donor") != 0) || (country && *country) ||
		    (org && *org && (!util_parse_ll(org, &n) || n != req->who.organisation)) || req->who.organisation <= 0)
			return 403;
		r->donor = true;
		r->organisation = req->who.organisation;
		return 0;
	}
	if (!staff(req))
		return 403;
	if (kind && strcmp(kind, "beneficiary") == 0 && country && strlen(country) == 2) {
		snprintf(r->country, sizeof r->country, "%s", country);
		return 0;
	}
	if (kind && strcmp(kind, "donor") == 0 && org && util_parse_ll(org, &n) && n > 0) {
		r->donor = true;
		r->organisation = n;
		return 0;
	}
	return 1;
}

/* The query string that names the rater (for staff; empty for others). */
static void rater_query(const struct ev *v, struct buf *q)
{
	if (!staff(v->req))
		return;
	if (v->r.donor)
		buf_printf(q, "rater=donor&amp;organisation=%lld", v->r.organisation);
	else
		buf_printf(q, "rater=beneficiary&amp;country=%s", v->r.country);
}

static void rater_fields(const struct ev *v, struct buf *b)
{
	if (v->r.donor)
		buf_printf(b, "<input type=\"hidden\" name=\"rater\" value=\"donor\"><input type=\"hidden\" name=\"organisation\" value=\"%lld\">",
			   v->r.organisation);
	else
		buf_printf(b, "<input type=\"hidden\" name=\"rater\" value=\"beneficiary\"><input type=\"hidden\" name=\"country\" value=\"%s\">",
			   v->r.country);
}

/* ---- the rater's name -------------------------------------------------------------- */

static void rater_name(struct ev *v)
{
	char key[24];
	if (v->r.donor)
		snprintf(key, sizeof key, "%lld", v->r.organisation);
	else
		snprintf(key, sizeof key, "%s", v->r.country);
	page_ref_name(v->req, &v->resp->body, v->r.donor ? ENT(ORGANISATION) : ENT(COUNTRY), key);
}

/* ---- the rater's sheets ---------------------------------------------------------------- */

/* The query of the rater's sheets at this forum (one programme when > 0). */
static void sheets_query(struct ev *v, struct query *q, long long programme)
{
	const struct entity *e = ENT(EVALUATION);
	dom_query_init(q, e, &v->req->who);
	q->limit = 500;
	int n = q->nfilters;
	q->filters[n].f = FLD(EVALUATION, MEETING);
	q->filters[n++].value = (struct dbparam){ .type = DBP_INT, .i = v->meeting };
	if (v->r.donor) {
		q->filters[n].f = FLD(EVALUATION, ORGANISATION);
		q->filters[n++].value = (struct dbparam){ .type = DBP_INT, .i = v->r.organisation };
	} else {
		q->filters[n].f = FLD(EVALUATION, COUNTRY);
		q->filters[n++].value = (struct dbparam){ .type = DBP_TEXT, .s = v->r.country };
	}
	if (programme > 0) {
		q->filters[n].f = FLD(EVALUATION, PROGRAMME);
		q->filters[n++].value = (struct dbparam){ .type = DBP_INT, .i = programme };
	}
	q->nfilters = n;
}

/* One sheet's values, as JSON (the form's values), with its key and version. */
struct sheet {
	bool found;
	long long id, version, programme;
	int scores[FORUM_CRITERIA];
	json_t *vals;
};

static enum app_err sheet_row(void *ctx, const struct row *row)
{
	struct sheet *s = ctx;
	s->found = true;
	json_decref(s->vals); /* (one sheet per rater: never two) */
	s->id = row_int(row, FLD(EVALUATION, ID)->col);
	s->programme = row_int(row, FLD(EVALUATION, PROGRAMME)->col);
	s->vals = json_object();
	for (int i = 0; i < FORUM_CRITERIA; i++) {
		const struct field *score = ent_fld(ENT_EVALUATION, criterion_fields[i][0]);
		const struct field *comment = ent_fld(ENT_EVALUATION, criterion_fields[i][1]);
		s->scores[i] = (int)row_int(row, score->col);
		const char *c = row_text(row, comment->col);
		json_object_set_new(s->vals, score->name, json_integer(s->scores[i]));
		if (c)
			json_object_set_new(s->vals, comment->name, json_string(c));
	}
	return APP_OK;
}

/* The rater's sheet for programme (s->found false when none). */
static enum app_err find_sheet(struct ev *v, long long programme, struct sheet *s)
{
	memset(s, 0, sizeof *s);
	struct query q;
	sheets_query(v, &q, programme);
	enum app_err rc = store_list(v->req->app->store, &q, NULL, sheet_row, s);
	dom_query_release(&q);
	if (!rc && s->found) { /* its version, for an update that must not overwrite a newer one */
		char key[24];
		struct buf json = BUF_INIT;
		snprintf(key, sizeof key, "%lld", s->id);
		rc = dom_get_json(v->req->app, ENT(EVALUATION), key, &v->req->who, &json, &s->version);
		buf_release(&json);
	}
	return rc;
}

/* ---- the list of programmes --------------------------------------------------------------- */

struct rated {
	long long ids[500];
	int scores[500][FORUM_CRITERIA];
	int n;
};

static enum app_err rated_row(void *ctx, const struct row *row)
{
	struct rated *r = ctx;
	struct sheet s = { 0 };
	enum app_err rc = sheet_row(&s, row);
	json_decref(s.vals);
	if (!rc && r->n < 500) {
		r->ids[r->n] = s.programme;
		memcpy(r->scores[r->n], s.scores, sizeof s.scores);
		r->n++;
	}
	return rc;
}

struct plist {
	struct ev *v;
	struct rated *rated;
	struct buf query;
	struct buf items; /* the <li>s */
	int n;
};

static enum app_err programme_item(void *ctx, const struct row *row)
{
	struct plist *p = ctx;
	struct request *req = p->v->req;
	struct buf *b = &p->items;
	long long id = row_int(row, 0);
	p->n++;
	buf_printf(b, "<li><a href=\"/forum/%lld/evaluate?programme=%lld%s%s\">", p->v->meeting, id,
		   p->query.len ? "&amp;" : "", buf_cstr(&p->query));
	page_i18n_html(b, row, 1, req->lang, 200);
	buf_adds(b, "</a> — ");
	int k = -1;
	for (int i = 0; i < p->rated->n; i++)
		if (p->rated->ids[i] == id)
			k = i;
	if (k < 0) {
		buf_printf(b, "<span class=\"tag\">%s</span>", _("not rated yet"));
	} else {
		buf_printf(b, "<span class=\"tag tag-done\">%s</span> <span class=\"given\">", _("rated"));
		for (int i = 0; i < FORUM_CRITERIA; i++)
			buf_printf(b, "%s%s %d", i ? ", " : "", _(forum_criteria_label[i]), p->rated->scores[k][i]);
		buf_adds(b, "</span>");
	}
	buf_adds(b, "</li>");
	return APP_OK;
}

static void programme_list(struct ev *v)
{
	struct buf *b = &v->resp->body;
	struct request *req = v->req;
	struct rated *rated = xcalloc(1, sizeof *rated);
	struct query q;
	sheets_query(v, &q, 0);
	/* unread, the sheets given would show as "not rated yet" */
	enum app_err rc = store_list(req->app->store, &q, NULL, rated_row, rated);
	dom_query_release(&q);
	struct plist p = { .v = v, .rated = rated, .query = BUF_INIT, .items = BUF_INIT };
	rater_query(v, &p.query);
	if (!rc)
		rc = store_forum_rateable(req->app->store, v->r.donor ? NULL : v->r.country, v->r.organisation,
					  programme_item, &p);
	buf_printf(b, "<h2>%s</h2>", _("Programmes to rate"));
	if (page_part_failed(req, b, rc)) {
		/* neither a part of the list nor "no programme" */
	} else if (p.n) {
		buf_printf(b, "<ul class=\"rateable\">%s</ul>", buf_cstr(&p.items));
	} else {
		buf_printf(b, "<p>%s</p>", v->r.donor ? _("This donor funds no programme recorded here.")
						      : _("No programme recorded here has this country among its beneficiaries."));
	}
	buf_release(&p.query);
	buf_release(&p.items);
	free(rated);
}

/* ---- staff: choosing the rater ----------------------------------------------------------------- */

static void choose_rater(struct ev *v)
{
	struct request *req = v->req;
	struct buf *b = &v->resp->body;
	buf_printf(b, "<p>%s</p><div class=\"choose-rater\">", _("Enter a sheet on behalf of a beneficiary state or of a donor."));
	buf_printf(b, "<form method=\"get\" action=\"/forum/%lld/evaluate\"><input type=\"hidden\" name=\"rater\" value=\"beneficiary\">"
		      "<p><label for=\"ch-country\">%s</label> <select id=\"ch-country\" name=\"country\">",
		   v->meeting, _("Beneficiary state"));
	page_options_all(req, b, ENT(COUNTRY), NULL);
	buf_printf(b, "</select> <button type=\"submit\">%s</button></p></form>", _("Open"));
	buf_printf(b, "<form method=\"get\" action=\"/forum/%lld/evaluate\"><input type=\"hidden\" name=\"rater\" value=\"donor\">"
		      "<p><label for=\"ch-org\">%s</label> <select id=\"ch-org\" name=\"organisation\">",
		   v->meeting, _("Donor"));
	page_options_all(req, b, ENT(ORGANISATION), NULL);
	buf_printf(b, "</select> <button type=\"submit\">%s</button></p></form></div>", _("Open"));
}

/* ---- the sheet ----------------------------------------------------------------------------------- */

static void error_text(struct request *req, struct buf *b, const struct ferrs *errs, const char *name, const char *id)
{
	for (size_t i = 0; i < errs->n; i++) {
		if (strcmp(errs->a[i].field, name) != 0)
			continue;
		struct buf m = BUF_INIT;
		ferrs_message(errs, i, req->lang, &m);
		buf_printf(b, "<p class=\"field-error\" id=\"%s\">", id);
		buf_html(b, buf_cstr(&m));
		buf_adds(b, "</p>");
		buf_release(&m);
		return;
	}
}

static enum app_err title_row(void *ctx, const struct row *row)
{
	struct ev *v = ctx;
	page_i18n_html(&v->resp->body, row, FLD(PROGRAMME, TITLE)->col, v->req->lang, 0);
	return APP_OK;
}

static void criterion(struct ev *v, int i, json_t *vals, const struct ferrs *errs)
{
	struct request *req = v->req;
	struct buf *b = &v->resp->body;
	const char *c = forum_criteria[i];
	json_t *j = vals ? json_object_get(vals, c) : NULL;
	long long given = json_is_integer(j) ? json_integer_value(j) : 0;
	bool bad = ferrs_find(errs, c) != NULL;
	buf_printf(b, "<fieldset class=\"criterion\" id=\"c-%s\"%s aria-describedby=\"h-%s%s%s\"><legend>%s</legend>"
		      "<p class=\"help\" id=\"h-%s\">%s</p>",
		   c, bad ? " aria-invalid=\"true\"" : "", c, bad ? " e-" : "", bad ? c : "", _(forum_criteria_label[i]), c,
		   _(forum_criteria_help[i]));
	char eid[64];
	snprintf(eid, sizeof eid, "e-%s", c);
	error_text(req, b, errs, c, eid);
	buf_adds(b, "<div class=\"scores\">");
	for (int s = 1; s <= 5; s++)
		buf_printf(b, "<span class=\"score\"><input type=\"radio\" name=\"%s\" id=\"%s-%d\" value=\"%d\"%s>"
			      "<label for=\"%s-%d\">%s</label></span>",
			   c, c, s, s, given == s ? " checked" : "", c, s, _(score_label[s - 1]));
	buf_adds(b, "</div>");
	char name[40];
	snprintf(name, sizeof name, "%s_comment", c);
	json_t *cm = vals ? json_object_get(vals, name) : NULL;
	buf_printf(b, "<p><label for=\"%s\">%s</label><textarea id=\"%s\" name=\"%s\" rows=\"2\" maxlength=\"4000\">", name,
		   _("Comment"), name, name);
	if (json_is_string(cm))
		buf_html(b, json_string_value(cm));
	buf_adds(b, "</textarea></p>");
	snprintf(eid, sizeof eid, "e-%s", name);
	error_text(req, b, errs, name, eid);
	buf_adds(b, "</fieldset>");
}

/* The form of one programme's sheet: vals are the values shown (the
 * stored sheet, or what was posted), errs the problems found. */
static void sheet_form(struct ev *v, json_t *vals, long long version, const struct ferrs *errs, const char *problem)
{
	struct request *req = v->req;
	struct buf *b = &v->resp->body;
	char key[24];
	snprintf(key, sizeof key, "%lld", v->programme);
	buf_adds(b, "<h2>");
	/* the programme was found (store_forum_may_rate): gone since
	 * (APP_NOT_FOUND), the heading goes without its title; unread, it
	 * has the programme's number and an alert, and the form stays, with
	 * what was typed */
	enum app_err rc = store_get(req->app->store, ENT(PROGRAMME), key, title_row, v);
	bool unread = rc && rc != APP_NOT_FOUND;
	if (unread)
		buf_printf(b, "#%lld", v->programme);
	buf_adds(b, "</h2>");
	if (unread)
		page_part_failed(req, b, rc);
	if (problem)
		buf_printf(b, "<p class=\"field-error\" role=\"alert\">%s</p>", problem);
	if (errs->n)
		buf_printf(b, "<p class=\"field-error\" role=\"alert\">%s</p>", _("The sheet was not saved: see the fields marked below."));
	static const char *const others[] = { "meeting", "programme", "rater", "country", "organisation" };
	for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
		char eid[32];
		snprintf(eid, sizeof eid, "e-%s", others[i]);
		error_text(req, b, errs, others[i], eid);
	}
	if (version >= 0)
		buf_printf(b, "<p class=\"notice\">%s</p>", _("You have already rated this programme: your ratings are shown; saving replaces them."));
	buf_printf(b, "<form method=\"post\" action=\"/forum/%lld/evaluate\" class=\"evaluation\">", v->meeting);
	page_csrf_field(req, b);
	rater_fields(v, b);
	buf_printf(b, "<input type=\"hidden\" name=\"programme\" value=\"%lld\">", v->programme);
	if (version >= 0)
		buf_printf(b, "<input type=\"hidden\" name=\"_version\" value=\"%lld\">", version);
	for (int i = 0; i < FORUM_CRITERIA; i++)
		criterion(v, i, vals, errs);
	buf_printf(b, "<p><button type=\"submit\">%s</button></p></form>", _("Save the ratings"));
}

/* ---- saving ------------------------------------------------------------------------------------------ */

/* The posted sheet as JSON (every criterion and comment; empty: null). */
static json_t *posted(const struct ev *v, const struct args *form)
{
	json_t *o = json_object();
	json_object_set_new(o, "meeting", json_integer(v->meeting));
	json_object_set_new(o, "programme", json_integer(v->programme));
	json_object_set_new(o, "rater", json_string(v->r.donor ? "donor" : "beneficiary"));
	if (v->r.donor)
		json_object_set_new(o, "organisation", json_integer(v->r.organisation));
	else
		json_object_set_new(o, "country", json_string(v->r.country));
	for (int i = 0; i < FORUM_CRITERIA; i++) {
		const char *s = args_get(form, forum_criteria[i]);
		long long n;
		json_t *j = !s || !*s ? json_null() : util_parse_ll(s, &n) ? json_integer(n) : json_string(s);
		json_object_set_new(o, forum_criteria[i], j ? j : json_string("?"));
		char name[40];
		snprintf(name, sizeof name, "%s_comment", forum_criteria[i]);
		const char *c = args_get(form, name);
		json_t *cj = c && *c ? json_string(c) : json_null();
		json_object_set_new(o, name, cj ? cj : json_string("\xef\xbf\xbd"));
	}
	return o;
}

static void save(struct ev *v, const struct args *form)
{
	struct request *req = v->req;
	struct response *resp = v->resp;
	struct sheet s;
	enum app_err rc = find_sheet(v, v->programme, &s);
	json_decref(s.vals);
	json_t *vals = posted(v, form);
	struct ferrs errs = { 0 };
	long long version = -1;
	const char *given = args_get(form, "_version");
	if (!rc && s.found) {
		if (!given || !util_parse_ll(given, &version))
			version = -1;
		char key[24];
		snprintf(key, sizeof key, "%lld", s.id);
		rc = dom_update(req->app, ENT(EVALUATION), key, vals, version, &req->who, &errs);
	} else if (!rc) {
		struct buf key = BUF_INIT;
		rc = dom_create(req->app, ENT(EVALUATION), vals, REC_CREATE, &req->who, &key, &errs);
		buf_release(&key);
	}
	if (!rc) {
		struct buf url = BUF_INIT;
		buf_printf(&url, "/forum/%lld/evaluate?saved=%lld", v->meeting, v->programme);
		if (staff(req) && v->r.donor)
			buf_printf(&url, "&rater=donor&organisation=%lld", v->r.organisation);
		else if (staff(req))
			buf_printf(&url, "&rater=beneficiary&country=%s", v->r.country);
		page_redirect(resp, buf_cstr(&url));
		buf_release(&url);
	} else if (rc == APP_FORBIDDEN) {
		event_problem(req, resp, 403, N_("Your role may not do this."));
	} else {
		const char *problem = rc == APP_PRECONDITION ? _("Someone else changed this sheet since you opened it. Reload it to see their change, then make yours again.")
				    : rc == APP_CONFLICT ? _("This rater has already rated this programme at this forum.")
				    : rc == APP_INVALID ? NULL
				    : page_db_problem(req, rc);
		resp->status = err_status(rc);
		buf_reset(&resp->body);
		page_begin(req, resp, _("Forum evaluation"));
		page_css(&resp->body, "forum.css");
		buf_printf(&resp->body, "<h1>%s</h1>", _("Forum evaluation"));
		sheet_form(v, vals, version, &errs, problem);
		page_end(req, resp);
	}
	ferrs_release(&errs);
	json_decref(vals);
}

/* ---- the page ------------------------------------------------------------------------------------------ */

static void evaluate(struct request *req, struct response *resp, long long meeting)
{
	bool post = strcmp(req->method, "POST") == 0;
	struct args form = { 0 };
	const struct args *a = &req->query;
	if (post) { /* a web form: the route table checked */
		args_parse_form(&form, req->body, req->body_len);
		a = &form;
	}
	struct ev v = { .req = req, .resp = resp, .meeting = meeting };
	int who = rater_of(req, a, &v.r);
	const char *prog = args_get(a, "programme");
	if (prog && *prog && (!util_parse_ll(prog, &v.programme) || v.programme <= 0))
		v.programme = -1;
	bool may = false;
	enum app_err rc = APP_OK;
	if (!who && v.programme > 0)
		rc = store_forum_may_rate(req->app->store, v.programme, v.r.donor ? NULL : v.r.country, v.r.organisation, &may);
	if (who == 403) {
		event_problem(req, resp, 403, N_("You may rate only as your own country or organisation."));
	} else if (rc) {
		event_problem(req, resp, 503, N_("The database is not available; try again shortly."));
	} else if (v.programme < 0 || (v.programme > 0 && !may)) {
		event_problem(req, resp, 403, N_("This rater may not rate this programme: it is not among its programmes."));
	} else if (post && (who || !v.programme)) {
		event_problem(req, resp, 422, N_("Say who rates and which programme."));
	} else if (post) {
		save(&v, &form);
	} else {
		struct buf *b = &resp->body;
		page_begin(req, resp, _("Forum evaluation"));
		page_css(b, "forum.css");
		buf_printf(b, "<p class=\"crumbs\"><a href=\"/meetings/%lld\">%s</a>"
			      " · <a href=\"/forum/%lld/report\">%s</a></p><h1>%s</h1>",
			   meeting, _("Forum"), meeting, _("Forum report"), _("Forum evaluation"));
		if (who) {
			choose_rater(&v);
		} else {
			buf_printf(b, "<p class=\"rater\">%s ", v.r.donor ? _("Rating as the donor") : _("Rating as the beneficiary state"));
			buf_adds(b, "<strong>");
			rater_name(&v);
			buf_printf(b, "</strong>.</p><p>%s</p>", _("Rate each programme on the six OECD-DAC criteria, from 1 (very poor) to 5 (excellent), with a comment if you wish."));
			long long saved;
			const char *sv = args_get(a, "saved");
			if (sv && util_parse_ll(sv, &saved))
				buf_printf(b, "<p class=\"notice\" role=\"status\">%s</p>", _("Your ratings were saved."));
			if (v.programme > 0) {
				struct sheet s;
				struct ferrs none = { 0 };
				/* unread, there is no form: it would offer a new sheet where one may exist */
				if (!page_part_failed(req, b, find_sheet(&v, v.programme, &s))) {
					struct buf q = BUF_INIT;
					rater_query(&v, &q);
					buf_printf(b, "<p><a href=\"/forum/%lld/evaluate%s%s\">%s</a></p>", meeting, q.len ? "?" : "",
						   buf_cstr(&q), _("All the programmes to rate"));
					buf_release(&q);
					sheet_form(&v, s.vals, s.found ? s.version : -1, &none, NULL);
				}
				json_decref(s.vals);
			} else {
				programme_list(&v);
			}
		}
		page_end(req, resp);
	}
	args_release(&form);
}

bool forum_of_path(struct request *req, struct response *resp, long long *id)
{
	char kind[24];
	enum app_err rc = req_param_id(req, "id", id) ? event_meeting_kind(req->app, *id, kind) : APP_NOT_FOUND;
	if (rc == APP_NOT_FOUND || (!rc && strcmp(kind, "forum") != 0))
		event_problem(req, resp, 404, N_("No such forum."));
	else if (rc)
		event_problem(req, resp, 503, N_("The database is not available; try again shortly."));
	return !rc && strcmp(kind, "forum") == 0;
}

/* GET|POST /forum/{id}/evaluate: the rating sheets. */
void forum_evaluate(struct request *req, struct response *resp)
{
	long long id;
	if (forum_of_path(req, resp, &id))
		evaluate(req, resp, id);
}
