/* translations.c — see translations.h.  One query per collection (the
 * store's list with query.untranslated, which writes the condition from
 * the registry's FT_I18N fields), then each row's texts read here to say
 * which field lacks which language. */
#define _POSIX_C_SOURCE 200809L
#include "translations.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "domain.h"
#include "money.h"
#include "page.h"
#include "store.h"
#include "util.h"
#include "banned.h"

#define ALL_LANGS ((1u << LANG__MAX) - 1)
#define OVERVIEW_MAX 10 /* records shown per collection when every one is listed */
#define PAGE_MAX 100    /* records on a page of one collection */

/* The languages' names, in the reader's words. */
static const char *const lang_names[LANG__MAX] = { N_("French"), N_("English"), N_("Arabic") };

/* Does e have texts to translate that staff may fill in? */
static bool has_texts(const struct entity *e, enum role r)
{
	if (e->readonly || !ent_can_read(e, r))
		return false;
	for (int i = 0; i < e->nfields; i++)
		if (e->fields[i].type == FT_I18N && field_visible(&e->fields[i], r))
			return true;
	return false;
}

/* What the reader asked for: the languages missing (a set of 1u << lang),
 * one collection or all (NULL), how many records of each and from where
 * (an offset needs one collection). */
struct filter {
	unsigned langs;
	enum lang lang; /* the one language asked for, when langs holds one */
	const struct entity *only;
	long long limit, offset;
};

/* NULL, or what is not understood (an unknown language or collection, a
 * bad limit or offset): a message for the API. */
static const char *parse_filter(struct request *req, struct filter *f)
{
	*f = (struct filter){ .langs = ALL_LANGS };
	const char *missing = args_get(&req->query, "missing");
	const char *coll = args_get(&req->query, "collection");
	const char *limit = args_get(&req->query, "limit");
	const char *offset = args_get(&req->query, "offset");
	if (missing && *missing) {
		if (!lang_parse(missing, &f->lang))
			return "missing: one of fr, en, ar";
		f->langs = 1u << f->lang;
	}
	if (coll && *coll) {
		f->only = ent_by_plural(coll);
		if (!f->only || !has_texts(f->only, req->who.role))
			return "collection: not one with multilingual texts";
	}
	f->limit = f->only ? PAGE_MAX : OVERVIEW_MAX;
	if (limit && *limit && (!util_parse_ll(limit, &f->limit) || f->limit < 1 || f->limit > LIST_LIMIT_MAX))
		return "limit: a whole number from 1 to 500";
	if (offset && *offset && (!f->only || !util_parse_ll(offset, &f->offset) || f->offset < 0))
		return "offset: a whole number of 0 or more, with a collection";
	return NULL;
}

/* The languages text f of row lacks, when it is given in another (0 when
 * it is given in all, or in none: an optional text left empty). */
static unsigned field_gaps(const struct row *row, const struct field *f)
{
	unsigned missing = 0;
	for (int l = 0; l < LANG__MAX; l++) {
		const char *t = row_text(row, f->col + l);
		if (!t || !*t)
			missing |= 1u << l;
	}
	return missing == ALL_LANGS ? 0 : missing;
}

/* The URL of this page with the filter f, collection e (NULL: all) and
 * offset, for an attribute. */
static void page_url(struct buf *b, const struct filter *f, const struct entity *e, long long offset)
{
	const char *sep = "?";
	buf_adds(b, "/translations");
	if (f->langs != ALL_LANGS) {
		buf_printf(b, "%smissing=%s", sep, lang_code[f->lang]);
		sep = "&amp;";
	}
	if (e) {
		buf_printf(b, "%scollection=%s", sep, e->plural);
		sep = "&amp;";
	}
	if (offset > 0)
		buf_printf(b, "%soffset=%lld", sep, offset);
}

static void filter_form(struct request *req, struct buf *b, const struct filter *f)
{
	buf_printf(b, "<form class=\"filters\" method=\"get\" action=\"/translations\" role=\"search\">"
		      "<div class=\"field\"><label for=\"f-missing\">%s</label><select id=\"f-missing\" name=\"missing\">"
		      "<option value=\"\">%s</option>",
		   _("Missing language"), _("(any)"));
	for (int l = 0; l < LANG__MAX; l++)
		buf_printf(b, "<option value=\"%s\"%s>%s</option>", lang_code[l],
			   f->langs == 1u << l ? " selected" : "", _(lang_names[l]));
	buf_printf(b, "</select></div><div class=\"field\"><label for=\"f-collection\">%s</label>"
		      "<select id=\"f-collection\" name=\"collection\"><option value=\"\">%s</option>",
		   _("Collection"), _("(any)"));
	for (size_t i = 0; i < entities_count; i++) {
		const struct entity *e = entities[i];
		if (has_texts(e, req->who.role))
			buf_printf(b, "<option value=\"%s\"%s>%s</option>", e->plural, e == f->only ? " selected" : "",
				   _(e->label_plural));
	}
	buf_printf(b, "</select></div><div class=\"field actions\"><button type=\"submit\">%s</button> "
		      "<a href=\"/translations\">%s</a></div></form>",
		   _("Filter"), _("Clear"));
}

/* A walk of one collection's rows: a table row per text that lacks a
 * language asked for, the record named once for all its texts. */
struct gaps_ctx {
	struct request *req;
	const struct entity *e;
	const struct filter *f;
	struct page_rows rows;
};

/* The missing languages' names, separated as the reader's language
 * separates a list. */
static void langs_html(struct request *req, struct buf *b, unsigned langs)
{
	int n = 0;
	for (int l = 0; l < LANG__MAX; l++)
		if (langs & (1u << l))
			buf_printf(b, "%s<span class=\"tag\">%s</span>", n++ ? _(", ") : "", _(lang_names[l]));
}

/* One text's row: its field, the languages it lacks, and a link to the
 * form's box of the first of them. */
static void gap_cells(struct gaps_ctx *c, const char *key, const struct field *f, unsigned missing)
{
	struct request *req = c->req;
	struct buf *b = c->rows.b;
	buf_printf(b, "<td>%s</td><td>", _(f->label));
	langs_html(req, b, missing);
	buf_adds(b, "</td><td>");
	if (ent_can_write(c->e, req->who.role)) {
		int first = 0; /* the first language asked for that it lacks */
		while (!(missing & c->f->langs & (1u << first)))
			first++;
		buf_printf(b, "<a href=\"/%s/", c->e->plural);
		buf_html(b, key);
		buf_printf(b, "/edit#in-%s-%s\">%s</a>", f->name, lang_code[first], _("Edit"));
	}
	buf_adds(b, "</td></tr>");
}

/* The languages of f's that text fl of row lacks (field_gaps), for a
 * reader of role r. */
static unsigned asked_gaps(const struct filter *f, enum role r, const struct row *row, const struct field *fl)
{
	if (fl->type != FT_I18N || !field_visible(fl, r))
		return 0;
	return field_gaps(row, fl) & f->langs;
}

static enum app_err gaps_row(void *ctx, const struct row *row)
{
	struct gaps_ctx *c = ctx;
	const struct entity *e = c->e;
	const char *key = row_text(row, ent_keyfield(e)->col);
	int n = 0;
	for (int i = 0; i < e->nfields; i++)
		n += asked_gaps(c->f, c->req->who.role, row, &e->fields[i]) != 0;
	if (!n) /* (the query selects only rows with one) */
		return APP_OK;
	page_rows_add(&c->rows);
	struct buf *b = c->rows.b;
	if (n > 1)
		buf_printf(b, "<tr><th scope=\"row\" rowspan=\"%d\">", n);
	else
		buf_adds(b, "<tr><th scope=\"row\">");
	buf_printf(b, "<a href=\"/%s/", e->plural);
	buf_html(b, key);
	buf_adds(b, "\">");
	page_label(c->req, b, e, row);
	buf_adds(b, "</a></th>");
	for (int i = 0, k = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (!asked_gaps(c->f, c->req->who.role, row, f))
			continue;
		if (k++)
			buf_adds(b, "<tr>");
		gap_cells(c, key, f, field_gaps(row, f));
	}
	return APP_OK;
}

/* The query of e's records that lack a language of f, labelled. */
static void gaps_query(struct request *req, struct query *q, const struct entity *e, const struct filter *f)
{
	dom_query_init(q, e, &req->who);
	q->untranslated = f->langs;
	q->labels = LABELS_OWN;
	q->lang = req->lang;
	q->limit = f->limit;
	q->offset = f->offset;
}

/* Where a collection's list goes on: all of it (the overview), or the
 * next and previous pages (one collection). */
static void more_links(struct request *req, struct buf *b, const struct entity *e, const struct filter *f,
		       long long shown, long long total)
{
	if (!f->only) {
		if (total > shown) {
			buf_adds(b, "<p><a href=\"");
			page_url(b, f, e, 0);
			buf_printf(b, "\">%s</a></p>", _("All of them"));
		}
		return;
	}
	long long to = f->offset + shown;
	buf_printf(b, "<nav class=\"pager\" aria-label=\"%s\"><p>", _("Pages"));
	num_range_of(b, req->lang, total ? f->offset + 1 : 0, to, total);
	buf_adds(b, "</p>");
	if (f->offset > 0) {
		buf_adds(b, "<a rel=\"prev\" href=\"");
		page_url(b, f, e, f->offset > f->limit ? f->offset - f->limit : 0);
		buf_printf(b, "\">%s</a> ", _("Previous"));
	}
	if (to < total) {
		buf_adds(b, "<a rel=\"next\" href=\"");
		page_url(b, f, e, to);
		buf_printf(b, "\">%s</a>", _("Next"));
	}
	buf_adds(b, "</nav>");
}

/* One collection's section: its name and count, the table, the links on;
 * nothing when it has no text to translate (in the overview).  *total
 * receives its count (0 when it could not be read). */
static void collection_section(struct request *req, struct buf *b, const struct entity *e, const struct filter *f,
			       long long *total)
{
	struct query q;
	gaps_query(req, &q, e, f);
	struct buf rows = BUF_INIT;
	const char *plural = _(e->label_plural);
	const struct page_table table = {
		.cls = "list translations", .caption = plural, .sr_caption = true, .scroll = true,
		.cols = { _("Record"), _("Field"), _("Missing languages"), _("Edit") },
	};
	struct gaps_ctx c = { .req = req, .e = e, .f = f, .rows = { .req = req, .b = &rows, .table = &table } };
	*total = 0;
	enum app_err rc = store_list(req->app->store, &q, total, gaps_row, &c);
	dom_query_release(&q);
	if (rc)
		*total = 0;
	if (!rc && !*total && !f->only) {
		buf_release(&rows);
		return;
	}
	buf_printf(b, "<section id=\"t-%s\"><h2>%s", e->plural, plural);
	if (!rc) {
		buf_adds(b, " <span class=\"count\">(");
		num_html(b, req->lang, *total);
		buf_adds(b, ")</span>");
	}
	buf_adds(b, "</h2>");
	page_rows_finish(&c.rows, rc, _("Nothing matches."));
	buf_add(b, rows.data, rows.len);
	buf_release(&rows);
	if (!rc)
		more_links(req, b, e, f, c.rows.n, *total);
	buf_adds(b, "</section>");
}

/* A collection's count as a tile that leads to its section (home.c's). */
static void summary_item(struct request *req, struct buf *b, const struct entity *e, long long n)
{
	buf_printf(b, "<li><a href=\"#t-%s\"><strong>", e->plural);
	num_html(b, req->lang, n);
	buf_printf(b, "</strong> %s</a></li>", _(e->label_plural));
}

void translations_page(struct request *req, struct response *resp)
{
	struct filter f;
	if (parse_filter(req, &f)) {
		page_error_back(req, resp, 400, "This filter is not understood.", "/translations", N_("Texts to translate"));
		return;
	}
	struct buf *b = &resp->body;
	page_begin(req, resp, _("Texts to translate"));
	buf_printf(b, "<h1>%s</h1><p>%s</p>", _("Texts to translate"),
		   _("The records whose texts are written in one language and missing in another: "
		     "each links to the form where they are filled in."));
	filter_form(req, b, &f);
	struct buf summary = BUF_INIT, sections = BUF_INIT;
	int listed = 0;
	for (size_t i = 0; i < entities_count; i++) {
		const struct entity *e = entities[i];
		if ((f.only && e != f.only) || !has_texts(e, req->who.role))
			continue;
		long long n;
		collection_section(req, &sections, e, &f, &n);
		if (n) {
			summary_item(req, &summary, e, n);
			listed++;
		}
	}
	if (listed > 1)
		buf_printf(b, "<nav class=\"counts\" aria-label=\"%s\"><ul>%s</ul></nav>", _("Collection"),
			   buf_cstr(&summary));
	buf_add(b, sections.data, sections.len);
	if (!f.only && !listed)
		buf_printf(b, "<p>%s</p>", _("Every text is written in French, English and Arabic."));
	buf_release(&summary);
	buf_release(&sections);
	page_end(req, resp);
}

/* ---- the same as JSON ---------------------------------------------------------------- */

static void langs_json(struct buf *b, unsigned langs)
{
	int n = 0;
	buf_addc(b, '[');
	for (int l = 0; l < LANG__MAX; l++)
		if (langs & (1u << l))
			buf_printf(b, "%s\"%s\"", n++ ? "," : "", lang_code[l]);
	buf_addc(b, ']');
}

/* A record: its key, its label, and for each text the languages it lacks
 * (c->rows is used for its buffer and its count only: no table). */
static enum app_err json_row(void *ctx, const struct row *row)
{
	struct gaps_ctx *c = ctx;
	const struct entity *e = c->e;
	struct buf *b = c->rows.b;
	struct label_reader reader = { .lang = c->req->lang, .role = c->req->who.role, .mode = LABEL_DATA };
	struct buf label = BUF_INIT;
	label_own(&label, &reader, e, row);
	const char *key = row_text(row, ent_keyfield(e)->col);
	buf_adds(b, c->rows.n++ ? ",{\"key\":" : "{\"key\":");
	if (ent_int_key(e)) /* a number, as the collections give it */
		buf_adds(b, key);
	else
		buf_json_str(b, key);
	buf_adds(b, ",\"_label\":");
	buf_json_str(b, buf_cstr(&label));
	buf_adds(b, ",\"missing\":{");
	for (int i = 0, k = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (!asked_gaps(c->f, c->req->who.role, row, f))
			continue;
		buf_printf(b, "%s\"%s\":", k++ ? "," : "", f->name);
		langs_json(b, field_gaps(row, f));
	}
	buf_adds(b, "}}");
	buf_release(&label);
	return APP_OK;
}

static enum app_err collection_json(struct request *req, struct buf *b, const struct entity *e, const struct filter *f)
{
	struct query q;
	gaps_query(req, &q, e, f);
	buf_adds(b, "{\"collection\":");
	buf_json_str(b, e->plural);
	buf_adds(b, ",\"items\":[");
	struct gaps_ctx c = { .req = req, .e = e, .f = f, .rows = { .req = req, .b = b } };
	long long total = 0;
	enum app_err rc = store_list(req->app->store, &q, &total, json_row, &c);
	dom_query_release(&q);
	buf_printf(b, "],\"total\":%lld,\"limit\":%lld,\"offset\":%lld}", total, f->limit, f->offset);
	return rc;
}

void translations_api(struct request *req, struct response *resp)
{
	struct filter f;
	const char *bad = parse_filter(req, &f);
	if (bad) {
		resp_json_error(resp, APP_BAD_QUERY, bad, NULL);
		return;
	}
	struct buf *b = &resp->body;
	buf_adds(b, "{\"missing\":");
	langs_json(b, f.langs);
	buf_adds(b, ",\"collections\":[");
	enum app_err rc = APP_OK;
	int n = 0;
	for (size_t i = 0; i < entities_count && !rc; i++) {
		const struct entity *e = entities[i];
		if ((f.only && e != f.only) || !has_texts(e, req->who.role))
			continue;
		if (n++)
			buf_addc(b, ',');
		rc = collection_json(req, b, e, &f);
	}
	if (rc) {
		resp_json_error(resp, rc, NULL, NULL);
		return;
	}
	buf_adds(b, "]}");
	resp->status = 200;
	resp->content_type = "application/json";
}
