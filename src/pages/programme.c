/* programme.c — see programme.h.  The SQL is in store_programme.c; the
 * record itself (and whether who may see it at all: a donor only the
 * programmes it funds) is web.c's generic detail page, which calls
 * programme_sections only once dom_get_json has let the reader in. */
#define _POSIX_C_SOURCE 200809L
#include "programme.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "domain.h"
#include "lock_http.h"
#include "map.h"
#include "money.h"
#include "page.h"
#include "results_http.h"
#include "store_programme.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

/* ---- the figures ------------------------------------------------------------------ */

struct sums_ctx {
	struct funding *f;
	row_fn also; /* called for every row too (the other-currency table), or NULL */
	void *also_ctx;
};

static enum app_err sums_row(void *ctx, const struct row *row)
{
	struct sums_ctx *s = ctx;
	struct funding *f = s->f;
	const char *kind = row_text(row, SPT_KIND), *cur = row_text(row, SPT_CURRENCY);
	long long sum = row_int(row, SPT_SUM);
	if (!kind || !cur || strcmp(cur, f->currency) != 0)
		f->other += row_int(row, SPT_COUNT);
	else if (strcmp(kind, "incoming_funds") == 0)
		f->incoming += sum;
	else if (strcmp(kind, "commitment") == 0)
		f->committed += sum;
	else if (strcmp(kind, "disbursement") == 0)
		f->disbursed += sum;
	else if (strcmp(kind, "expenditure") == 0)
		f->spent += sum;
	return s->also ? s->also(s->also_ctx, row) : APP_OK;
}

void programme_execution(struct funding *f)
{
	long long base = f->committed > 0 ? f->committed : f->has_budget ? f->budget : 0;
	f->rate_on_budget = f->committed <= 0;
	f->has_rate = base > 0;
	f->rate = f->has_rate ? ((double)f->disbursed + (double)f->spent) / (double)base : 0;
}

static enum app_err funding_load(struct app *app, long long programme, struct funding *out, row_fn also,
				 void *also_ctx)
{
	memset(out, 0, sizeof *out);
	struct store_programme p;
	enum app_err rc = store_programme_get(app->store, programme, &p);
	if (rc)
		return rc;
	snprintf(out->currency, sizeof out->currency, "%s", p.currency);
	out->has_budget = p.has_budget;
	out->budget = p.budget;
	struct sums_ctx s = { .f = out, .also = also, .also_ctx = also_ctx };
	rc = store_programme_transaction_sums(app->store, programme, sums_row, &s);
	if (!rc)
		programme_execution(out);
	return rc;
}

enum app_err programme_funding(struct app *app, long long programme, struct funding *out)
{
	return funding_load(app, programme, out, NULL, NULL);
}

/* ---- funding ------------------------------------------------------------------------ */

struct other_ctx {
	struct request *req;
	struct buf rows;
	const char *currency;
	int n;
};

static enum app_err other_row(void *ctx, const struct row *row)
{
	struct other_ctx *o = ctx;
	struct request *req = o->req;
	const char *cur = row_text(row, SPT_CURRENCY);
	if (cur && strcmp(cur, o->currency) == 0)
		return APP_OK;
	o->n++;
	buf_adds(&o->rows, "<tr><th scope=\"row\">");
	buf_html(&o->rows, page_enum_label(req->lang, row_text(row, SPT_KIND)));
	buf_adds(&o->rows, "</th><td class=\"num\">");
	money_html(&o->rows, req->lang, row_int(row, SPT_SUM), cur);
	buf_adds(&o->rows, "</td><td class=\"num\">");
	num_html(&o->rows, req->lang, row_int(row, SPT_COUNT));
	buf_adds(&o->rows, "</td></tr>");
	return APP_OK;
}

static char *money_text(enum lang lang, long long v, const char *cur)
{
	struct buf t = BUF_INIT;
	money_format(&t, lang, v, cur);
	return buf_detach(&t);
}

static void funding_section(struct request *req, struct buf *b, long long id)
{
	struct funding f;
	/* the other-currency rows come from the same walk as the sums; f's
	 * currency is read before it */
	struct other_ctx o = { .req = req, .rows = BUF_INIT, .currency = f.currency };
	enum app_err rc = funding_load(req->app, id, &f, other_row, &o);
	/* the record page has just read the programme: gone since
	 * (APP_NOT_FOUND), it has no funding section; unread, it says so */
	if (rc == APP_NOT_FOUND) {
		buf_release(&o.rows);
		return;
	}
	buf_printf(b, "<section class=\"funding\"><h2>%s</h2>", _("Funding"));
	if (page_part_failed(req, b, rc)) {
		buf_adds(b, "</section>");
		buf_release(&o.rows);
		return;
	}
	struct { const char *label; bool has; long long v; const char *colour; } items[] = {
		{ _("Budget"), f.has_budget, f.budget, "#4a5260" },
		{ _("Incoming funds"), true, f.incoming, "#6b4fa0" },
		{ _("Committed"), true, f.committed, "#0b4f8a" },
		{ _("Disbursed"), true, f.disbursed, "#1d6b35" },
		{ _("Spent"), true, f.spent, "#8a4b0b" },
	};
	enum { NITEMS = sizeof items / sizeof *items };
	struct chart_bar bars[NITEMS];
	char *texts[NITEMS];
	int n = 0;
	for (int i = 0; i < NITEMS; i++) {
		texts[i] = money_text(req->lang, items[i].v, f.currency);
		if (items[i].has)
			bars[n++] = (struct chart_bar){ .label = items[i].label, .value = items[i].v < 0 ? 0 : items[i].v,
							.colour = items[i].colour, .text = texts[i] };
	}
	char *desc = xasprintf(_("Budget, incoming funds, commitments, disbursements and expenditure in %s; "
				 "the same figures are in the table below."), f.currency);
	chart_bars(b, "funding-chart", _("Funding"), desc, bars, n, _("No funding recorded"));
	free(desc);
	buf_printf(b, "<table class=\"list\"><caption>%s (", _("Funding"));
	buf_html(b, f.currency);
	buf_printf(b, ")</caption><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		   _("Kind"), _("Amount"));
	for (int i = 0; i < NITEMS; i++) {
		buf_adds(b, "<tr><th scope=\"row\">");
		buf_html(b, items[i].label);
		buf_adds(b, "</th><td class=\"num\">");
		if (items[i].has)
			money_html(b, req->lang, items[i].v, f.currency);
		else
			buf_adds(b, "—");
		buf_adds(b, "</td></tr>");
		free(texts[i]);
	}
	buf_adds(b, "</tbody></table>");
	buf_printf(b, "<p class=\"execution\"><strong>%s</strong> ", _("Execution rate:"));
	if (f.has_rate)
		num_percent_html(b, req->lang, llround(f.rate * 100), 0);
	else
		buf_adds(b, "—");
	buf_printf(b, " <span class=\"help\">(%s)</span></p>",
		   f.rate_on_budget ? _("disbursed and spent, over the budget: nothing is committed yet")
				    : _("disbursed and spent, over the amounts committed"));
	if (o.n) {
		buf_printf(b, "<table class=\"list\"><caption>%s</caption><thead><tr><th scope=\"col\">%s</th>"
			      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
			   _("Transactions in other currencies"), _("Kind"), _("Amount"), _("Transactions"));
		buf_add(b, o.rows.data, o.rows.len);
		buf_printf(b, "</tbody></table><p class=\"help\">%s</p>",
			   _("Not converted, and not added to the totals above."));
	}
	buf_printf(b, "<p><a href=\"/transactions?programme=%lld\">%s</a></p></section>", id, _("Every transaction"));
	buf_release(&o.rows);
}

/* ---- in-kind support ------------------------------------------------------------------ */

static void dates(struct request *req, struct buf *b, const char *start, const char *end)
{
	if (start)
		page_date(b, req->lang, start);
	if (end && (!start || strcmp(start, end) != 0)) {
		buf_adds(b, " – ");
		page_date(b, req->lang, end);
	}
}

static enum app_err contribution_row(void *ctx, const struct row *row)
{
	struct page_rows *l = ctx;
	struct request *req = l->req;
	struct buf *b = page_rows_link(l, "contributions", row_int(row, SPC_ID));
	if (row_text(row, SPC_PROVIDER_ACRONYM))
		buf_html(b, row_text(row, SPC_PROVIDER_ACRONYM));
	else
		page_i18n_html(b, row, SPC_PROVIDER_NAME, req->lang, 80);
	buf_adds(b, "</a></th><td>");
	buf_html(b, page_enum_label(req->lang, row_text(row, SPC_KIND)));
	buf_adds(b, "</td><td>");
	page_i18n_html(b, row, SPC_DESCRIPTION, req->lang, 200);
	buf_adds(b, "</td><td>");
	dates(req, b, row_text(row, SPC_START), row_text(row, SPC_END));
	buf_adds(b, "</td><td class=\"num\">");
	if (!row_null(row, SPC_VALUE))
		money_html(b, req->lang, row_int(row, SPC_VALUE), row_text(row, SPC_CURRENCY));
	buf_adds(b, "</td></tr>");
	return APP_OK;
}

static void inkind_section(struct request *req, struct buf *b, long long id)
{
	buf_printf(b, "<section class=\"in-kind\"><h2>%s</h2><p class=\"help\">%s</p>", _("In-kind support"),
		   _("Not cash: premises, trainers, logistics or equipment given in kind, at an estimated value that "
		     "is not added to the funding above."));
	const struct page_table t = {
		.cls = "list", .caption = _("In-kind support"), .scroll = true,
		.cols = { _("Given by"), _("Kind"), _("Description"), _("Dates"), _("Estimated value (not cash)") },
	};
	struct page_rows l = { .req = req, .b = b, .table = &t };
	page_rows_finish(&l, store_programme_contributions(req->app->store, id, contribution_row, &l),
			 _("No in-kind support recorded."));
	buf_adds(b, "</section>");
}

/* ---- countries -------------------------------------------------------------------------- */

struct countries_ctx {
	struct request *req;
	struct map_value *v;
	char **owned; /* 3 a country: its code, name and link */
	size_t n;
	struct buf names;
};

static enum app_err country_row(void *ctx, const struct row *row)
{
	struct countries_ctx *c = ctx;
	struct request *req = c->req;
	const char *code = row_text(row, SPK_CODE);
	enum lang shown;
	const char *name = page_i18n(row, SPK_NAME, req->lang, &shown);
	if (!code)
		return APP_OK;
	c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
	c->owned = xrealloc(c->owned, 3 * (c->n + 1) * sizeof *c->owned);
	char **own = &c->owned[3 * c->n];
	own[0] = xstrdup(code);
	own[1] = xstrdup(name ? name : code);
	own[2] = xasprintf("/countries/%s", code);
	c->v[c->n++] = (struct map_value){ .iso2 = own[0], .cls = 0, .title = own[1], .href = own[2] };
	if (c->names.len)
		buf_adds(&c->names, ", ");
	buf_adds(&c->names, "<a href=\"");
	buf_html(&c->names, own[2]);
	buf_adds(&c->names, "\">");
	buf_html(&c->names, own[1]);
	buf_adds(&c->names, "</a>");
	return APP_OK;
}

static void countries_section(struct request *req, struct buf *b, long long id)
{
	struct countries_ctx c = { .req = req, .names = BUF_INIT };
	buf_printf(b, "<section class=\"countries\"><h2>%s</h2>", _("Beneficiary countries"));
	if (page_part_failed(req, b, store_programme_countries(req->app->store, id, country_row, &c))) {
		/* neither a part of the names and the map nor "none" */
	} else if (!c.n) {
		buf_printf(b, "<p>%s</p>", _("No beneficiary country recorded."));
	} else {
		buf_printf(b, "<p>");
		buf_add(b, c.names.data, c.names.len);
		buf_adds(b, "</p>");
		const char *label = _("Beneficiary country");
		struct map_legend lg = {
			.nclasses = 1, .labels = &label, .no_data = _("Other African State"),
			.caption = _("The programme's beneficiary countries"),
		};
		page_map_words(req, &lg);
		map_svg(b, c.v, c.n, &lg, "programme-map");
		page_map_notes(req, b);
	}
	buf_adds(b, "</section>");
	for (size_t i = 0; i < 3 * c.n; i++)
		free(c.owned[i]);
	free(c.owned);
	free(c.v);
	buf_release(&c.names);
}

/* ---- needs ---------------------------------------------------------------------------- */

static enum app_err need_row(void *ctx, const struct row *row)
{
	struct page_rows *l = ctx;
	struct request *req = l->req;
	struct buf *b = page_rows_named(l, "needs", row_int(row, SPN_ID), row, SPN_COUNTRY_NAME, 80);
	buf_adds(b, "<td>");
	page_i18n_html(b, row, SPN_THEME_NAME, req->lang, 80);
	buf_printf(b, "</td><td class=\"num\">%lld</td><td>", row_int(row, SPN_SEVERITY));
	buf_html(b, ent_value_label(req->lang, FLD(NEED, STATUS), row_text(row, SPN_STATUS)));
	buf_adds(b, "</td><td>");
	page_date(b, req->lang, row_text(row, SPN_ASSESSED));
	buf_adds(b, "</td></tr>");
	return APP_OK;
}

static void needs_section(struct request *req, struct buf *b, long long id)
{
	buf_printf(b, "<section class=\"programme-needs\"><h2>%s</h2>", _("Needs addressed"));
	if (!ent_can_read(ENT(NEED), req->who.role)) {
		buf_printf(b, "<p class=\"help\">%s</p></section>",
			   _("Needs assessments are shown to the programme office and to focal points only."));
		return;
	}
	const struct page_table t = {
		.cls = "list", .caption = _("Needs addressed"), .sr_caption = true, .scroll = true,
		.cols = { _("Country"), _("Theme"), _("Severity"), _("Status"), _("Assessed on") },
	};
	struct page_rows l = { .req = req, .b = b, .table = &t };
	/* a focal point sees its own country's assessments only */
	page_rows_finish(&l,
			 store_programme_needs(req->app->store, id, req->who.role == ROLE_FOCAL ? req->who.country : NULL,
					       need_row, &l),
			 _("No need recorded for this programme."));
	buf_adds(b, "</section>");
}

/* ---- sessions delivered ------------------------------------------------------------------ */

/* The newest sessions on the page, and how many there are: the others are
 * on the list of sessions, filtered by the programme (a programme of some
 * years holds dozens, which made its page too heavy for a slow link). */
#define SESSIONS_SHOWN 15

struct sessions_ctx {
	struct page_rows rows;
	long long total;
};

static enum app_err session_row(void *ctx, const struct row *row)
{
	struct sessions_ctx *s = ctx;
	if (++s->total > SESSIONS_SHOWN)
		return APP_OK;
	struct page_rows *l = &s->rows;
	struct request *req = l->req;
	struct buf *b = page_rows_named(l, "sessions", row_int(row, SPS_ID), row, SPS_COURSE_TITLE, 120);
	buf_adds(b, "<td>");
	dates(req, b, row_text(row, SPS_START), row_text(row, SPS_END));
	buf_adds(b, "</td><td>");
	if (row_text(row, SPS_VENUE))
		buf_html(b, row_text(row, SPS_VENUE));
	buf_adds(b, "</td><td>");
	if (row_text(row, SPS_STATUS))
		buf_html(b, ent_value_label(req->lang, FLD(SESSION, STATUS), row_text(row, SPS_STATUS)));
	buf_adds(b, "</td>");
	/* figures about people: by statistical disclosure control for
	 * readers who are not staff (sdc.h) */
	struct sdc_counts n;
	store_training_row_counts(row, SPS_COUNTS, &n);
	struct sdc_view v;
	sdc_view(&n, role_staff(req->who.role), &v);
	if (v.hidden)
		buf_printf(b, "<td class=\"num\" colspan=\"2\">%s</td></tr>", _("fewer than 5: not shown"));
	else {
		buf_adds(b, "<td class=\"num\">");
		num_html(b, req->lang, v.enrolments);
		buf_adds(b, "</td><td class=\"num\">");
		num_html(b, req->lang, v.completed);
		buf_adds(b, "</td></tr>");
	}
	return APP_OK;
}

static void sessions_section(struct request *req, struct buf *b, long long id)
{
	struct store_training_counts t;
	buf_printf(b, "<section class=\"programme-sessions\"><h2>%s</h2>", _("Sessions delivered"));
	if (page_part_failed(req, b, store_programme_training(req->app->store, id, &t))) {
		buf_adds(b, "</section>"); /* the sessions would be read from the same database */
		return;
	}
	struct sdc_view v;
	sdc_view(&t.n, role_staff(req->who.role), &v);
	buf_printf(b, "<p class=\"counts-line\">%s <strong class=\"people-trained\">", _("People trained (participants with a completed enrolment, each counted once):"));
	if (v.hidden)
		buf_adds(b, _("fewer than 5: not shown"));
	else
		num_html(b, req->lang, v.people);
	buf_adds(b, "</strong></p>");
	const struct page_table table = {
		.cls = "list", .caption = _("Sessions delivered"), .sr_caption = true, .scroll = true,
		.cols = { _("Course"), _("Dates"), _("Venue"), _("Status"), _("Enrolled"), _("Completed") },
	};
	struct sessions_ctx s = { .rows = { .req = req, .b = b, .table = &table } };
	enum app_err rc = store_programme_sessions(req->app->store, id, session_row, &s);
	page_rows_finish(&s.rows, rc, _("No session delivered under this programme yet."));
	if (!rc && s.total > SESSIONS_SHOWN) {
		char n[NUM_TEXT_MAX];
		buf_printf(b, "<p><a href=\"/sessions?programme=%lld\">", id);
		buf_printf(b, _("All %s sessions of this programme"), num_text(n, req->lang, s.total, 0));
		buf_adds(b, "</a></p>");
	}
	buf_adds(b, "</section>");
}

void programme_sections(struct request *req, struct buf *b, const char *key)
{
	long long id;
	if (!util_parse_ll(key, &id))
		return;
	funding_section(req, b, id);
	inkind_section(req, b, id);
	countries_section(req, b, id);
	needs_section(req, b, id);
	sessions_section(req, b, id);
	results_programme_section(req, b, id);
	lock_section(req, b, LOCK_PROGRAMME, id); /* its documents: web.c's docs_section, with the upload form */
}

/* ---- the overview --------------------------------------------------------------------------- */

static enum app_err overview_row(void *ctx, const struct row *row)
{
	struct page_rows *l = ctx;
	struct request *req = l->req;
	struct buf *b = l->b;
	l->n++;
	struct funding f = { .has_budget = !row_null(row, SPO_BUDGET), .budget = row_int(row, SPO_BUDGET),
			     .incoming = row_int(row, SPO_INCOMING), .committed = row_int(row, SPO_COMMITTED),
			     .disbursed = row_int(row, SPO_DISBURSED), .spent = row_int(row, SPO_SPENT) };
	programme_execution(&f);
	const char *cur = row_text(row, SPO_CURRENCY);
	buf_printf(b, "<tr><th scope=\"row\"><a href=\"/programmes/%lld\">", row_int(row, SPO_ID));
	page_i18n_html(b, row, SPO_TITLE, req->lang, 120);
	buf_adds(b, "</a>");
	if (row_int(row, SPO_SAMPLE))
		buf_printf(b, " <span class=\"help\">(%s)</span>", _("sample"));
	buf_adds(b, "</th><td>");
	if (row_text(row, SPO_STATUS))
		buf_html(b, ent_value_label(req->lang, FLD(PROGRAMME, STATUS), row_text(row, SPO_STATUS)));
	const long long v[] = { f.budget, f.committed, f.disbursed, f.spent };
	for (int i = 0; i < 4; i++) {
		buf_adds(b, "</td><td class=\"num\">");
		if (i || f.has_budget)
			money_html(b, req->lang, v[i], cur);
	}
	buf_adds(b, "</td><td class=\"num\">");
	if (f.has_rate)
		num_percent_html(b, req->lang, llround(f.rate * 100), 0);
	buf_adds(b, "</td><td>");
	/* the codes apart, so that a long list wraps rather than squeezing the titles */
	const char *codes = row_text(row, SPO_COUNTRIES);
	for (const char *p = codes; p && *p;) {
		size_t n = strcspn(p, ",");
		buf_printf(b, "%s<span class=\"code\">%.*s</span>", p == codes ? "" : ", ", (int)n, p);
		p += n + (p[n] == ',');
	}
	buf_adds(b, "</td></tr>");
	return APP_OK;
}

static void overview(struct request *req, struct response *resp)
{
	struct buf *b = &resp->body;
	struct buf rows = BUF_INIT;
	struct page_rows l = { .req = req, .b = &rows };
	/* a donor sees only the programmes it funds (as the registry's lists) */
	long long funder = req->who.role == ROLE_DONOR ? (req->who.organisation > 0 ? req->who.organisation : -1) : 0;
	enum app_err rc = funder < 0 ? APP_OK : store_programme_overview(req->app->store, funder, overview_row, &l);
	if (rc) {
		resp->status = 503;
		page_begin(req, resp, _("The database is not available; try again shortly."));
		buf_printf(b, "<h1>%s</h1>", _("The database is not available; try again shortly."));
		page_end(req, resp);
		buf_release(&rows);
		return;
	}
	page_begin(req, resp, _("Programmes: overview"));
	buf_printf(b, "<p class=\"crumbs\"><a href=\"/programmes\">%s</a></p><h1>%s</h1><p class=\"help\">%s</p>",
		   _("Programmes"), _("Programmes: overview"),
		   _("Sums of each programme's transactions in its own currency; transactions in other currencies "
		     "are shown on the programme's page. Execution rate: disbursed and spent over committed "
		     "(over the budget when nothing is committed)."));
	if (!l.n) {
		buf_printf(b, "<p>%s</p>", _("No programme."));
	} else {
		const struct page_table t = {
			.cls = "list", .caption = _("Programmes: overview"), .sr_caption = true, .scroll = true,
			.landscape = true, /* eight columns, four of them sums of money */
			.cols = { _("Programme"), _("Status"), _("Budget"), _("Committed"), _("Disbursed"), _("Spent"),
				  _("Execution rate"), _("Beneficiary countries") },
		};
		page_table_begin(b, &t);
		buf_add(b, rows.data, rows.len);
		page_table_end(b, &t);
	}
	page_end(req, resp);
	buf_release(&rows);
}

void programme_overview(struct request *req, struct response *resp)
{
	if (!ent_can_read(ENT(PROGRAMME), req->who.role))
		page_error(req, resp, 403, "Your role may not see this page.");
	else
		overview(req, resp);
}
