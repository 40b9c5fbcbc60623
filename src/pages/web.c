/* web.c — the pages: static assets, the language switch, and the generic
 * list, detail and form pages that every entity gets from the registry
 * (the route table, routes.c, names them).  Forms are turned into the same JSON the API takes and
 * validated by the same code (domain.c), so a page shows exactly the
 * field-level errors the API would give. */
#define _POSIX_C_SOURCE 200809L
#include "web.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "assets.h"
#include "cycle.h"
#include "deletion.h"
#include "docs.h"
#include "domain.h"
#include "event.h"
#include "iati_http.h"
#include "import.h"
#include "money.h"
#include "page.h"
#include "programme.h"
#include "results_http.h"
#include "review.h"
#include "review_http.h"
#include "store.h"
#include "training.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

#define LIST_PAGE 50
/* A reference to a collection of more records gets a box for their numbers: a
 * select of hundreds weighs a page down (DESIGN §6: 60 kB) and is no easier to
 * use.  Above the 249 countries and territories, whose picker stays a list. */
#define OPTIONS_MAX 300

/* ---- static assets and small routes ---------------------------------------- */

/* A static file by its content-hashed URL (pages link to that: kept for a
 * year, immutable), or by its plain name (for whoever kept an old link:
 * checked again each time). */
void web_static(struct request *req, struct response *resp)
{
	const struct asset *a = asset_by_url(req->path);
	bool hashed = a != NULL;
	if (!a)
		a = asset_find(req->path + 1); /* "static/style.css" */
	if (!a) {
		page_error(req, resp, 404, "No such page.");
		return;
	}
	const char *dot = strrchr(a->name, '.');
	resp->status = 200;
	resp->content_type = dot && strcmp(dot, ".css") == 0 ? "text/css; charset=utf-8"
			     : dot && strcmp(dot, ".svg") == 0 ? "image/svg+xml"
			     : dot && strcmp(dot, ".js") == 0 ? "text/javascript; charset=utf-8"
			     : "application/octet-stream";
	buf_add(&resp->body, a->data, a->size);
	resp_header(resp, "Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
}

/* GET /lang?set=ar&back=/meetings: remembers the language in a cookie. */
void web_language(struct request *req, struct response *resp)
{
	enum lang l;
	const char *back = args_get(&req->query, "back");
	if (!util_local_path(back))
		back = "/";
	if (lang_parse(args_get(&req->query, "set"), &l)) {
		char *cookie = xasprintf("lang=%s; Path=/; Max-Age=31536000; SameSite=Lax", lang_code[l]);
		resp_header(resp, "Set-Cookie", cookie);
		free(cookie);
	}
	page_redirect(resp, back);
}


/* ---- values --------------------------------------------------------------- */

/* Writes a field's value of a labelled row for people: dates in the
 * user's language, references by their labels, labels for enums. */
static void value_html(struct request *req, struct buf *b, const struct field *f,
		       const struct row *row, size_t max)
{
	const char *s = row_text(row, f->col);
	switch (f->type) {
	case FT_I18N:
		page_i18n_html(b, row, f->col, req->lang, max);
		return;
	case FT_BOOL:
		if (s)
			buf_adds(b, row_int(row, f->col) ? _("yes") : _("no"));
		return;
	case FT_DATE:
		page_date(b, req->lang, s);
		return;
	case FT_ENUM:
		if (s)
			buf_printf(b, "<span class=\"tag tag-%s\">%s</span>", s, ent_value_label(req->lang, f, s));
		return;
	case FT_REF:
	case FT_REFS: /* rows are read with their labels */
		page_ref_html(req, b, f, row);
		return;
	default:
		if (s && (f->flags & F_MONEY))
			money_html(b, req->lang, row_int(row, f->col), row_text(row, f[1].col));
		else if (s)
			page_text_cut(b, ent_value_label(req->lang, f, s), max ? max : 100000);
	}
}

/* ---- list pages ------------------------------------------------------------ */

/* A walk of e's rows that writes them into b (a list page, the records
 * that refer to one). */
struct list_ctx {
	struct request *req;
	const struct entity *e;
	struct buf *b;
};

static enum app_err list_row(void *ctx, const struct row *row)
{
	struct list_ctx *l = ctx;
	const struct entity *e = l->e;
	struct buf *b = l->b;
	const char *key = row_text(row, ent_keyfield(e)->col);
	buf_adds(b, "<tr>");
	bool linked = false;
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (!(f->flags & F_LIST) || !field_visible(f, l->req->who.role))
			continue;
		bool link = !linked; /* the first column (the key) */
		buf_adds(b, link ? "<th scope=\"row\">" : "<td>");
		if (link) {
			buf_printf(b, "<a href=\"/%s/", e->plural);
			buf_html(b, key);
			buf_adds(b, "\">");
		}
		value_html(l->req, b, f, row, 120);
		if (link) {
			if (i != e->key && row_null(row, f->col) && f->type != FT_I18N)
				buf_html(b, key);
			buf_adds(b, "</a>");
			linked = true;
		}
		buf_adds(b, link ? "</th>" : "</td>");
	}
	buf_adds(b, "</tr>");
	return APP_OK;
}

/* The list URL with one argument changed (NULL value: removed). */
static void list_url(struct buf *b, struct request *req, const struct entity *e,
		     const char *name, const char *value)
{
	struct buf u = BUF_INIT;
	buf_printf(&u, "/%s", e->plural);
	int n = 0;
	for (size_t i = 0; i < req->query.n; i++) {
		const struct arg *a = &req->query.a[i];
		if (strcmp(a->name, name) == 0 || !*a->value ||
		    (strcmp(name, "sort") == 0 && strcmp(a->name, "offset") == 0))
			continue;
		buf_addc(&u, n++ ? '&' : '?');
		buf_url(&u, a->name);
		buf_addc(&u, '=');
		buf_url(&u, a->value);
	}
	if (value) {
		buf_addc(&u, n ? '&' : '?');
		buf_url(&u, name);
		buf_addc(&u, '=');
		buf_url(&u, value);
	}
	buf_html(b, buf_cstr(&u));
	buf_release(&u);
}

static enum app_err any_row(void *ctx, const struct row *row)
{
	(void)row;
	*(bool *)ctx = true;
	return APP_OK;
}

/* Does the reader see more records of e than a select box holds?  A
 * reference to one is then typed by its number: a box of the first few
 * hundred would hide the others, and weigh the page down.  When that
 * cannot be read, yes: a box for the number works whatever their count,
 * where a select box would offer none of them. */
static bool too_many(struct request *req, const struct entity *e)
{
	struct query q;
	dom_query_init(&q, e, &req->who);
	q.limit = 1;
	q.offset = OPTIONS_MAX;
	bool more = false;
	enum app_err rc = store_list(req->app->store, &q, NULL, any_row, &more);
	dom_query_release(&q);
	return rc || more;
}

/* A box for the key of a record of e (with multi, the keys of several,
 * separated by commas), and beside it the label of each it holds, and a
 * link to the list where the keys are found.  attrs: more attributes of
 * the input. */
static void key_box(struct request *req, struct buf *b, const struct entity *e, const char *id,
		    const char *name, const char *value, bool multi, const char *attrs)
{
	buf_printf(b, "<input type=\"text\"%s id=\"%s\" name=\"%s\"%s value=\"",
		   ent_int_key(e) && !multi ? " inputmode=\"numeric\"" : "", id, name, attrs);
	buf_html(b, value ? value : "");
	buf_adds(b, "\">");
	bool named = false;
	for (const char *p = value; p && *p;) {
		size_t n = strcspn(p, ", ");
		char *key = xstrndup(p, n);
		if (n && dom_valid_key(e, key)) {
			buf_adds(b, named ? _("; ") : " <span class=\"current\">");
			page_ref_name(req, b, e, key);
			named = true;
		}
		free(key);
		p += n;
		p += strspn(p, ", ");
	}
	if (named)
		buf_adds(b, "</span>");
	if (multi)
		buf_printf(b, " <small><a href=\"/%s\">%s</a></small>", e->plural, _("The numbers are in the list"));
}

/* Whether reference f is its entity's scope and the reader is held to it:
 * a focal point may choose its own country only. */
static bool scoped_to_reader(const struct request *req, const struct field *f)
{
	return req->who.role == ROLE_FOCAL && f->entity->scope && strcmp(f->entity->scope, f->name) == 0 &&
	       ent_int_key(f->target) == false;
}

/* <option>s for the records reference f may name (up to OPTIONS_MAX), by
 * their labels: those the reader may read, and may choose. */
static void ref_options(struct request *req, struct buf *b, const struct field *f, const char *selected)
{
	const struct entity *e = f->target;
	if (!ent_can_read(e, req->who.role))
		return; /* nothing of what the reader may not read */
	struct query q;
	dom_query_init(&q, e, &req->who);
	q.limit = OPTIONS_MAX;
	if (scoped_to_reader(req, f) && q.nfilters < QUERY_MAX_FILTERS) {
		struct query_filter *own = &q.filters[q.nfilters++];
		own->f = ent_keyfield(e);
		own->value = (struct dbparam){ .type = DBP_TEXT, .s = req->who.country };
	}
	page_options(req, b, &q, scoped_to_reader(req, f) ? req->who.country : selected);
	dom_query_release(&q);
}

static void filter_form(struct request *req, struct buf *b, const struct entity *e)
{
	buf_printf(b, "<form class=\"filters\" method=\"get\" action=\"/%s\" role=\"search\">", e->plural);
	buf_printf(b, "<div class=\"field\"><label for=\"f-q\">%s</label><input type=\"search\" id=\"f-q\" name=\"q\" value=\"",
		   _("Search"));
	buf_html(b, args_get(&req->query, "q"));
	buf_adds(b, "\"></div>");
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (!(f->flags & F_LIST) || !field_visible(f, req->who.role) ||
		    (f->type != FT_ENUM && f->type != FT_REF && f->type != FT_BOOL))
			continue;
		const char *cur = args_get(&req->query, f->name);
		if (f->type == FT_REF && ent_can_read(f->target, req->who.role) && too_many(req, f->target)) {
			char id[80];
			snprintf(id, sizeof id, "f-%s", f->name);
			buf_printf(b, "<div class=\"field\"><label for=\"%s\">%s</label>", id, _(f->label));
			key_box(req, b, f->target, id, f->name, cur, false, "");
			buf_adds(b, "</div>");
			continue;
		}
		buf_printf(b, "<div class=\"field\"><label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\">"
			      "<option value=\"\">%s</option>",
			   f->name, _(f->label), f->name, f->name, _("(any)"));
		if (f->type == FT_ENUM) {
			for (const char *const *v = f->values; *v; v++)
				buf_printf(b, "<option value=\"%s\"%s>%s</option>", *v,
					   cur && strcmp(cur, *v) == 0 ? " selected" : "",
					   ent_value_label(req->lang, f, *v));
		} else if (f->type == FT_BOOL) {
			buf_printf(b, "<option value=\"true\"%s>%s</option><option value=\"false\"%s>%s</option>",
				   cur && strcmp(cur, "true") == 0 ? " selected" : "", _("yes"),
				   cur && strcmp(cur, "false") == 0 ? " selected" : "", _("no"));
		} else {
			ref_options(req, b, f, cur);
		}
		buf_adds(b, "</select></div>");
	}
	buf_printf(b, "<div class=\"field actions\"><button type=\"submit\">%s</button> <a href=\"/%s\">%s</a></div></form>",
		   _("Filter"), e->plural, _("Clear"));
}

static void sort_header(struct request *req, struct buf *b, const struct entity *e,
			const struct field *f, const struct query *q)
{
	const struct field *sorted = q->sort;
	bool desc = q->desc;
	if (!sorted && e->sort) {
		desc = e->sort[0] == '-';
		sorted = ent_field(e, e->sort + desc);
	} else if (!sorted) {
		sorted = ent_keyfield(e);
	}
	bool here = sorted == f;
	buf_printf(b, "<th scope=\"col\"%s>", here ? (desc ? " aria-sort=\"descending\"" : " aria-sort=\"ascending\"") : "");
	if (f->type == FT_REFS) {
		buf_printf(b, "%s</th>", _(f->label));
		return;
	}
	char *val = xasprintf("%s%s", here && !desc ? "-" : "", f->name);
	buf_adds(b, "<a href=\"");
	list_url(b, req, e, "sort", val);
	buf_printf(b, "\">%s%s</a></th>", _(f->label), here ? (desc ? " ▼" : " ▲") : "");
	free(val);
}

static void pager(struct request *req, struct buf *b, const struct entity *e,
		  const struct query *q, long long total)
{
	long long from = total ? q->offset + 1 : 0;
	long long to = q->offset + q->limit < total ? q->offset + q->limit : total;
	buf_printf(b, "<nav class=\"pager\" aria-label=\"%s\"><p>", _("Pages"));
	num_range_of(b, req->lang, from, to, total);
	buf_adds(b, "</p>");
	char off[32];
	if (q->offset > 0) {
		snprintf(off, sizeof off, "%lld", q->offset > q->limit ? q->offset - q->limit : 0);
		buf_adds(b, "<a rel=\"prev\" href=\"");
		list_url(b, req, e, "offset", off);
		buf_printf(b, "\">%s</a> ", _("Previous"));
	}
	if (q->offset + q->limit < total) {
		snprintf(off, sizeof off, "%lld", q->offset + q->limit);
		buf_adds(b, "<a rel=\"next\" href=\"");
		list_url(b, req, e, "offset", off);
		buf_printf(b, "\">%s</a>", _("Next"));
	}
	buf_adds(b, "</nav>");
}

static void list_page(struct request *req, struct response *resp, const struct entity *e)
{
	static const char *const notices[] = { "deleted", NULL };
	struct query q;
	char *msg = NULL;
	if (dom_parse_query(e, &req->query, notices, &req->who, &q, &msg)) {
		dom_query_release(&q);
		free(msg);
		page_error(req, resp, 400, "This filter is not understood.");
		return;
	}
	if (!args_get(&req->query, "limit"))
		q.limit = LIST_PAGE;
	if (!q.sort && e->page_sort)
		q.sort = ent_field(e, e->page_sort);
	q.lang = req->lang;
	q.labels = LABELS_ALL;
	struct buf *b = &resp->body;
	page_begin(req, resp, _(e->label_plural));
	buf_printf(b, "<div class=\"titlebar\"><h1>%s</h1><p>", _(e->label_plural));
	if (ent_can_write(e, req->who.role))
		buf_printf(b, "<a class=\"button\" href=\"/%s/new\">%s</a> ", e->plural, _("New"));
	struct buf qs = BUF_INIT;
	list_url(&qs, req, e, "offset", NULL);
	const char *qpart = strchr(buf_cstr(&qs), '?');
	/* (the list as filtered, every page of it) */
	buf_printf(b, "<a href=\"/api/v1/%s.csv%s\" download>%s</a> <a href=\"/api/v1/%s.xlsx%s\" download>%s</a>",
		   e->plural, qpart ? qpart : "", _("Export CSV"), e->plural, qpart ? qpart : "", _("Export to Excel (XLSX)"));
	buf_release(&qs);
	/* (a programme's /programmes/import is the IATI file's: iati_http.c) */
	if (ent_can_write(e, req->who.role) && import_may_collection(e) && e != ENT(PROGRAMME))
		buf_printf(b, " <a href=\"/%s/import\">%s</a>", e->plural, _("Import from CSV or Excel"));
	if (e == ENT(PROGRAMME)) { /* the IATI files and their import: iati_http.c */
		iati_links(req, b);
		if (ent_can_write(e, req->who.role))
			buf_printf(b, " <a href=\"/programmes/import\">%s</a>", _("Import an IATI file"));
	}
	buf_adds(b, "</p></div>");
	if (args_get(&req->query, "deleted"))
		buf_printf(b, "<p class=\"notice\" role=\"status\">%s</p>", _("Deleted."));
	filter_form(req, b, e);
	buf_printf(b, "<div class=\"scroll\"><table class=\"list\"><caption class=\"sr-only\">%s</caption><thead><tr>", _(e->label_plural));
	for (int i = 0; i < e->nfields; i++)
		if ((e->fields[i].flags & F_LIST) && field_visible(&e->fields[i], req->who.role))
			sort_header(req, b, e, &e->fields[i], &q);
	buf_adds(b, "</tr></thead><tbody>");
	struct list_ctx l = { .req = req, .e = e, .b = b };
	long long total = 0;
	enum app_err rc = store_list(req->app->store, &q, &total, list_row, &l);
	buf_adds(b, "</tbody></table></div>");
	if (rc)
		buf_printf(b, "<p class=\"error\" role=\"alert\">%s</p>", _("The database is not available; try again shortly."));
	else if (!total)
		buf_printf(b, "<p>%s</p>", _("Nothing matches."));
	pager(req, b, e, &q, total);
	dom_query_release(&q);
	page_end(req, resp);
}

/* ---- detail pages ----------------------------------------------------------- */

struct detail_ctx {
	struct request *req;
	const struct entity *e;
	struct buf *b;
	struct buf title, plain; /* its label as HTML (the heading) and as text (<title>) */
	long long version;
};

static enum app_err detail_row(void *ctx, const struct row *row)
{
	struct detail_ctx *d = ctx;
	const struct entity *e = d->e;
	struct buf *b = d->b;
	page_label(d->req, &d->title, e, row);
	struct label_reader text = page_reader(d->req, LABEL_TEXT);
	label_own(&d->plain, &text, e, row);
	d->version = row_int(row, e->col_version);
	buf_adds(b, "<dl class=\"record\">");
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (!field_visible(f, d->req->who.role) || (f->flags & F_STAMP))
			continue; /* (a review's fields: its own section says them, review_http.c) */
		buf_printf(b, "<dt>%s</dt><dd>", tr(d->req->lang, f->label));
		if (f->type == FT_I18N) {
			/* Every language given, each marked with its own lang. */
			for (int l = 0; l < LANG__MAX; l++) {
				const char *t = row_text(row, f->col + l);
				if (!t)
					continue;
				buf_printf(b, "<p lang=\"%s\" dir=\"%s\">", lang_code[l], lang_rtl(l) ? "rtl" : "ltr");
				buf_html(b, t);
				buf_adds(b, "</p>");
			}
		} else {
			value_html(d->req, b, f, row, 0);
		}
		buf_adds(b, "</dd>");
	}
	buf_printf(b, "<dt>%s</dt><dd>%lld</dd></dl>", tr(d->req->lang, "Version"), d->version);
	return APP_OK;
}

/* The records of one entity that refer to a record, as a small table: each
 * by its label, then the first few of its list columns that the label does
 * not already say (nor the reference to the record the page is about). */
#define RELATED_COLS 5
#define RELATED_SHOWN 50

struct related_ctx {
	struct request *req;
	const struct entity *e;
	const struct field *cols[RELATED_COLS];
	int ncols;
	struct buf *b;
};

static void related_columns(struct related_ctx *r, const struct field *via)
{
	const struct entity *e = r->e;
	for (int i = 0; i < e->nfields && r->ncols < RELATED_COLS; i++) {
		const struct field *f = &e->fields[i];
		if (!(f->flags & F_LIST) || f == via || !field_visible(f, r->req->who.role) ||
		    (i == e->key && f->type == FT_ID) || label_shows(e, f))
			continue;
		r->cols[r->ncols++] = f;
	}
}

static enum app_err related_row(void *ctx, const struct row *row)
{
	struct related_ctx *r = ctx;
	const char *key = row_text(row, ent_keyfield(r->e)->col);
	buf_printf(r->b, "<tr><th scope=\"row\"><a href=\"/%s/", r->e->plural);
	buf_html(r->b, key);
	buf_adds(r->b, "\">");
	page_label(r->req, r->b, r->e, row);
	buf_adds(r->b, "</a></th>");
	for (int i = 0; i < r->ncols; i++) {
		buf_adds(r->b, "<td>");
		value_html(r->req, r->b, r->cols[i], row, 80);
		buf_adds(r->b, "</td>");
	}
	buf_adds(r->b, "</tr>");
	return APP_OK;
}

static void related_table(struct request *req, struct buf *b, const struct related_ctx *r,
			  const struct field *via, const struct buf *rows, long long total, const char *key)
{
	const struct entity *o = r->e;
	buf_printf(b, "<section class=\"related\"><h2>%s <span class=\"count\">(", _(o->label_plural));
	num_html(b, req->lang, total);
	buf_printf(b, ")</span> — %s</h2>", _(via->label));
	struct page_table t = { .cls = "list related", .caption = _(o->label_plural), .sr_caption = true, .scroll = true };
	t.cols[0] = _(o->label);
	for (int i = 0; i < r->ncols; i++)
		t.cols[i + 1] = _(r->cols[i]->label);
	page_table_begin(b, &t);
	buf_add(b, rows->data, rows->len);
	page_table_end(b, &t);
	if (total > RELATED_SHOWN) {
		buf_printf(b, "<p><a href=\"/%s?%s=", o->plural, via->name);
		buf_html(b, key);
		buf_printf(b, "\">%s</a></p>", _("All of them"));
	}
	buf_adds(b, "</section>");
}

/* What a record page shows after its fields, for entities that have more
 * to say than the registry knows (hand-written modules), and the entities
 * whose records those sections already list: the generic lists below
 * (related, docs_section) leave them out rather than say them twice. */
#define SHOWS(E) (1ull << ENT_##E)
static const struct {
	enum ent_id entity;
	void (*sections)(struct request *req, struct buf *b, const char *key);
	unsigned long long shows;
} record_extras[] = {
	{ ENT_MEETING, cycle_meeting_sections, 0 },
	{ ENT_MEETING, event_meeting_sections, 0 }, /* conferences, forums, workshops: event.c */
	{ ENT_SESSION, training_session_sections, SHOWS(ENROLMENT) },       /* its roster */
	{ ENT_PARTICIPANT, training_participant_sections, SHOWS(ENROLMENT) }, /* the sessions attended */
	{ ENT_PROGRAMME, programme_sections,     /* programme.c: its funding is sums, not the transactions */
	  SHOWS(CONTRIBUTION) | SHOWS(RESULT) | SHOWS(SESSION) },
	{ ENT_INDICATOR, indicator_sections, SHOWS(PERIOD) }, /* results_http.c */
	{ ENT_AUDIT, deletion_audit_sections, 0 },  /* Restore: deletion.c */
};
_Static_assert(ENT_COUNT <= 64, "record_extras' shows: one bit an entity");

/* The entities whose records e's hand-written sections list, a bit each
 * (SHOWS): the generic sections leave them out. */
static unsigned long long extras_shows(const struct entity *e)
{
	for (size_t i = 0; i < sizeof record_extras / sizeof *record_extras; i++)
		if (ent_get(record_extras[i].entity) == e)
			return record_extras[i].shows;
	return 0;
}

/* Lists the records of other entities that refer to this one, so that a
 * person can walk the chain meeting → outcome → action → update. */
static void related(struct request *req, struct buf *b, const struct entity *e, const char *key)
{
	unsigned long long shown = extras_shows(e);
	for (size_t i = 0; i < entities_count; i++) { /* i: the entity's enum ent_id */
		const struct entity *o = entities[i];
		for (int k = 0; k < o->nfields; k++) {
			const struct field *f = &o->fields[k];
			if ((f->type != FT_REF && f->type != FT_REFS) || f->target != e)
				continue;
			if (!ent_can_read(o, req->who.role) || !field_visible(f, req->who.role))
				continue;
			if (o == ENT(DOCUMENT) || (shown & (1ull << i)))
				continue; /* docs_section lists them, with their files; or e's own sections */
			struct query q;
			dom_query_init(&q, o, &req->who);
			q.limit = RELATED_SHOWN;
			q.lang = req->lang;
			q.labels = LABELS_ALL; /* the related records' names, and those of what they name */
			struct query_filter *qf = &q.filters[q.nfilters++];
			qf->f = f;
			long long id;
			if (ent_int_key(e) && util_parse_ll(key, &id))
				qf->value = (struct dbparam){ .type = DBP_INT, .i = id };
			else
				qf->value = (struct dbparam){ .type = DBP_TEXT, .s = key };
			struct buf items = BUF_INIT;
			struct related_ctx r = { .req = req, .e = o, .b = &items };
			related_columns(&r, f);
			long long total = 0;
			enum app_err rc = store_list(req->app->store, &q, &total, related_row, &r);
			if (rc) { /* unread, the section says so rather than vanish as if there were none */
				buf_printf(b, "<section class=\"related\"><h2>%s — %s</h2>", _(o->label_plural), _(f->label));
				page_part_failed(req, b, rc);
				buf_adds(b, "</section>");
			} else if (total) {
				related_table(req, b, &r, f, &items, total, key);
			}
			buf_release(&items);
		}
	}
}

static void record_sections(struct request *req, struct buf *b, const struct entity *e, const char *key)
{
	if (review_applies(e)) /* (the registry says which: review.h) */
		review_section(req, b, e, key);
	for (size_t i = 0; i < sizeof record_extras / sizeof *record_extras; i++)
		if (ent_get(record_extras[i].entity) == e)
			record_extras[i].sections(req, b, key);
}

static void detail_page(struct request *req, struct response *resp, const struct entity *e,
			const char *key, const char *notice)
{
	struct buf body = BUF_INIT;
	struct detail_ctx d = { .req = req, .e = e, .b = &body };
	/* who's scope applies: a row outside it does not exist */
	enum app_err rc = dom_get_row(req->app, e, key, &req->who, LABELS_ALL, detail_row, &d);
	if (rc) {
		buf_release(&body);
		buf_release(&d.title);
		buf_release(&d.plain);
		page_error(req, resp, rc == APP_NOT_FOUND ? 404 : 503,
			   rc == APP_NOT_FOUND ? "No such record." : "The database is not available; try again shortly.");
		return;
	}
	struct buf *b = &resp->body;
	page_begin(req, resp, buf_cstr(&d.plain));
	buf_printf(b, "<p class=\"crumbs\"><a href=\"/%s\">%s</a></p>", e->plural, _(e->label_plural));
	buf_adds(b, "<div class=\"titlebar\"><h1>");
	buf_add(b, d.title.data, d.title.len);
	buf_adds(b, "</h1>");
	bool writer = ent_can_write(e, req->who.role);
	if (writer) {
		buf_printf(b, "<p><a class=\"button\" href=\"/%s/", e->plural);
		buf_html(b, key);
		buf_printf(b, "/edit\">%s</a></p>", _("Edit"));
	}
	buf_adds(b, "</div>");
	if (notice)
		buf_printf(b, "<p class=\"notice\" role=\"status\">%s</p>", notice);
	buf_add(b, body.data, body.len);
	record_sections(req, b, e, key);
	if (!(extras_shows(e) & (1ull << ENT_DOCUMENT)))
		docs_section(req, b, e, key);
	related(req, b, e, key);
	if (writer) { /* the confirmation first (deletion.c), which works without scripts */
		buf_printf(b, "<p class=\"danger\"><a class=\"button danger\" href=\"/%s/", e->plural);
		buf_html(b, key);
		buf_printf(b, "/delete\">%s</a></p>", _("Delete"));
	}
	page_end(req, resp);
	buf_release(&body);
	buf_release(&d.title);
	buf_release(&d.plain);
}

/* ---- forms --------------------------------------------------------------------- */

static bool editable(const struct entity *e, const struct field *f, bool create)
{
	if (f->flags & F_RO) /* forms are for writers, and writers are staff: private fields included */
		return false;
	return create || &e->fields[e->key] != f;
}

/* "26/09/2024" (as French users and spreadsheets write dates) into
 * "2024-09-26"; false for anything else, which is validated as it is. */
static bool dmy_to_iso(const char *s, char iso[11])
{
	int d, m, y, end = 0;
	if (sscanf(s, "%2d/%2d/%4d%n", &d, &m, &y, &end) != 3 || s[end] || y < 1000 ||
	    y > 9999 || m < 0 || m > 99 || d < 0 || d > 99)
		return false;
	snprintf(iso, 11, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	return true;
}

/* The JSON a form stands for: the same shape the API takes. */
static json_t *form_to_json(const struct entity *e, const struct args *form, bool create, enum lang lang)
{
	json_t *obj = json_object();
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (!editable(e, f, create))
			continue;
		if (f->type == FT_I18N) {
			json_t *t = json_object();
			for (int l = 0; l < LANG__MAX; l++) {
				char *name = xasprintf("%s.%s", f->name, lang_code[l]);
				const char *v = args_get(form, name);
				json_object_set_new(t, lang_code[l], v && *v ? json_string(v) : json_null());
				free(name);
			}
			json_object_set_new(obj, f->name, t);
			continue;
		}
		if (f->type == FT_REFS) {
			json_t *arr = json_array();
			bool ints = ent_int_key(f->target);
			/* each value a key (a select's options), or several separated by
			 * commas or spaces (a box of keys: key_box) */
			for (size_t k = 0; k < form->n; k++) {
				if (strcmp(form->a[k].name, f->name))
					continue;
				for (const char *v = form->a[k].value + strspn(form->a[k].value, ", "); *v;) {
					size_t len = strcspn(v, ", ");
					char *key = xstrndup(v, len);
					long long n;
					json_array_append_new(arr, ints && util_parse_ll(key, &n) ? json_integer(n) : json_string(key));
					free(key);
					v += len;
					v += strspn(v, ", ");
				}
			}
			json_object_set_new(obj, f->name, arr);
			continue;
		}
		const char *v = args_get(form, f->name);
		if (create && f->def && f->type != FT_BOOL && (!v || !*v))
			continue; /* left empty on a new record: the default applies */
		char iso[11];
		if (f->type == FT_DATE && v && dmy_to_iso(v, iso))
			v = iso;
		long long n;
		json_t *j;
		if (f->type == FT_BOOL)
			j = json_boolean(v && (strcmp(v, "true") == 0 || strcmp(v, "on") == 0));
		else if (!v || !*v)
			j = json_null();
		else if ((f->flags & F_MONEY) && money_parse(v, lang, args_get(form, f[1].name), &n))
			j = json_integer(n); /* typed in currency units, kept in minor units */
		else if (!(f->flags & F_MONEY) && (f->type == FT_INT || (f->type == FT_REF && ent_int_key(f->target))) &&
			 util_parse_ll(v, &n))
			j = json_integer(n);
		else
			j = json_string(v); /* a number box holding text fails validation clearly */
		if (json_is_string(j) && !json_string_value(j)) /* invalid UTF-8 */
			j = json_string("\xef\xbf\xbd");
		json_object_set_new(obj, f->name, j ? j : json_string("\xef\xbf\xbd"));
	}
	return obj;
}

/* The value of field f in vals as text for an input (NULL when none). */
static const char *input_text(json_t *vals, const struct field *f, char *tmp, size_t n)
{
	json_t *j = json_object_get(vals, f->name);
	if (json_is_string(j))
		return json_string_value(j);
	if (json_is_integer(j) && (f->flags & F_MONEY)) {
		struct buf units = BUF_INIT;
		money_units(&units, (long long)json_integer_value(j), json_string_value(json_object_get(vals, f[1].name)));
		snprintf(tmp, n, "%s", buf_cstr(&units));
		buf_release(&units);
		return tmp;
	}
	if (json_is_integer(j)) {
		snprintf(tmp, n, "%lld", (long long)json_integer_value(j));
		return tmp;
	}
	return NULL;
}

static void field_error(struct request *req, struct buf *b, const struct ferrs *errs, const char *name)
{
	for (size_t i = 0; i < errs->n; i++) {
		if (strcmp(errs->a[i].field, name) != 0)
			continue;
		buf_printf(b, "<p class=\"field-error\" id=\"err-%s\">", name);
		struct buf m = BUF_INIT;
		ferrs_message(errs, i, req->lang, &m);
		buf_html(b, buf_cstr(&m));
		buf_release(&m);
		buf_adds(b, "</p>");
		return;
	}
}

/* The first option of a select whose field may be left empty.  It says so in words:
 * an option with no text is not valid HTML (the Nu checker), and a screen reader would
 * read it as nothing. */
static void option_not_set(struct request *req, struct buf *b)
{
	buf_printf(b, "<option value=\"\">%s</option>", _("(not set)"));
}

/* The control of reference f (FT_REF or FT_REFS) holding the key v, or
 * for a set the keys in vals: a select of the records by name, or where
 * they are too many a box of their keys (key_box).  attrs_a, attrs_b: the
 * control's aria attributes. */
static void ref_control(struct request *req, struct buf *b, const struct field *f, json_t *vals,
			const char *v, const char *attrs_a, const char *attrs_b)
{
	bool multi = f->type == FT_REFS;
	struct buf sel = BUF_INIT; /* the keys held, separated by commas */
	if (multi) {
		size_t k;
		json_t *item;
		json_array_foreach(json_object_get(vals, f->name), k, item) {
			if (json_is_integer(item))
				buf_printf(&sel, "%s%lld", k ? "," : "", (long long)json_integer_value(item));
			else if (json_is_string(item))
				buf_printf(&sel, "%s%s", k ? "," : "", json_string_value(item));
		}
	} else if (v) {
		buf_adds(&sel, v);
	}
	if (too_many(req, f->target)) {
		char id[80], attrs[240];
		snprintf(id, sizeof id, "in-%s", f->name);
		snprintf(attrs, sizeof attrs, "%s%s", attrs_a, attrs_b);
		key_box(req, b, f->target, id, f->name, buf_cstr(&sel), multi, attrs);
	} else {
		buf_printf(b, "<select id=\"in-%s\" name=\"%s\"%s%s%s>", f->name, f->name,
			   multi ? " multiple size=\"6\"" : "", attrs_a, attrs_b);
		if (!multi && !scoped_to_reader(req, f))
			option_not_set(req, b);
		ref_options(req, b, f, buf_cstr(&sel));
		buf_adds(b, "</select>");
	}
	buf_release(&sel);
}

static void form_field(struct request *req, struct buf *b, const struct field *f,
		       json_t *vals, const struct ferrs *errs)
{
	bool bad = ferrs_find(errs, f->name) != NULL;
	/* Dates are typed as text: a browser's date box silently empties a day
	 * that does not exist instead of letting the server say so. */
	const char *hint = f->help ? _(f->help)
			   : f->type == FT_DATE ? _("Format: YYYY-MM-DD (or DD/MM/YYYY)") : NULL;
	const char *req_mark = (f->flags & F_REQUIRED) ? " <span class=\"req\">*</span>" : "";
	struct buf desc = BUF_INIT;
	if (bad)
		buf_printf(&desc, "err-%s", f->name);
	if (hint)
		buf_printf(&desc, "%shelp-%s", bad ? " " : "", f->name);
	char described[160] = "";
	if (desc.len)
		snprintf(described, sizeof described, " aria-describedby=\"%s\"", buf_cstr(&desc));
	buf_release(&desc);
	const char *invalid = bad ? " aria-invalid=\"true\"" : "";
	char tmp[32];
	if (f->type == FT_I18N) {
		buf_printf(b, "<fieldset class=\"field i18n\"%s><legend>%s%s</legend>", described, _(f->label), req_mark);
		json_t *t = json_object_get(vals, f->name);
		for (int l = 0; l < LANG__MAX; l++) {
			json_t *s = json_object_get(t, lang_code[l]);
			buf_printf(b, "<div class=\"lang-input\"><label for=\"in-%s-%s\">%s</label>", f->name, lang_code[l], lang_native[l]);
			if (f->flags & F_LONG)
				buf_printf(b, "<textarea id=\"in-%s-%s\" name=\"%s.%s\" lang=\"%s\" dir=\"%s\" rows=\"4\"%s>",
					   f->name, lang_code[l], f->name, lang_code[l], lang_code[l], lang_rtl(l) ? "rtl" : "ltr", invalid);
			else
				buf_printf(b, "<input type=\"text\" id=\"in-%s-%s\" name=\"%s.%s\" lang=\"%s\" dir=\"%s\"%s value=\"",
					   f->name, lang_code[l], f->name, lang_code[l], lang_code[l], lang_rtl(l) ? "rtl" : "ltr", invalid);
			buf_html(b, json_string_value(s));
			buf_adds(b, (f->flags & F_LONG) ? "</textarea></div>" : "\"></div>");
		}
	} else {
		buf_printf(b, "<div class=\"field\"><label for=\"in-%s\">%s%s</label>", f->name, _(f->label), req_mark);
		const char *v = input_text(vals, f, tmp, sizeof tmp);
		switch (f->type) {
		case FT_ENUM:
			buf_printf(b, "<select id=\"in-%s\" name=\"%s\"%s%s>", f->name, f->name, described, invalid);
			if (!(f->flags & F_REQUIRED) && !f->def)
				option_not_set(req, b);
			for (const char *const *o = f->values; *o; o++) {
				bool sel = v ? strcmp(v, *o) == 0 : (f->def && strstr(f->def, *o));
				buf_printf(b, "<option value=\"%s\"%s>%s</option>", *o, sel ? " selected" : "", ent_value_label(req->lang, f, *o));
			}
			buf_adds(b, "</select>");
			break;
		case FT_REF:
		case FT_REFS:
			ref_control(req, b, f, vals, v, described, invalid);
			break;
		case FT_BOOL: {
			json_t *j = json_object_get(vals, f->name);
			bool on = json_is_true(j) || (!j && f->def && strcmp(f->def, "1") == 0);
			buf_printf(b, "<input type=\"checkbox\" id=\"in-%s\" name=\"%s\" value=\"true\"%s%s>", f->name, f->name, on ? " checked" : "", described);
			break;
		}
		default: {
			/* an amount is text: "250 000,00" is no number to a browser */
			bool number = f->type == FT_INT && !(f->flags & F_MONEY);
			const char *type = number ? "number" : (f->flags & F_MONEY) ? "text\" inputmode=\"decimal" : "text";
			buf_printf(b, "<input type=\"%s\" id=\"in-%s\" name=\"%s\"%s%s%s value=\"", type, f->name, f->name,
				   (f->flags & F_REQUIRED) ? " required" : "", described, invalid);
			buf_html(b, v ? v : "");
			buf_adds(b, "\">");
		}
		}
	}
	if (hint)
		buf_printf(b, "<p class=\"help\" id=\"help-%s\">%s</p>", f->name, hint);
	field_error(req, b, errs, f->name);
	buf_adds(b, f->type == FT_I18N ? "</fieldset>" : "</div>");
}

/* The form to create (key NULL) or edit a record, with vals filled in and
 * the errors of the last attempt shown beside their fields. */
static void form_page(struct request *req, struct response *resp, const struct entity *e,
		      const char *key, json_t *vals, long long version, const struct ferrs *errs,
		      const char *problem)
{
	struct buf *b = &resp->body;
	buf_reset(b);
	const char *title = key ? _("Edit") : _("New");
	char *full = xasprintf("%s — %s", title, tr(req->lang, e->label));
	page_begin(req, resp, full);
	buf_printf(b, "<p class=\"crumbs\"><a href=\"/%s\">%s</a></p><h1>", e->plural, _(e->label_plural));
	buf_html(b, full);
	buf_adds(b, "</h1>");
	free(full);
	if (problem || errs->n) {
		buf_printf(b, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus><p>%s</p><ul>",
			   problem ? problem : _("Some fields are not valid."));
		for (size_t i = 0; i < errs->n; i++) {
			const struct field *f = ent_field(e, errs->a[i].field);
			struct buf m = BUF_INIT;
			ferrs_message(errs, i, req->lang, &m);
			buf_printf(b, "<li><a href=\"#in-%s%s\">", errs->a[i].field, f && f->type == FT_I18N ? "-fr" : "");
			buf_html(b, f ? _(f->label) : errs->a[i].field);
			buf_adds(b, "</a>");
			buf_adds(b, _(": "));
			buf_html(b, buf_cstr(&m));
			buf_adds(b, "</li>");
			buf_release(&m);
		}
		buf_adds(b, "</ul></div>");
	}
	buf_printf(b, "<form method=\"post\" class=\"record-form\" action=\"/%s/", e->plural);
	if (key) {
		buf_html(b, key);
		buf_adds(b, "/edit");
	} else {
		buf_adds(b, "new");
	}
	buf_adds(b, "\" novalidate>");
	if (key)
		buf_printf(b, "<input type=\"hidden\" name=\"_version\" value=\"%lld\">", version);
	page_csrf_field(req, b);
	for (int i = 0; i < e->nfields; i++)
		if (editable(e, &e->fields[i], key == NULL))
			form_field(req, b, &e->fields[i], vals, errs);
	buf_printf(b, "<div class=\"field actions\"><button type=\"submit\">%s</button> <a href=\"/%s\">%s</a></div></form>",
		   _("Save"), e->plural, _("Cancel"));
	page_end(req, resp);
}

static bool form_body(struct request *req, struct args *form)
{
	const char *ct = req->header(req, "Content-Type");
	if (!ct || !util_prefix_ci(ct, "application/x-www-form-urlencoded"))
		return false;
	args_parse_form(form, req->body, req->body_len);
	return true;
}

static void record_url(struct buf *b, const struct entity *e, const char *key)
{
	buf_printf(b, "/%s/", e->plural);
	buf_url(b, key);
}

static void submit_form(struct request *req, struct response *resp, const struct entity *e,
			const char *key)
{
	struct args form = { 0 };
	if (!form_body(req, &form)) {
		page_error(req, resp, 415, "This form was not sent as a web form.");
		return;
	}
	json_t *vals = form_to_json(e, &form, key == NULL, req->lang);
	struct ferrs errs = { 0 };
	struct buf newkey = BUF_INIT;
	long long version = -1;
	if (key && !util_parse_ll(args_get(&form, "_version") ? args_get(&form, "_version") : "", &version))
		version = -1;
	enum app_err rc = key ? dom_update(req->app, e, key, vals, version, &req->who, &errs)
			      : dom_create(req->app, e, vals, REC_CREATE, &req->who, &newkey, &errs);
	if (!rc) {
		struct buf url = BUF_INIT;
		record_url(&url, e, key ? key : buf_cstr(&newkey));
		buf_adds(&url, "?saved=1");
		page_redirect(resp, buf_cstr(&url));
		buf_release(&url);
	} else if (rc == APP_NOT_FOUND) {
		page_error(req, resp, 404, "No such record.");
	} else if (rc == APP_FORBIDDEN || rc == APP_METHOD) {
		page_error(req, resp, 403, "Your role may not do this.");
	} else {
		const char *problem = rc == APP_PRECONDITION ? _("Someone else changed this record since you opened it. Reload it to see their change, then make yours again.")
				    : rc == APP_CONFLICT && !errs.n ? _("A record with this key already exists.")
				    : rc == APP_CONFLICT ? NULL /* the fields say which values another record has */
				    : rc == APP_LOCKED ? NULL  /* the date's field says which lock holds it */
				    : rc == APP_INVALID ? NULL
				    : page_db_problem(req, rc);
		resp->status = err_status(rc);
		form_page(req, resp, e, key, vals, version, &errs, problem);
	}
	buf_release(&newkey);
	ferrs_release(&errs);
	json_decref(vals);
	args_release(&form);
}

static void edit_page(struct request *req, struct response *resp, const struct entity *e,
		      const char *key)
{
	struct buf cur = BUF_INIT;
	long long version;
	enum app_err rc = dom_get_json(req->app, e, key, &req->who, &cur, &version);
	if (rc) {
		buf_release(&cur);
		page_error(req, resp, rc == APP_NOT_FOUND ? 404 : 503, rc == APP_NOT_FOUND ? "No such record." : "The database is not available; try again shortly.");
		return;
	}
	json_t *vals = json_loadb(cur.data, cur.len, 0, NULL);
	struct ferrs errs = { 0 };
	form_page(req, resp, e, key, vals, version, &errs, NULL);
	json_decref(vals);
	buf_release(&cur);
}

static void new_page(struct request *req, struct response *resp, const struct entity *e)
{
	/* Links such as /actions/new?outcome=3 preset fields. */
	json_t *vals = form_to_json(e, &req->query, true, req->lang);
	/* a focal point's records of a scoped collection are its country's */
	if (e->scope && req->who.role == ROLE_FOCAL && !json_is_string(json_object_get(vals, e->scope)))
		json_object_set_new(vals, e->scope, json_string(req->who.country));
	struct ferrs errs = { 0 };
	form_page(req, resp, e, NULL, vals, 0, &errs, NULL);
	json_decref(vals);
}

static void delete_record(struct request *req, struct response *resp, const struct entity *e,
			  const char *key)
{
	struct args form = { 0 };
	form_body(req, &form);
	long long version = -1;
	const char *v = args_get(&form, "_version");
	if (!v || !util_parse_ll(v, &version))
		version = -1;
	struct buf why = BUF_INIT;
	/* a document's file goes with its row (docs.c) */
	enum app_err rc = e->upload ? docs_delete(req, key, version, &why)
				    : dom_delete(req->app, e, key, version, &req->who, &why);
	if (!rc) {
		char *url = xasprintf("/%s?deleted=1", e->plural);
		page_redirect(resp, url);
		free(url);
	} else if (rc == APP_CONFLICT) {
		resp->status = 409;
		char *msg = xasprintf("%s %s", _("This record cannot be deleted: other records refer to it:"), buf_cstr(&why));
		struct buf esc = BUF_INIT;
		buf_html(&esc, msg);
		detail_page(req, resp, e, key, buf_cstr(&esc));
		buf_release(&esc);
		free(msg);
	} else if (rc == APP_LOCKED) {
		resp->status = 409;
		struct buf msg = BUF_INIT, day = BUF_INIT;
		page_date(&day, req->lang, buf_cstr(&why));
		buf_printf(&msg, _("This record falls in a period locked as of %s: an administrator unlocks it."),
			   buf_cstr(&day));
		detail_page(req, resp, e, key, buf_cstr(&msg));
		buf_release(&day);
		buf_release(&msg);
	} else if (rc == APP_FORBIDDEN || rc == APP_METHOD) {
		page_error(req, resp, 403, "Your role may not do this.");
	} else if (rc == APP_PRECONDITION) {
		resp->status = 412;
		detail_page(req, resp, e, key, _("Someone else changed this record since you opened it. Reload it to see their change, then make yours again."));
	} else {
		page_error(req, resp, err_status(rc), rc == APP_NOT_FOUND ? "No such record."
			   : err_message(err_db_failure(rc)));
	}
	buf_release(&why);
	args_release(&form);
}

/* ---- the handlers the route table names ----------------------------------------- */

/* GET /healthz, for load balancers and monitors: it asks the database. */
void web_health(struct request *req, struct response *resp)
{
	const char *why;
	if (store_health(req->app->store, &why)) {
		resp->status = 503;
		resp_header(resp, "Retry-After", "5");
		buf_printf(&resp->body, "unavailable: %s\n", why);
	} else {
		buf_adds(&resp->body, "ok\n");
	}
}

/* The pages of every collection (req->entity, which the route table found
 * and checked the reader may read, and for the writing routes write). */
void web_list(struct request *req, struct response *resp)
{
	list_page(req, resp, req->entity);
}

void web_new(struct request *req, struct response *resp)
{
	new_page(req, resp, req->entity);
}

void web_create(struct request *req, struct response *resp)
{
	submit_form(req, resp, req->entity, NULL);
}

void web_detail(struct request *req, struct response *resp)
{
	detail_page(req, resp, req->entity, req_param(req, "key"),
		    args_get(&req->query, "saved") ? _("Saved.")
		    : args_get(&req->query, "restored") ? _("Restored.") : NULL);
}

void web_edit(struct request *req, struct response *resp)
{
	edit_page(req, resp, req->entity, req_param(req, "key"));
}

void web_update(struct request *req, struct response *resp)
{
	submit_form(req, resp, req->entity, req_param(req, "key"));
}

void web_delete(struct request *req, struct response *resp)
{
	delete_record(req, resp, req->entity, req_param(req, "key"));
}
