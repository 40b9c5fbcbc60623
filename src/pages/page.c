/* page.c — see page.h. */
#define _POSIX_C_SOURCE 200809L
#include "page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "assets.h"
#include "domain.h"
#include "menu.h"
#include "money.h"
#include "store.h"
#include "util.h"
#include "xalloc.h"
#include "xlsx_export.h"
#include "banned.h"

static void lang_switch(struct request *req, struct buf *b)
{
	buf_printf(b, "<nav class=\"langs\" aria-label=\"%s\"><ul>", _("Language"));
	for (int l = 0; l < LANG__MAX; l++) {
		if ((enum lang)l == req->lang) {
			buf_printf(b, "<li><span aria-current=\"true\" lang=\"%s\">%s</span></li>",
				   lang_code[l], lang_native[l]);
			continue;
		}
		buf_printf(b, "<li><a href=\"/lang?set=%s&amp;back=", lang_code[l]);
		struct buf back = BUF_INIT, here = BUF_INIT;
		req_url(req, &here);
		buf_url(&back, buf_cstr(&here));
		buf_release(&here);
		buf_html(b, buf_cstr(&back));
		buf_release(&back);
		buf_printf(b, "\" lang=\"%s\" hreflang=\"%s\">%s</a></li>", lang_code[l], lang_code[l],
			   lang_native[l]);
	}
	buf_adds(b, "</ul></nav>");
}

void page_csrf_field(struct request *req, struct buf *out)
{
	buf_adds(out, "<input type=\"hidden\" name=\"_csrf\" value=\"");
	buf_html(out, req->who.csrf);
	buf_adds(out, "\">");
}

/* Who is signed in, the account page and signing out; or a link to sign in. */
static void user_menu(struct request *req, struct buf *b)
{
	buf_printf(b, "<div class=\"user\">");
	if (req->who.role == ROLE_PUBLIC) {
		buf_printf(b, "<a href=\"/login\">%s</a></div>", _("Sign in"));
		return;
	}
	buf_adds(b, "<a href=\"/account\">");
	buf_html(b, req->who.name);
	buf_printf(b, " <span class=\"role\">(%s)</span></a> ", tr(req->lang, role_name[req->who.role]));
	if (!req->who.bearer) {
		buf_adds(b, "<form method=\"post\" action=\"/logout\" class=\"inline\">");
		page_csrf_field(req, b);
		buf_printf(b, "<button type=\"submit\" class=\"link\">%s</button></form>", _("Sign out"));
	}
	buf_adds(b, "</div>");
}

static const char *static_url(const char *file)
{
	char name[64];
	snprintf(name, sizeof name, "static/%s", file);
	return asset_url(name);
}

void page_css(struct buf *b, const char *file)
{
	buf_printf(b, "<link rel=\"stylesheet\" href=\"%s\">", static_url(file));
}

void page_js(struct buf *b, const char *file)
{
	buf_printf(b, "<script src=\"%s\"></script>", static_url(file));
}

void page_head_links(struct buf *b, const char *css)
{
	page_css(b, css);
	buf_printf(b, "<link rel=\"icon\" href=\"%s\" type=\"image/svg+xml\">", static_url("favicon.svg"));
}

void page_begin(struct request *req, struct response *resp, const char *title)
{
	struct buf *b = &resp->body;
	resp->content_type = "text/html; charset=utf-8";
	if (!resp->status)
		resp->status = 200;
	buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\"><head><meta charset=\"utf-8\">"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>",
		   lang_code[req->lang], lang_rtl(req->lang) ? "rtl" : "ltr");
	buf_html(b, title);
	buf_adds(b, " — suivi</title>");
	page_head_links(b, "style.css");
	buf_adds(b, "</head><body>");
	/* the partnership's name beside a neutral mark (the UN emblem needs an authorisation) */
	buf_printf(b, "<a class=\"skip\" href=\"#main\">%s</a><header class=\"top\">"
		      "<a class=\"brand\" href=\"/\"><img src=\"%s\" alt=\"\" width=\"28\" height=\"28\">"
		      "<span>suivi<small>%s</small></span></a>",
		   _("Skip to content"), static_url("favicon.svg"), _("Morocco – UNOCT partnership for Africa"));
	menu_html(b, req->lang, req->who.role, req->path);
	lang_switch(req, b);
	user_menu(req, b);
	buf_adds(b, "</header><main id=\"main\">");
}

void page_end(struct request *req, struct response *resp)
{
	buf_printf(&resp->body, "</main><footer><p>%s · <a href=\"/api/v1/\">API</a> · "
				"<a href=\"/api/v1/openapi.json\">OpenAPI</a></p></footer></body></html>\n",
		   _("suivi — follow-up of the strategic dialogue and of the partnership for Africa"));
}

void page_redirect(struct response *resp, const char *location)
{
	resp->status = 303;
	resp_header(resp, "Location", location);
	resp->content_type = "text/plain; charset=utf-8";
	buf_adds(&resp->body, "See Other\n");
}

void page_date(struct buf *out, enum lang lang, const char *iso)
{
	struct buf words = BUF_INIT;
	if (!i18n_date(&words, lang, iso)) {
		buf_html(out, iso);
	} else {
		buf_printf(out, "<time datetime=\"%.10s\">", iso);
		buf_html(out, buf_cstr(&words));
		buf_adds(out, "</time>");
	}
	buf_release(&words);
}

const char *page_i18n(const struct row *row, int col, enum lang lang, enum lang *shown)
{
	return row_i18n(row, col, lang, shown);
}

void page_text_cut(struct buf *out, const char *s, size_t max)
{
	size_t i = util_utf8_chars(s, max);
	char *cut = xstrndup(s, i);
	buf_html(out, cut);
	if (s[i])
		buf_adds(out, "…");
	free(cut);
}

void page_i18n_html(struct buf *out, const struct row *row, int col, enum lang lang, size_t max)
{
	enum lang shown = lang;
	const char *s = page_i18n(row, col, lang, &shown);
	if (!s)
		return;
	if (shown != lang)
		buf_printf(out, "<span lang=\"%s\" dir=\"%s\">", lang_code[shown],
			   lang_rtl(shown) ? "rtl" : "ltr");
	if (max)
		page_text_cut(out, s, max);
	else
		buf_html(out, s);
	if (shown != lang)
		buf_adds(out, "</span>");
}

struct label_reader page_reader(const struct request *req, enum label_mode mode)
{
	return (struct label_reader){ .lang = req->lang, .role = req->who.role, .mode = mode };
}

void page_label(struct request *req, struct buf *out, const struct entity *e, const struct row *row)
{
	struct label_reader r = page_reader(req, LABEL_HTML);
	label_own(out, &r, e, row);
}

/* A link to record key of e, named label (HTML), or "#key" without one. */
static void ref_html(struct buf *out, const struct entity *e, const char *key, const char *label)
{
	if (!label) { /* its number only: no name, no link */
		buf_addc(out, '#');
		buf_html(out, key);
		return;
	}
	buf_printf(out, "<a href=\"/%s/", e->plural);
	buf_html(out, key);
	buf_adds(out, "\">");
	buf_adds(out, label);
	buf_adds(out, "</a>");
}

struct refs_ctx {
	struct buf *out;
	const struct entity *e;
	const char *comma;
	int n;
};

static void ref_each(void *ctx, const char *key, const char *label)
{
	struct refs_ctx *r = ctx;
	if (r->n++)
		buf_adds(r->out, r->comma);
	ref_html(r->out, r->e, key, label);
}

void page_ref_html(struct request *req, struct buf *out, const struct field *f, const struct row *row)
{
	struct label_reader r = page_reader(req, LABEL_HTML);
	if (f->type == FT_REFS) {
		struct refs_ctx c = { .out = out, .e = f->target, .comma = _(", ") };
		label_refs(&r, f, row, ref_each, &c);
		return;
	}
	const char *key = row_text(row, f->col);
	if (!key)
		return;
	struct buf label = BUF_INIT;
	ref_html(out, f->target, key, label_ref(&label, &r, f, row) ? buf_cstr(&label) : NULL);
	buf_release(&label);
}

bool page_key_in(const char *key, const char *list)
{
	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ",");
		if (strlen(key) == n && strncmp(p, key, n) == 0)
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

#define SORT_PREFIX 32 /* bytes of a label that its sort key is made of */

struct option {
	char *key, *label;
	char *sort; /* its label's sort key in the reader's language */
	bool twin;  /* another option reads the same */
	bool later; /* in the second group (entity.pick_first false) */
};

struct options_ctx {
	struct label_reader r;
	const struct entity *e;
	const struct field *first; /* e's pick_first, or NULL */
	struct option *a;
	size_t n;
};

/* Adds the option of record key named text (which it takes). */
static void option_add(struct options_ctx *o, const char *key, char *text)
{
	o->a = xrealloc(o->a, (o->n + 1) * sizeof *o->a);
	/* its first characters decide (collation keys are dear to make); the
	 * whole label breaks ties */
	char *head = xstrndup(text, util_utf8_prefix(text, SORT_PREFIX));
	o->a[o->n++] = (struct option){ .key = xstrdup(key), .label = text, .sort = i18n_sort_key(o->r.lang, head) };
	free(head);
}

static enum app_err option_row(void *ctx, const struct row *row)
{
	struct options_ctx *o = ctx;
	struct buf label = BUF_INIT;
	label_own(&label, &o->r, o->e, row);
	option_add(o, row_text(row, ent_keyfield(o->e)->col), buf_detach(&label));
	o->a[o->n - 1].later = o->first && !row_int(row, o->first->col);
	return APP_OK;
}

static int by_label(const void *a, const void *b)
{
	const struct option *x = *(struct option *const *)a, *y = *(struct option *const *)b;
	int c = (x->later > y->later) - (x->later < y->later);
	if (!c)
		c = strcmp(x->sort, y->sort);
	return c ? c : strcmp(x->label, y->label);
}

/* The options in the order of their labels (as the reader's language
 * sorts them), those that read alike marked. */
static struct option **by_labels(struct options_ctx *o)
{
	struct option **sorted = xcalloc(o->n ? o->n : 1, sizeof *sorted);
	for (size_t i = 0; i < o->n; i++)
		sorted[i] = &o->a[i];
	qsort(sorted, o->n, sizeof *sorted, by_label);
	for (size_t i = 1; i < o->n; i++)
		if (strcmp(sorted[i - 1]->label, sorted[i]->label) == 0)
			sorted[i - 1]->twin = sorted[i]->twin = true;
	return sorted;
}

/* The selected records that q's first rows left out, so that a form sent
 * back keeps them (a set of references beyond the options' limit). */
static void add_selected(struct request *req, struct options_ctx *o, const char *selected)
{
	for (const char *p = selected; p && *p;) {
		size_t n = strcspn(p, ",");
		char *key = xstrndup(p, n);
		bool listed = false;
		for (size_t i = 0; i < o->n && !listed; i++)
			listed = strcmp(o->a[i].key, key) == 0;
		enum app_err rc = listed ? APP_OK : dom_get_row(req->app, o->e, key, &req->who, LABELS_OWN, option_row, o);
		/* A record gone or out of the reader's sight is no option (as
		 * before); one the database could not read stays selected,
		 * named by its number, so that the form sent back keeps it. */
		if (rc != APP_OK && rc != APP_NOT_FOUND) {
			struct buf label = BUF_INIT;
			buf_printf(&label, "#%s", key);
			option_add(o, key, buf_detach(&label));
		}
		free(key);
		p += n + (p[n] == ',');
	}
}

/* Opens the group of options (closing the one before it, after the first). */
static void option_group(struct request *req, struct buf *out, const struct entity *e, size_t i, bool later)
{
	if (i)
		buf_adds(out, "</optgroup>");
	buf_adds(out, "<optgroup label=\"");
	buf_html(out, _(e->pick_groups[later]));
	buf_adds(out, "\">");
}

void page_options(struct request *req, struct buf *out, struct query *q, const char *selected)
{
	const struct field *first = !q->sort ? q->e->pick_first_field : NULL;
	struct options_ctx o = { .r = page_reader(req, LABEL_TEXT), .e = q->e, .first = first };
	q->labels = LABELS_OWN;
	q->lang = req->lang;
	/* The records in the entity's order (cheap whatever the table's size:
	 * its first rows by an index), then sorted here by their labels, unless
	 * the caller chose an order (the newest first). */
	if (store_list(req->app->store, q, NULL, option_row, &o) != APP_OK)
		o.n = 0; /* a partial list would read as all there is */
	add_selected(req, &o, selected);
	struct option **sorted = by_labels(&o);
	bool rtl = lang_rtl(req->lang);
	for (size_t i = 0; i < o.n; i++) {
		const struct option *opt = q->sort ? &o.a[i] : sorted[i];
		if (first && (i == 0 || opt->later != sorted[i - 1]->later))
			option_group(req, out, q->e, i, opt->later);
		buf_adds(out, "<option value=\"");
		buf_html(out, opt->key);
		buf_printf(out, "\"%s>", page_key_in(opt->key, selected) ? " selected" : "");
		buf_html(out, opt->label);
		if (opt->twin) { /* its number tells it from its namesakes */
			buf_adds(out, rtl ? " (\xe2\x81\xa8#" : " (#");
			buf_html(out, opt->key);
			buf_adds(out, rtl ? "\xe2\x81\xa9)" : ")");
		}
		buf_adds(out, "</option>");
	}
	if (first && o.n)
		buf_adds(out, "</optgroup>");
	for (size_t i = 0; i < o.n; i++) {
		free(o.a[i].key);
		free(o.a[i].label);
		free(o.a[i].sort);
	}
	free(o.a);
	free(sorted);
}

struct query page_query_int(const struct entity *e, const struct field *f, long long v, long long limit)
{
	struct query q = { .e = e, .limit = limit, .nfilters = 1 };
	q.filters[0].f = f;
	q.filters[0].value = (struct dbparam){ .type = DBP_INT, .i = v };
	return q;
}

void page_options_all(struct request *req, struct buf *out, const struct entity *e, const char *selected)
{
	struct query q;
	dom_query_init(&q, e, &req->who);
	q.limit = 1000;
	page_options(req, out, &q, selected);
	dom_query_release(&q);
}

void page_map_words(struct request *req, struct map_legend *lg)
{
	lg->note = NULL; /* page_map_notes: in the page's text, readable on a phone */
	lg->eh_name = _("Western Sahara");
	lg->rtl = lang_rtl(req->lang);
}

const char *const page_map_note_msgids[3] = {
	N_("The boundaries and names shown and the designations used on this map do not imply official endorsement or acceptance by the United Nations."),
	N_("Dashed line represents the boundary between Morocco and Western Sahara, a Non-Self-Governing Territory, which has not yet been determined."),
	N_("Final boundary between the Republic of Sudan and the Republic of South Sudan has not yet been determined. Final status of the Abyei area is not yet determined."),
};

void page_map_notes(struct request *req, struct buf *b)
{
	buf_printf(b, "<p class=\"map-notes\"><small>%s %s %s</small></p>", _(page_map_note_msgids[0]),
		   _(page_map_note_msgids[1]), _(page_map_note_msgids[2]));
}

struct name_ctx {
	struct request *req;
	const struct entity *e;
	struct buf label;
};

static enum app_err name_row(void *ctx, const struct row *row)
{
	struct name_ctx *n = ctx;
	page_label(n->req, &n->label, n->e, row);
	return APP_OK;
}

/* The label of record key of e as the reader sees it (HTML), in n->label;
 * false when it may not see it. */
static bool ref_label(struct request *req, const struct entity *e, const char *key, struct name_ctx *n)
{
	*n = (struct name_ctx){ .req = req, .e = e };
	return ent_can_read(e, req->who.role) &&
	       dom_get_row(req->app, e, key, &req->who, LABELS_OWN, name_row, n) == APP_OK;
}

void page_ref_link(struct request *req, struct buf *out, const struct entity *e, const char *key)
{
	struct name_ctx n;
	ref_html(out, e, key, ref_label(req, e, key, &n) ? buf_cstr(&n.label) : NULL);
	buf_release(&n.label);
}

void page_ref_holder(struct request *req, struct buf *out, const struct entity *e, const char *key)
{
	if (ent_can_read(e, req->who.role)) {
		page_ref_link(req, out, e, key);
		return;
	}
	/* the name as the office reads it, without the link the reader may not follow */
	struct request office = *req;
	office.who = (struct principal){ .role = ROLE_OFFICER };
	page_ref_name(&office, out, e, key);
}

void page_ref_name(struct request *req, struct buf *out, const struct entity *e, const char *key)
{
	struct name_ctx n;
	if (ref_label(req, e, key, &n)) {
		buf_add(out, n.label.data, n.label.len);
	} else {
		buf_addc(out, '#');
		buf_html(out, key);
	}
	buf_release(&n.label);
}

void page_table_begin(struct buf *b, const struct page_table *t)
{
	if (t->scroll)
		buf_adds(b, t->landscape ? "<div class=\"scroll landscape\">" : "<div class=\"scroll\">");
	buf_adds(b, "<table");
	if (t->cls)
		buf_printf(b, " class=\"%s\"", t->cls);
	buf_addc(b, '>');
	if (t->caption)
		buf_printf(b, "<caption%s>%s</caption>", t->sr_caption ? " class=\"sr-only\"" : "", t->caption);
	buf_adds(b, "<thead><tr>");
	for (size_t i = 0; i < sizeof t->cols / sizeof *t->cols && t->cols[i]; i++)
		buf_printf(b, "<th scope=\"col\">%s</th>", t->cols[i]);
	buf_adds(b, "</tr></thead><tbody>");
}

void page_table_end(struct buf *b, const struct page_table *t)
{
	buf_adds(b, t->scroll ? "</tbody></table></div>" : "</tbody></table>");
}

void page_rows_add(struct page_rows *r)
{
	if (r->n++)
		return;
	r->start = r->b->len;
	if (r->table)
		page_table_begin(r->b, r->table);
}

struct buf *page_rows_link(struct page_rows *r, const char *collection, long long id)
{
	page_rows_add(r);
	buf_printf(r->b, "<tr><th scope=\"row\"><a href=\"/%s/%lld\">", collection, id);
	return r->b;
}

struct buf *page_rows_named(struct page_rows *r, const char *collection, long long id, const struct row *row, int col,
			    size_t max)
{
	struct buf *b = page_rows_link(r, collection, id);
	page_i18n_html(b, row, col, r->req->lang, max);
	buf_adds(b, "</a></th>");
	return b;
}

void page_rows_end(struct page_rows *r, const char *none)
{
	if (!r->n)
		buf_printf(r->b, "<p>%s</p>", none);
	else if (r->table)
		page_table_end(r->b, r->table);
}

void page_rows_finish(struct page_rows *r, enum app_err rc, const char *none)
{
	if (!rc) {
		page_rows_end(r, none);
		return;
	}
	if (r->n) { /* back to where b stood before the first row (buf keeps its NUL) */
		r->b->len = r->start;
		r->b->data[r->start] = '\0';
	}
	page_part_failed(r->req, r->b, rc);
}

const char *page_enum_label(enum lang lang, const char *value)
{
	return tr(lang, value);
}

const char *page_db_problem(const struct request *req, enum app_err rc)
{
	return _(err_message(err_db_failure(rc)));
}

void page_progress(struct request *req, struct buf *b, long long pct, const char *label)
{
	buf_printf(b, "<progress max=\"100\" value=\"%lld\" aria-label=\"", pct);
	buf_html(b, label);
	buf_adds(b, "\">");
	num_percent(b, req->lang, pct, 0); /* inside <progress>: text, no markup */
	buf_adds(b, "</progress> ");
	num_percent_html(b, req->lang, pct, 0);
}

bool page_part_failed(struct request *req, struct buf *b, enum app_err rc)
{
	if (rc == APP_OK)
		return false;
	req->part_failed = true; /* such a page is not kept (kept.h) */
	buf_printf(b, "<p class=\"error\" role=\"alert\">%s</p>", page_db_problem(req, rc));
	return true;
}

void page_error_back(struct request *req, struct response *resp, int status, const char *msgid, const char *back,
		     const char *back_msgid)
{
	buf_reset(&resp->body);
	resp->status = status;
	page_begin(req, resp, _(msgid));
	buf_printf(&resp->body, "<h1>%s</h1><p><a href=\"%s\">%s</a></p>", _(msgid), back, _(back_msgid));
	page_end(req, resp);
}

void page_error(struct request *req, struct response *resp, int status, const char *msgid)
{
	page_error_back(req, resp, status, msgid, "/", N_("Home"));
}

void page_error_rc(struct request *req, struct response *resp, enum app_err rc)
{
	if (rc == APP_NOT_FOUND) {
		page_error(req, resp, 404, "No such record.");
		return;
	}
	if (rc == APP_LOCKED) { /* (store_lock.h) */
		page_error(req, resp, 409, N_("This falls in a locked period: an administrator unlocks it first."));
		return;
	}
	enum app_err db = err_db_failure(rc);
	page_error(req, resp, err_status(db), err_message(db));
}

void page_origin(const struct request *req, struct buf *out)
{
	const char *host = req->header((struct request *)req, "Host");
	if (host && strlen(host) < 256 && !strpbrk(host, "/\\ \"<>'&"))
		buf_printf(out, "%s%s", req->tls ? "https://" : "http://", host);
}

void page_file_answer(struct request *req, struct response *resp, enum app_err rc, const char *none_msgid,
		     const char *name)
{
	if (rc || none_msgid) {
		buf_reset(&resp->body);
		if (rc)
			page_error_rc(req, resp, rc);
		else
			page_error(req, resp, 404, none_msgid);
		return;
	}
	resp->status = 200;
	bool pdf = util_ends_with(name, ".pdf");
	resp->content_type = pdf ? "application/pdf" : XLSX_CONTENT_TYPE;
	char *cd = xasprintf("%s; filename=\"%s\"", pdf ? "inline" : "attachment", name);
	resp_header(resp, "Content-Disposition", cd);
	free(cd);
}
