/* needs.c — see needs.h.
 *
 * Every page starts from the same two lists (the African states and the
 * themes, named in the reader's language) and from store_needs.c's rows;
 * a focal point's pages hold its own country only (the entity's scope). */
#define _POSIX_C_SOURCE 200809L
#include "needs.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "map.h"
#include "money.h"
#include "page.h"
#include "tabfile.h"
#include "store_needs.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

/* ---- the countries and themes, named for the reader ---------------------- */

struct named {
	char *code, *name, *region;
};

struct names {
	struct named *a;
	size_t n;
	enum lang lang;
};

struct names_ctx {
	struct names *ns;
	const struct entity *e;
	const struct field *name, *region; /* fields of e; region may be NULL */
};

static enum app_err named_row(void *ctx, const struct row *row)
{
	struct names_ctx *c = ctx;
	const struct entity *e = c->e;
	struct names *ns = c->ns;
	ns->a = xrealloc(ns->a, (ns->n + 1) * sizeof *ns->a);
	struct named *x = &ns->a[ns->n++];
	enum lang shown;
	const char *name = page_i18n(row, c->name->col, ns->lang, &shown);
	const struct field *region = c->region;
	x->code = xstrdup(row_text(row, ent_keyfield(e)->col));
	x->name = xstrdup(name ? name : x->code);
	x->region = region && row_text(row, region->col) ? xstrdup(row_text(row, region->col)) : NULL;
	return APP_OK;
}

/* The African UN Member States (or one of them), or the themes, sorted by
 * their name in the reader's language. */
static enum app_err names_load(struct request *req, enum ent_id which, const char *only, struct names *out)
{
	bool countries = which == ENT_COUNTRY; /* else the themes */
	const struct entity *e = ent_get(which);
	const struct field *name = countries ? FLD(COUNTRY, NAME) : FLD(THEME, NAME);
	struct query q = { .e = e, .limit = 1000, .lang = req->lang, .sort = name };
	if (countries) {
		q.filters[q.nfilters].f = FLD(COUNTRY, UN_AFRICAN_MEMBER);
		q.filters[q.nfilters++].value = (struct dbparam){ .type = DBP_INT, .i = 1 };
	}
	if (only) {
		q.filters[q.nfilters].f = ent_keyfield(e);
		q.filters[q.nfilters++].value = (struct dbparam){ .type = DBP_TEXT, .s = only };
	}
	*out = (struct names){ .lang = req->lang };
	struct names_ctx c = { .ns = out, .e = e, .name = name, .region = countries ? FLD(COUNTRY, M49_REGION) : NULL };
	return store_list(req->app->store, &q, NULL, named_row, &c);
}

static void names_release(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++) {
		free(ns->a[i].code);
		free(ns->a[i].name);
		free(ns->a[i].region);
	}
	free(ns->a);
	ns->a = NULL;
	ns->n = 0;
}

static int names_index(const struct names *ns, const char *code)
{
	for (size_t i = 0; i < ns->n; i++)
		if (code && strcmp(ns->a[i].code, code) == 0)
			return (int)i;
	return -1;
}

static const char *names_name(const struct names *ns, const char *code)
{
	int i = names_index(ns, code);
	return i >= 0 ? ns->a[i].name : code;
}

/* ---- what the reader may see ---------------------------------------------- */

/* May the reader see needs at all?  Answers 403 when not. */
static bool may_read(struct request *req, struct response *resp)
{
	if (ent_can_read(ENT(NEED), req->who.role))
		return true;
	buf_reset(&resp->body);
	resp->status = 403;
	page_begin(req, resp, _("Not allowed"));
	buf_printf(&resp->body, "<h1>%s</h1><p>%s</p>", _("Not allowed"),
		   _("Your role may not see needs assessments; the public dashboard shows what is published."));
	page_end(req, resp);
	return false;
}

/* A focal point sees its own country only. */
static const char *scope_country(const struct request *req)
{
	return req->who.role == ROLE_FOCAL ? req->who.country : NULL;
}

/* ---- cells ------------------------------------------------------------------- */

struct cell {
	long long id;
	int severity; /* 0: no assessment */
	char status[16];
	char assessed_on[11];
	bool sample;
	long long addressed;
};

static void cell_from_row(struct cell *c, const struct row *row)
{
	c->id = row_int(row, NC_ID);
	c->severity = (int)row_int(row, NC_SEVERITY);
	snprintf(c->status, sizeof c->status, "%s", row_text(row, NC_STATUS) ? row_text(row, NC_STATUS) : "open");
	snprintf(c->assessed_on, sizeof c->assessed_on, "%s", row_text(row, NC_ASSESSED_ON));
	c->sample = row_int(row, NC_SAMPLE) != 0;
	c->addressed = row_int(row, NC_ADDRESSED);
}

/* The latest picture: one cell per country × theme of the two lists. */
struct matrix {
	struct names countries, themes;
	struct cell *cells; /* countries.n × themes.n */
	bool any_sample;
	size_t assessed;
};

static enum app_err matrix_row(void *ctx, const struct row *row)
{
	struct matrix *m = ctx;
	int i = names_index(&m->countries, row_text(row, NC_COUNTRY));
	int j = names_index(&m->themes, row_text(row, NC_THEME));
	if (i < 0 || j < 0) /* a country outside the African states */
		return APP_OK;
	struct cell *c = &m->cells[(size_t)i * m->themes.n + (size_t)j];
	cell_from_row(c, row);
	m->any_sample |= c->sample;
	m->assessed++;
	return APP_OK;
}

/* The latest cells of f's countries and themes; m is to be released
 * whatever the answer.  A failure leaves no picture to show: an empty or
 * partial one would read as "not assessed". */
static enum app_err matrix_load(struct request *req, struct matrix *m, const struct needs_filter *f)
{
	memset(m, 0, sizeof *m);
	enum app_err rc = names_load(req, ENT_COUNTRY, f->country, &m->countries);
	if (!rc)
		rc = names_load(req, ENT_THEME, f->theme, &m->themes);
	m->cells = xcalloc(m->countries.n * m->themes.n + 1, sizeof *m->cells);
	if (!rc)
		rc = store_needs_latest(req->app->store, f, matrix_row, m);
	return rc;
}

static void matrix_release(struct matrix *m)
{
	names_release(&m->countries);
	names_release(&m->themes);
	free(m->cells);
}

/* matrix_load for a page that the matrix is: false when it could not be
 * read, the page's error answered and m released. */
static bool matrix_page_load(struct request *req, struct response *resp, struct matrix *m, const struct needs_filter *f)
{
	enum app_err rc = matrix_load(req, m, f);
	if (!rc)
		return true;
	matrix_release(m);
	page_error_rc(req, resp, rc);
	return false;
}

/* ---- small pieces of HTML ------------------------------------------------------ */

static void sample_notice(struct request *req, struct buf *b, bool any_sample)
{
	if (any_sample)
		buf_printf(b, "<p class=\"notice\" role=\"note\">%s</p>",
			   _("These assessments include sample values generated for the demonstration: they are not real assessments of any country."));
}

/* A severity as a coloured cell: the number, and the status in words when
 * the need is being addressed or met (colour is never the only sign). */
static void severity_cell(struct request *req, struct buf *b, const struct cell *c)
{
	if (!c->severity) {
		buf_printf(b, "<td class=\"sev-none\"><span class=\"sr-only\">%s</span></td>", _("not assessed"));
		return;
	}
	buf_printf(b, "<td class=\"sev sev-%d\"><a href=\"/needs/%lld\">%d", c->severity, c->id, c->severity);
	if (strcmp(c->status, "met") == 0)
		buf_printf(b, " <abbr title=\"%s\">✓</abbr>", page_enum_label(req->lang, "met"));
	else if (strcmp(c->status, "being_addressed") == 0)
		buf_printf(b, " <abbr title=\"%s\">…</abbr>", page_enum_label(req->lang, "being_addressed"));
	buf_adds(b, "</a></td>");
}

static void severity_legend(struct request *req, struct buf *b)
{
	buf_printf(b, "<p class=\"legend\"><span>%s</span>", _("Severity:"));
	for (int s = 1; s <= 5; s++)
		buf_printf(b, " <span class=\"sev sev-%d\">%d</span>", s, s);
	buf_printf(b, " <span>%s</span> · ✓ %s · … %s</p>", _("(1 minor … 5 critical)"),
		   page_enum_label(req->lang, "met"), page_enum_label(req->lang, "being_addressed"));
}

/* The as-of date from ?as_of=, when it is a real date. */
static const char *as_of_arg(struct request *req)
{
	const char *s = args_get(&req->query, "as_of");
	return s && util_valid_date(s) ? s : NULL;
}

static void as_of_form(struct request *req, struct buf *b, const char *action, const char *as_of)
{
	buf_printf(b, "<form method=\"get\" action=\"%s\" class=\"filters\"><p><label for=\"as_of\">%s</label> "
		      "<input id=\"as_of\" name=\"as_of\" size=\"10\" placeholder=\"YYYY-MM-DD\" value=\"",
		   action, _("The picture on (YYYY-MM-DD)"));
	buf_html(b, as_of ? as_of : "");
	buf_printf(b, "\"> <button type=\"submit\">%s</button></p></form>", _("Show"));
}

static void needs_nav(struct request *req, struct buf *b)
{
	buf_printf(b, "<nav class=\"subnav\" aria-label=\"%s\"><a href=\"/needs/matrix\">%s</a> · "
		      "<a href=\"/needs/map\">%s</a> · <a href=\"/needs/gaps\">%s</a> · <a href=\"/needs\">%s</a>",
		   _("Needs assessment"), _("Latest picture"), _("Map of Africa"), _("Gap analysis"), _("All assessments"));
	if (ent_can_write(ENT(NEED), req->who.role))
		buf_printf(b, " · <a href=\"/needs/new\">%s</a>", _("New assessment"));
	buf_adds(b, "</nav>");
}

/* ---- the map ------------------------------------------------------------------------- */

/* What the map shows: by default, each country's number of open serious
 * needs (the latest assessment of a theme at severity NEED_GAP_SEVERITY or
 * more, not met), in four classes; or, chosen with ?measure=THEME, that
 * theme's latest severity.  A country with no assessment is "no data". */
struct measure {
	int theme; /* index into the matrix's themes, or -1: open serious needs */
};

#define SERIOUS_CLASSES 4

static struct measure measure_arg(struct request *req, const struct matrix *m)
{
	int j = names_index(&m->themes, args_get(&req->query, "measure"));
	return (struct measure){ .theme = j };
}

/* Country i's value under the measure; -1 when nothing is assessed. */
static int country_value(const struct matrix *m, size_t i, struct measure ms)
{
	int value = -1;
	for (size_t j = 0; j < m->themes.n; j++) {
		const struct cell *c = &m->cells[i * m->themes.n + j];
		if (!c->severity)
			continue;
		if (ms.theme >= 0) {
			if ((size_t)ms.theme == j)
				return c->severity;
			continue;
		}
		value = (value < 0 ? 0 : value) + (c->severity >= NEED_GAP_SEVERITY && strcmp(c->status, "met") != 0);
	}
	return value;
}

/* The class of a value: severities 1–5 are classes 0–4; counts 0, 1, 2–3 and
 * 4 or more are 0–3 (few states have more than three: finer classes would be
 * nearly empty). */
static int value_class(int value, struct measure ms)
{
	if (value < 0)
		return -1;
	if (ms.theme >= 0)
		return value - 1;
	return value <= 1 ? value : value <= 3 ? 2 : 3;
}

/* The measure's name: the map's caption, the table's column. */
static char *measure_name(struct request *req, const struct matrix *m, struct measure ms)
{
	if (ms.theme < 0)
		return xstrdup(_("Open serious needs (severity 4 or 5, not met)"));
	return xasprintf(_("Latest severity (1 minor … 5 critical): %s"), m->themes.a[ms.theme].name);
}

/* The map's legend labels, numbers isolated (LRI … PDI) so that an Arabic
 * legend does not turn "2–3" into "3–2". */
static const char *const *measure_labels(struct request *req, struct measure ms, const char *four[SERIOUS_CLASSES])
{
	static const char *const severities[] = { "1", "2", "3", "4", "5" };
	if (ms.theme >= 0)
		return severities;
	four[0] = "0";
	four[1] = "1";
	four[2] = "\u2066" "2–3" "\u2069";
	four[3] = _("4 or more");
	return four;
}

static char *value_title(struct request *req, const char *name, int value, struct measure ms)
{
	if (value < 0)
		return xasprintf(_("%s — no assessment"), name);
	return ms.theme < 0 ? xasprintf(_("%s — open serious needs: %d"), name, value)
			    : xasprintf(_("%s — severity: %d"), name, value);
}

/* The notes the UN prints under its maps of Africa: the disclaimer; what the
 * dashed line is; and, since Sudan and South Sudan are drawn with a boundary
 * between them, that it and the Abyei area's status are not yet determined. */
/* The same values as a table, for screen readers and for those who cannot
 * tell the colours apart: in its own scrolling box beside the map. */
static void values_table(struct request *req, struct buf *b, const struct matrix *m, const int *values,
			 const char *name)
{
	buf_adds(b, "<div class=\"map-table\" role=\"region\" tabindex=\"0\" aria-labelledby=\"needs-map-tc\">"
		    "<table class=\"list\"><caption id=\"needs-map-tc\">");
	buf_html(b, name);
	buf_printf(b, "</caption><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		   _("Country"), _("Value"));
	for (size_t i = 0; i < m->countries.n; i++) {
		const struct named *k = &m->countries.a[i];
		buf_printf(b, "<tr><th scope=\"row\"><a href=\"/needs/country/%s\">", k->code);
		buf_html(b, k->name);
		buf_printf(b, "</a></th><td class=\"map-value\" data-code=\"%s\">", k->code);
		if (values[i] < 0)
			buf_html(b, _("no assessment"));
		else
			buf_printf(b, "<bdi>%d</bdi>", values[i]);
		buf_adds(b, "</td></tr>");
	}
	buf_adds(b, "</tbody></table></div>");
}

/* The map of the measure, each country linked to its page, beside the table
 * of its values (unless the page lists them itself: table false), then the
 * UN's notes. */
static void needs_map(struct request *req, struct buf *b, const struct matrix *m, struct measure ms, bool table)
{
	size_t n = m->countries.n;
	struct map_value *v = xcalloc(n + 1, sizeof *v);
	int *values = xcalloc(n + 1, sizeof *values);
	char **owned = xcalloc(2 * n + 1, sizeof *owned);
	for (size_t i = 0; i < n; i++) {
		const struct named *k = &m->countries.a[i];
		values[i] = country_value(m, i, ms);
		owned[2 * i] = value_title(req, k->name, values[i], ms);
		owned[2 * i + 1] = xasprintf("/needs/country/%s", k->code);
		v[i] = (struct map_value){ .iso2 = k->code, .cls = value_class(values[i], ms),
					   .title = owned[2 * i], .href = owned[2 * i + 1] };
	}
	const char *four[SERIOUS_CLASSES];
	char *name = measure_name(req, m, ms);
	struct map_legend lg = {
		.nclasses = ms.theme >= 0 ? 5 : SERIOUS_CLASSES, .labels = measure_labels(req, ms, four),
		.no_data = _("No assessment"), .caption = name,
	};
	page_map_words(req, &lg);
	if (table)
		buf_adds(b, "<div class=\"map-figure\">");
	map_svg(b, v, n, &lg, "needs-map");
	if (table) {
		values_table(req, b, m, values, name);
		buf_adds(b, "</div>");
	}
	page_map_notes(req, b);
	free(name);
	for (size_t i = 0; i < 2 * n; i++)
		free(owned[i]);
	free(owned);
	free(values);
	free(v);
}

/* The as-of date and the map's measure: a GET form, no script needed. */
static void measure_form(struct request *req, struct buf *b, const struct matrix *m, const char *as_of,
			 struct measure ms)
{
	buf_printf(b, "<form method=\"get\" action=\"/needs/map\" class=\"filters map-form\"><p><label for=\"as_of\">%s</label> "
		      "<input id=\"as_of\" name=\"as_of\" size=\"10\" placeholder=\"YYYY-MM-DD\" value=\"",
		   _("The picture on (YYYY-MM-DD)"));
	buf_html(b, as_of ? as_of : "");
	buf_printf(b, "\"> <label for=\"measure\">%s</label> <select id=\"measure\" name=\"measure\" class=\"map-measure\">"
		      "<option value=\"serious\">%s</option><optgroup label=\"%s\">",
		   _("Map of"), _("Open serious needs (severity 4 or 5, not met)"), _("Latest severity of one theme"));
	for (size_t j = 0; j < m->themes.n; j++) {
		buf_printf(b, "<option value=\"%s\"%s>", m->themes.a[j].code, ms.theme == (int)j ? " selected" : "");
		buf_html(b, m->themes.a[j].name);
		buf_adds(b, "</option>");
	}
	buf_printf(b, "</optgroup></select> <button type=\"submit\">%s</button></p></form>", _("Show"));
}

/* ---- the matrix ------------------------------------------------------------------- */

static void matrix_table(struct request *req, struct buf *b, const struct matrix *m)
{
	buf_printf(b, "<div class=\"scroll\"><table class=\"matrix\"><caption>%s</caption><thead><tr><th scope=\"col\">%s</th>",
		   _("Latest severity of each need, by country and theme"), _("Country"));
	for (size_t j = 0; j < m->themes.n; j++) {
		/* set upright by the stylesheet, cut short when long: the whole
		 * name on hover (title) and for screen readers (the text) */
		buf_printf(b, "<th scope=\"col\" class=\"theme\"><a href=\"/needs/theme/%s\" title=\"", m->themes.a[j].code);
		buf_html(b, m->themes.a[j].name);
		buf_adds(b, "\">");
		buf_html(b, m->themes.a[j].name);
		buf_adds(b, "</a></th>");
	}
	buf_adds(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < m->countries.n; i++) {
		buf_printf(b, "<tr><th scope=\"row\"><a href=\"/needs/country/%s\">", m->countries.a[i].code);
		buf_html(b, m->countries.a[i].name);
		buf_adds(b, "</a></th>");
		for (size_t j = 0; j < m->themes.n; j++)
			severity_cell(req, b, &m->cells[i * m->themes.n + j]);
		buf_adds(b, "</tr>");
	}
	buf_adds(b, "</tbody></table></div>");
}

/* The start of a page of the latest picture (the matrix, the map): the
 * reader's right, the cells as of ?as_of= (*as_of), the heading and the
 * needs' menu.  False when the page is answered already (403, an error);
 * else m is the caller's to release. */
static bool latest_page_begin(struct request *req, struct response *resp, struct matrix *m, const char *title,
			      const char **as_of)
{
	if (!may_read(req, resp))
		return false;
	*as_of = as_of_arg(req);
	struct needs_filter f = { .as_of = *as_of, .country = scope_country(req) };
	if (!matrix_page_load(req, resp, m, &f))
		return false;
	page_begin(req, resp, title);
	buf_printf(&resp->body, "<h1>%s</h1>", title);
	needs_nav(req, &resp->body);
	return true;
}

void needs_matrix_page(struct request *req, struct response *resp)
{
	struct matrix m;
	const char *as_of;
	if (!latest_page_begin(req, resp, &m, _("Needs assessment: the latest picture"), &as_of))
		return;
	struct buf *b = &resp->body;
	as_of_form(req, b, "/needs/matrix", as_of);
	buf_printf(b, "<p><a href=\"/needs/matrix.csv%s%s\" download>%s</a> <a href=\"/needs/matrix.xlsx%s%s\" download>%s</a></p>",
		   as_of ? "?as_of=" : "", as_of ? as_of : "", _("Export as CSV"), as_of ? "?as_of=" : "", as_of ? as_of : "",
		   _("Export to Excel (XLSX)"));
	sample_notice(req, b, m.any_sample);
	buf_printf(b, "<p>");
	char n[2][NUM_TEXT_MAX];
	buf_printf(b, _("%s of %s cells assessed."), num_text(n[0], req->lang, (long long)m.assessed, 0),
		   num_text(n[1], req->lang, (long long)(m.countries.n * m.themes.n), 0));
	buf_adds(b, "</p>");
	severity_legend(req, b);
	matrix_table(req, b, &m);
	page_end(req, resp);
	matrix_release(&m);
}

/* The matrix as a table: a row per country, a column per theme, the latest
 * severity in each assessed cell. */
static enum app_err matrix_fill(struct request *req, struct tab *t, void *ctx)
{
	const char *as_of = ctx;
	struct needs_filter f = { .as_of = as_of, .country = scope_country(req) };
	struct matrix m;
	enum app_err rc = matrix_load(req, &m, &f);
	if (!rc) {
		tab_column(t, "country", TAB_TEXT);
		tab_column(t, "country_name", TAB_TEXT);
		for (size_t j = 0; j < m.themes.n; j++)
			tab_column(t, m.themes.a[j].code, TAB_NUMBER);
		tab_row_end(t);
		for (size_t i = 0; i < m.countries.n; i++) {
			tab_cell(t, m.countries.a[i].code);
			tab_cell(t, m.countries.a[i].name);
			for (size_t j = 0; j < m.themes.n; j++) {
				const struct cell *c = &m.cells[i * m.themes.n + j];
				if (c->severity)
					tab_int(t, c->severity);
				else
					tab_cell(t, NULL);
			}
			tab_row_end(t);
		}
	}
	matrix_release(&m);
	return rc;
}

void needs_matrix_file(struct request *req, struct response *resp)
{
	if (may_read(req, resp))
		tabfile_answer(req, resp, "needs-matrix", N_("Latest picture"), true, matrix_fill,
			       (void *)as_of_arg(req));
}

/* ---- the map of Africa ------------------------------------------------------------- */

void needs_map_page(struct request *req, struct response *resp)
{
	struct matrix m;
	const char *as_of;
	if (!latest_page_begin(req, resp, &m, _("Needs assessment: the map of Africa"), &as_of))
		return;
	struct buf *b = &resp->body;
	struct measure ms = measure_arg(req, &m);
	measure_form(req, b, &m, as_of, ms);
	sample_notice(req, b, m.any_sample);
	needs_map(req, b, &m, ms, true);
	page_end(req, resp);
	matrix_release(&m);
}

/* ---- a country's history ----------------------------------------------------------- */

struct history {
	struct cell *a;
	char (*theme)[64];
	size_t n;
};

static enum app_err history_row(void *ctx, const struct row *row)
{
	struct history *h = ctx;
	h->a = xrealloc(h->a, (h->n + 1) * sizeof *h->a);
	h->theme = xrealloc(h->theme, (h->n + 1) * sizeof *h->theme);
	cell_from_row(&h->a[h->n], row);
	snprintf(h->theme[h->n], sizeof h->theme[h->n], "%s", row_text(row, NC_THEME));
	h->n++;
	return APP_OK;
}

/* One theme's assessments, oldest first: "2024-03-15: 3 → 2025-03-14: 4". */
static void history_cells(struct request *req, struct buf *b, const struct history *h, size_t from, size_t to)
{
	buf_adds(b, "<td><ol class=\"timeline\">");
	for (size_t k = from; k < to; k++) {
		const struct cell *c = &h->a[k];
		buf_printf(b, "<li><a href=\"/needs/%lld\">", c->id);
		page_date(b, req->lang, c->assessed_on);
		buf_printf(b, "</a> <span class=\"sev sev-%d\">%d</span> <span class=\"meta\">%s</span></li>", c->severity,
			   c->severity, ent_value_label(req->lang, FLD(NEED, STATUS), c->status));
	}
	buf_adds(b, "</ol></td>");
}

void needs_country_page(struct request *req, struct response *resp)
{
	const char *code = req_param(req, "code");
	if (!may_read(req, resp))
		return;
	struct names countries, themes = { 0 };
	struct history h = { 0 };
	/* the country's name (the heading), the themes' and the history: the
	 * whole page, read before it is written */
	enum app_err rc = names_load(req, ENT_COUNTRY, code, &countries);
	const char *scope = scope_country(req);
	bool found = !rc && countries.n == 1 && (!scope || strcmp(scope, code) == 0);
	if (found) {
		rc = names_load(req, ENT_THEME, NULL, &themes);
		if (!rc)
			rc = store_needs_history(req->app->store, code, history_row, &h);
	}
	if (rc) {
		free(h.a);
		free(h.theme);
		names_release(&countries);
		names_release(&themes);
		page_error_rc(req, resp, rc);
		return;
	}
	if (!found) {
		names_release(&countries);
		resp->status = 404;
		page_begin(req, resp, _("No such page."));
		buf_printf(&resp->body, "<h1>%s</h1>", _("No such page."));
		page_end(req, resp);
		return;
	}
	struct buf *b = &resp->body;
	char *title = xasprintf(_("Needs of %s"), countries.a[0].name);
	page_begin(req, resp, title);
	buf_adds(b, "<h1>");
	buf_html(b, title);
	buf_adds(b, "</h1>");
	needs_nav(req, b);
	bool any_sample = false;
	for (size_t k = 0; k < h.n; k++)
		any_sample |= h.a[k].sample;
	sample_notice(req, b, any_sample);
	if (!h.n)
		buf_printf(b, "<p>%s</p>", _("No assessment is recorded for this country yet."));
	else {
		buf_printf(b, "<table class=\"list\"><caption>%s</caption><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
			   _("Each theme's assessments over time (oldest first)"), _("Theme"), _("Assessments"),
			   _("Latest status"), _("Active records addressing it"));
		for (size_t k = 0; k < h.n;) {
			size_t end = k;
			while (end < h.n && strcmp(h.theme[end], h.theme[k]) == 0)
				end++;
			const struct cell *last = &h.a[end - 1];
			buf_printf(b, "<tr><th scope=\"row\"><a href=\"/needs/theme/%s\">", h.theme[k]);
			buf_html(b, names_name(&themes, h.theme[k]));
			buf_adds(b, "</a></th>");
			history_cells(req, b, &h, k, end);
			buf_printf(b, "<td>%s</td><td>", ent_value_label(req->lang, FLD(NEED, STATUS), last->status));
			buf_printf(b, "%lld", last->addressed);
			buf_adds(b, "</td></tr>");
			k = end;
		}
		buf_adds(b, "</tbody></table>");
	}
	if (ent_can_write(ENT(NEED), req->who.role))
		buf_printf(b, "<p><a class=\"button\" href=\"/needs/new?country=%s\">%s</a></p>", code, _("New assessment"));
	page_end(req, resp);
	free(title);
	free(h.a);
	free(h.theme);
	names_release(&countries);
	names_release(&themes);
}

/* ---- a theme across countries -------------------------------------------------------- */

void needs_theme_page(struct request *req, struct response *resp)
{
	const char *code = req_param(req, "code");
	if (!may_read(req, resp))
		return;
	const char *as_of = as_of_arg(req);
	struct needs_filter f = { .as_of = as_of, .country = scope_country(req), .theme = code };
	struct matrix m;
	if (!matrix_page_load(req, resp, &m, &f)) /* not "no such page": the theme may well exist */
		return;
	struct buf *b = &resp->body;
	if (m.themes.n != 1) {
		matrix_release(&m);
		resp->status = 404;
		page_begin(req, resp, _("No such page."));
		buf_printf(b, "<h1>%s</h1>", _("No such page."));
		page_end(req, resp);
		return;
	}
	char *title = xasprintf(_("Needs in %s across countries"), m.themes.a[0].name);
	page_begin(req, resp, title);
	buf_adds(b, "<h1>");
	buf_html(b, title);
	buf_adds(b, "</h1>");
	needs_nav(req, b);
	char *action = xasprintf("/needs/theme/%s", code);
	as_of_form(req, b, action, as_of);
	free(action);
	sample_notice(req, b, m.any_sample);
	/* the table below lists the values, with their dates and statuses */
	needs_map(req, b, &m, (struct measure){ .theme = 0 }, false);
	severity_legend(req, b);
	buf_printf(b, "<table class=\"list\"><caption>%s</caption><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		   _("The latest assessment in each country"), _("Country"), _("Severity"), _("Assessed on"),
		   _("Status"), _("Active records addressing it"));
	for (size_t i = 0; i < m.countries.n; i++) {
		const struct cell *c = &m.cells[i];
		if (!c->severity)
			continue;
		buf_printf(b, "<tr><th scope=\"row\"><a href=\"/needs/country/%s\">", m.countries.a[i].code);
		buf_html(b, m.countries.a[i].name);
		buf_adds(b, "</a></th>");
		severity_cell(req, b, c);
		buf_adds(b, "<td>");
		page_date(b, req->lang, c->assessed_on);
		buf_printf(b, "</td><td>%s</td><td>%lld</td></tr>", ent_value_label(req->lang, FLD(NEED, STATUS), c->status), c->addressed);
	}
	buf_adds(b, "</tbody></table>");
	buf_printf(b, "<p>");
	char n[2][NUM_TEXT_MAX];
	buf_printf(b, _("%s of %s countries assessed on this theme."), num_text(n[0], req->lang, (long long)m.assessed, 0),
		   num_text(n[1], req->lang, (long long)m.countries.n, 0));
	buf_adds(b, "</p>");
	page_end(req, resp);
	free(title);
	matrix_release(&m);
}

/* ---- gap analysis ---------------------------------------------------------------------- */

struct gaps {
	struct matrix m;
	size_t n;
	size_t *by_theme; /* per theme of m.themes */
};

/* The gaps, most severe first, then by country name; g is to be released
 * whatever the answer. */
static enum app_err gaps_load(struct request *req, struct gaps *g)
{
	struct needs_filter f = { .country = scope_country(req), .gaps = true };
	enum app_err rc = matrix_load(req, &g->m, &f);
	g->n = g->m.assessed;
	g->by_theme = xcalloc(g->m.themes.n + 1, sizeof *g->by_theme);
	for (size_t i = 0; i < g->m.countries.n; i++)
		for (size_t j = 0; j < g->m.themes.n; j++)
			g->by_theme[j] += g->m.cells[i * g->m.themes.n + j].severity > 0;
	return rc;
}

static void gaps_release(struct gaps *g)
{
	matrix_release(&g->m);
	free(g->by_theme);
}

/* What the pages' helpers read the reader from (they take a request): who
 * in lang, or the system (NULL: an administrator's view, for the command
 * line). */
static struct request reader(struct app *app, enum lang lang, const struct principal *who)
{
	struct request r = { .app = app, .lang = lang, .who = { .role = ROLE_ADMIN } };
	if (who)
		r.who = *who;
	return r;
}

typedef void gap_fn(void *ctx, const struct needs_gap *gap);

/* Each gap of g, most severe first, then by country name and theme. */
static void gaps_each(const struct request *req, const struct gaps *g, gap_fn *fn, void *ctx)
{
	const struct matrix *m = &g->m;
	for (int sev = 5; sev >= NEED_GAP_SEVERITY; sev--) {
		for (size_t i = 0; i < m->countries.n; i++) {
			for (size_t j = 0; j < m->themes.n; j++) {
				const struct cell *c = &m->cells[i * m->themes.n + j];
				if (c->severity != sev)
					continue;
				struct needs_gap gap = { .country = m->countries.a[i].code, .country_name = m->countries.a[i].name,
							 .theme = m->themes.a[j].code, .theme_name = m->themes.a[j].name,
							 .assessed_on = c->assessed_on, .status = c->status,
							 .status_label = ent_value_label(req->lang, FLD(NEED, STATUS), c->status),
							 .severity = c->severity, .sample = c->sample, .id = c->id };
				fn(ctx, &gap);
			}
		}
	}
}

struct gap_html {
	struct request *req;
	struct buf *b;
};

static void gap_html_row(void *ctx, const struct needs_gap *gap)
{
	struct gap_html *h = ctx;
	struct buf *b = h->b;
	buf_printf(b, "<tr><th scope=\"row\"><a href=\"/needs/country/%s\">", gap->country);
	buf_html(b, gap->country_name);
	buf_printf(b, "</a></th><td><a href=\"/needs/theme/%s\">", gap->theme);
	buf_html(b, gap->theme_name);
	buf_adds(b, "</a></td>");
	struct cell c = { .id = gap->id, .severity = gap->severity, .sample = gap->sample };
	snprintf(c.status, sizeof c.status, "%s", gap->status);
	severity_cell(h->req, b, &c);
	buf_adds(b, "<td>");
	page_date(b, h->req->lang, gap->assessed_on);
	buf_printf(b, "</td><td>%s</td></tr>", gap->status_label);
}

static void gaps_table(struct request *req, struct buf *b, const struct gaps *g)
{
	buf_printf(b, "<table class=\"list\"><caption>%s</caption><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		   _("Open needs of severity 4 or 5 that no active action addresses"), _("Country"), _("Theme"),
		   _("Severity"), _("Assessed on"), _("Status"));
	struct gap_html h = { .req = req, .b = b };
	gaps_each(req, g, gap_html_row, &h);
	buf_adds(b, "</tbody></table>");
}

enum app_err needs_gaps(struct app *app, enum lang lang, const struct principal *who,
			const struct needs_gaps_sink *sink, bool *any_sample)
{
	struct request r = reader(app, lang, who);
	*any_sample = false;
	if (!ent_can_read(ENT(NEED), r.who.role))
		return APP_FORBIDDEN;
	struct gaps g;
	enum app_err rc = gaps_load(&r, &g);
	if (!rc) {
		*any_sample = g.m.any_sample;
		for (size_t j = 0; j < g.m.themes.n; j++)
			if (g.by_theme[j])
				sink->theme(sink->ctx, g.m.themes.a[j].code, g.m.themes.a[j].name, g.by_theme[j]);
		gaps_each(&r, &g, sink->gap, sink->ctx);
	}
	gaps_release(&g);
	return rc;
}

static void gaps_by_theme(struct request *req, struct buf *b, const struct gaps *g)
{
	buf_printf(b, "<table class=\"list narrow\"><caption>%s</caption><thead><tr><th scope=\"col\">%s</th>"
		      "<th scope=\"col\">%s</th></tr></thead><tbody>",
		   _("Gaps by theme"), _("Theme"), _("Countries"));
	for (size_t j = 0; j < g->m.themes.n; j++) {
		if (!g->by_theme[j])
			continue;
		buf_adds(b, "<tr><th scope=\"row\">");
		buf_html(b, g->m.themes.a[j].name);
		buf_printf(b, "</th><td>%zu</td></tr>", g->by_theme[j]);
	}
	buf_adds(b, "</tbody></table>");
}

void needs_gap_section(struct app *app, enum lang lang, const struct principal *who, struct buf *out,
		       int h)
{
	/* the pages' helpers read the reader from a request */
	struct request r = reader(app, lang, who);
	struct request *req = &r;
	buf_printf(out, "<section class=\"gaps\"><h%d>%s</h%d>", h, _("Gap analysis"), h);
	if (!ent_can_read(ENT(NEED), req->who.role)) {
		buf_printf(out, "<p>%s</p></section>", _("Your role may not see needs assessments."));
		return;
	}
	struct gaps g;
	if (page_part_failed(req, out, gaps_load(req, &g))) { /* rather than "no gap" */
		buf_adds(out, "</section>");
		gaps_release(&g);
		return;
	}
	buf_printf(out, "<p>%s</p>",
		   _("Serious needs (severity 4 or 5, latest assessment, not met) that no planned or running action addresses: the list the next dialogue should turn into priorities."));
	sample_notice(req, out, g.m.any_sample);
	if (!g.n) {
		buf_printf(out, "<p>%s</p></section>", _("No gap: every serious open need is addressed."));
		gaps_release(&g);
		return;
	}
	buf_printf(out, "<p><strong>");
	char n[NUM_TEXT_MAX];
	buf_printf(out, _("%s gaps"), num_text(n, req->lang, (long long)g.n, 0));
	buf_adds(out, "</strong></p>");
	gaps_by_theme(req, out, &g);
	gaps_table(req, out, &g);
	buf_adds(out, "</section>");
	gaps_release(&g);
}

void needs_gaps_page(struct request *req, struct response *resp)
{
	if (!may_read(req, resp))
		return;
	struct buf *b = &resp->body;
	page_begin(req, resp, _("Gap analysis"));
	buf_printf(b, "<h1>%s</h1>", _("Gap analysis"));
	needs_nav(req, b);
	buf_printf(b, "<p><a href=\"/needs/gaps.csv\" download>%s</a> <a href=\"/needs/gaps.xlsx\" download>%s</a></p>",
		   _("Export as CSV"), _("Export to Excel (XLSX)"));
	needs_gap_section(req->app, req->lang, &req->who, b, 2);
	page_end(req, resp);
}

/* ---- CSV and JSON of the latest cells -------------------------------------------------- */

static enum app_err gaps_fill(struct request *req, struct tab *t, void *ctx)
{
	(void)ctx;
	struct gaps g;
	enum app_err rc = gaps_load(req, &g);
	if (rc) {
		gaps_release(&g);
		return rc;
	}
	static const struct tab_col cols[] = {
		{ "id", TAB_NUMBER, "#meta+id" }, { "country", TAB_TEXT, "#country+code" },
		{ "country_name", TAB_TEXT, "#country+name" }, { "theme", TAB_TEXT, "#sector+code" },
		{ "theme_name", TAB_TEXT, "#sector+name" }, { "severity", TAB_NUMBER, "#severity" },
		{ "assessed_on", TAB_DATE, "#date+assessed" }, { "status", TAB_VALUE, "#status" },
		{ "sample", TAB_BOOL, "#meta+sample" },
	};
	tab_header(t, cols, sizeof cols / sizeof *cols, tabfile_hxl(req));
	const struct matrix *m = &g.m;
	for (size_t i = 0; i < m->countries.n; i++) {
		for (size_t j = 0; j < m->themes.n; j++) {
			const struct cell *c = &m->cells[i * m->themes.n + j];
			if (!c->severity)
				continue;
			tab_int(t, c->id);
			tab_cell(t, m->countries.a[i].code);
			tab_cell(t, m->countries.a[i].name);
			tab_cell(t, m->themes.a[j].code);
			tab_cell(t, m->themes.a[j].name);
			tab_int(t, c->severity);
			tab_cell(t, c->assessed_on);
			tab_cell(t, c->status);
			tab_cell(t, c->sample ? "true" : "false");
			tab_row_end(t);
		}
	}
	gaps_release(&g);
	return APP_OK;
}

void needs_gaps_csv(struct request *req, struct response *resp)
{
	if (may_read(req, resp))
		tabfile_answer(req, resp, "gaps", N_("Gap analysis"), true, gaps_fill, NULL);
}

struct json_ctx {
	struct buf *b;
	long long n;
};

static enum app_err json_row(void *ctx, const struct row *row)
{
	struct json_ctx *j = ctx;
	buf_printf(j->b, "%s{\"id\":%lld,\"country\":\"%s\",\"theme\":\"%s\",\"assessed_on\":\"%s\",\"severity\":%lld,"
			 "\"status\":\"%s\",\"source\":\"%s\",\"sample\":%s,\"addressed\":%lld}",
		   j->n++ ? "," : "", row_int(row, NC_ID), row_text(row, NC_COUNTRY), row_text(row, NC_THEME),
		   row_text(row, NC_ASSESSED_ON), row_int(row, NC_SEVERITY), row_text(row, NC_STATUS),
		   row_text(row, NC_SOURCE), row_int(row, NC_SAMPLE) ? "true" : "false", row_int(row, NC_ADDRESSED));
	return APP_OK;
}

/* Codes go into the JSON unescaped: accept only the shapes codes have. */
static bool code_ok(const char *s)
{
	if (!s)
		return true;
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

void needs_latest_api(struct request *req, struct response *resp)
{
	if (!ent_can_read(ENT(NEED), req->who.role)) {
		resp_json_error_code(resp, 403, "forbidden", "Your role may not read this collection.");
		return;
	}
	const char *as_of = args_get(&req->query, "as_of");
	const char *gaps = args_get(&req->query, "gaps");
	struct needs_filter f = { .as_of = as_of, .country = args_get(&req->query, "country"),
				  .theme = args_get(&req->query, "theme"), .gaps = gaps && strcmp(gaps, "true") == 0 };
	if ((as_of && !util_valid_date(as_of)) || !code_ok(f.country) || !code_ok(f.theme) ||
	    (gaps && strcmp(gaps, "true") != 0 && strcmp(gaps, "false") != 0)) {
		resp_json_error_code(resp, 400, "bad_query", "as_of must be a date YYYY-MM-DD, gaps true or false, country and theme codes.");
		return;
	}
	const char *scope = scope_country(req);
	if (scope && f.country && strcmp(f.country, scope) != 0) { /* another country: nothing to see */
		buf_adds(&resp->body, "{\"items\":[],\"total\":0}");
		return;
	}
	if (scope)
		f.country = scope;
	struct json_ctx j = { .b = &resp->body };
	buf_adds(&resp->body, "{\"items\":[");
	if (store_needs_latest(req->app->store, &f, json_row, &j) != APP_OK) {
		resp_json_error_code(resp, 503, "unavailable", "The database is not available; try again shortly.");
		return;
	}
	buf_printf(&resp->body, "],\"total\":%lld}", j.n);
}

/* ---- the home page's map -------------------------------------------------------------- */

struct atlantic_ctx {
	struct map_value *v;
	char **owned;
	size_t n;
	enum lang lang;
};

static enum app_err atlantic_row(void *ctx, const struct row *row)
{
	struct atlantic_ctx *a = ctx;
	const struct entity *e = ENT(COUNTRY);
	enum lang shown;
	const char *name = page_i18n(row, FLD(COUNTRY, NAME)->col, a->lang, &shown);
	a->owned[a->n] = xstrdup(row_text(row, ent_keyfield(e)->col));
	a->owned[a->n + 1] = xstrdup(name ? name : a->owned[a->n]);
	a->v[a->n / 2] = (struct map_value){ .iso2 = a->owned[a->n], .title = a->owned[a->n + 1],
					     .cls = row_int(row, FLD(COUNTRY, ATLANTIC_AFRICAN_STATE)->col) ? 0 : -1 };
	a->n += 2;
	return APP_OK;
}

/* The map of the countries a holds. */
static void atlantic_svg(struct request *req, struct buf *b, const struct atlantic_ctx *a)
{
	const char *label = _("Atlantic African State");
	struct map_legend lg = { .nclasses = 1, .labels = &label, .no_data = _("Other African State"),
				 .caption = _("The African States and the Atlantic African States Process") };
	page_map_words(req, &lg);
	map_svg(b, a->v, a->n / 2, &lg, "home-map");
	page_map_notes(req, b);
}

/* For those who may not see needs (the public, donors): the States of the
 * Atlantic African States Process — reference data, published. */
static void atlantic_map(struct request *req, struct buf *b)
{
	const struct entity *e = ENT(COUNTRY);
	struct query q = page_query_int(e, FLD(COUNTRY, UN_AFRICAN_MEMBER), 1, 100);
	struct atlantic_ctx a = { .v = xcalloc(101, sizeof *a.v), .owned = xcalloc(202, sizeof *a.owned), .lang = req->lang };
	/* unread, no map: one would show no State of the Process */
	if (!page_part_failed(req, b, store_list(req->app->store, &q, NULL, atlantic_row, &a)))
		atlantic_svg(req, b, &a);
	for (size_t i = 0; i < a.n; i++)
		free(a.owned[i]);
	free(a.owned);
	free(a.v);
}

void needs_home_map(struct request *req, struct buf *b)
{
	buf_printf(b, "<section class=\"home-map\"><h2>%s</h2>", _("Map of Africa"));
	if (!ent_can_read(ENT(NEED), req->who.role)) {
		atlantic_map(req, b);
		buf_adds(b, "</section>");
		return;
	}
	struct needs_filter f = { .country = scope_country(req) };
	struct matrix m;
	if (!page_part_failed(req, b, matrix_load(req, &m, &f))) { /* no map of no assessment */
		sample_notice(req, b, m.any_sample);
		needs_map(req, b, &m, (struct measure){ .theme = -1 }, true);
	}
	buf_printf(b, "<p><a href=\"/needs/map\">%s</a> · <a href=\"/needs/matrix\">%s</a> · <a href=\"/needs/gaps\">%s</a></p></section>",
		   _("Needs assessment: the map of Africa"), _("Needs assessment: the latest picture"), _("Gap analysis"));
	matrix_release(&m);
}
