/* deletion.c — deleting asks first, and staff can restore.
 *
 *   GET  /{collection}/{key}/delete  the confirmation: the record by its label, what
 *                                    goes with it and what stops its deletion, and
 *                                    the form that POSTs to the same address (web.c)
 *   POST /audit/{id}/restore         re-creates the record an audit entry's deletion
 *                                    names (the audit record page's "Restore")
 *
 * What goes and what stops come from the registry as the schema holds it
 * (store.c's DDL): a record's own sets of references are link rows with
 * ON DELETE CASCADE, so they go with it (the records they name stay);
 * every reference to it — another record's column or set, an account —
 * has no ON DELETE, so it stops the deletion (store_referrers). */
#include "deletion.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "domain.h"
#include "money.h"
#include "page.h"
#include "store.h"
#include "xalloc.h"
#include "banned.h"

#define NAMES_SHOWN 5 /* the records of a kind named on the page; the rest are counted */

/* A link to the record key of e named by label (HTML; NULL: the reader
 * may not see it, and it is counted only). */
static void record_link(struct buf *b, const struct entity *e, const char *key, const char *label)
{
	buf_printf(b, "<a href=\"/%s/", e->plural);
	buf_html(b, key);
	buf_adds(b, "\">");
	buf_adds(b, label);
	buf_adds(b, "</a>");
}

/* ---- the confirmation ------------------------------------------------------------------ */

/* A kind of record that stops the deletion (store_referrers). */
struct blocker {
	const struct entity *o; /* NULL: accounts */
	const struct field *f;
	const char *plural;
	long long n;
};

struct blockers {
	struct blocker *a;
	size_t n;
};

static void blocker_add(void *ctx, const struct entity *o, const struct field *f, const char *plural,
			const char *column, long long n)
{
	(void)column;
	struct blockers *bl = ctx;
	bl->a = xrealloc(bl->a, (bl->n + 1) * sizeof *bl->a);
	bl->a[bl->n++] = (struct blocker){ .o = o, .f = f, .plural = plural, .n = n };
}

/* One kind of record that goes or stops, as an item: what it is, how many,
 * and the first of them (`names`: <li>s, `shown` of them), the others counted. */
static void kind_item(struct request *req, struct buf *b, const char *what, const char *field, long long n,
		      const struct buf *names, long long shown)
{
	buf_printf(b, "<li><strong>%s</strong>", what);
	if (field)
		buf_printf(b, " — %s", field);
	buf_adds(b, " <span class=\"count\">(");
	num_html(b, req->lang, n);
	buf_adds(b, ")</span>");
	if (names->len || n > shown) {
		buf_adds(b, "<ul class=\"names\">");
		buf_add(b, names->data, names->len);
		if (n > shown) {
			buf_adds(b, "<li>");
			char more[NUM_TEXT_MAX];
			buf_printf(b, shown ? _("and %s more") : _("%s that you may not see"),
				   num_text(more, req->lang, n - shown, 0));
			buf_adds(b, "</li>");
		}
		buf_adds(b, "</ul>");
	}
	buf_adds(b, "</li>");
}

struct names_ctx {
	struct request *req;
	const struct entity *e;
	struct buf *b;
	int shown;
};

static enum app_err name_row(void *ctx, const struct row *row)
{
	struct names_ctx *c = ctx;
	c->shown++;
	struct buf label = BUF_INIT;
	page_label(c->req, &label, c->e, row);
	buf_adds(c->b, "<li>");
	record_link(c->b, c->e, row_text(row, ent_keyfield(c->e)->col), buf_cstr(&label));
	buf_adds(c->b, "</li>");
	buf_release(&label);
	return APP_OK;
}

/* The first records of kind k that refer to key and that the reader may
 * see, named; those it may not see are in the count only. */
static void blocker_item(struct request *req, struct buf *b, const struct blocker *k, const char *key)
{
	struct buf names = BUF_INIT;
	struct names_ctx c = { .req = req, .e = k->o, .b = &names };
	if (k->o && ent_can_read(k->o, req->who.role) && field_visible(k->f, req->who.role)) {
		struct query q;
		dom_query_init(&q, k->o, &req->who);
		q.limit = NAMES_SHOWN;
		q.lang = req->lang;
		q.labels = LABELS_OWN;
		dom_filter_key(&q, k->f, key);
		enum app_err rc = store_list(req->app->store, &q, NULL, name_row, &c);
		dom_query_release(&q);
		if (rc) {
			buf_reset(&names);
			buf_adds(&names, "<li>");
			page_part_failed(req, &names, rc);
			buf_adds(&names, "</li>");
			c.shown = k->n; /* nothing to count beside the alert */
		}
	}
	kind_item(req, b, k->o ? _(k->o->label_plural) : _("Accounts"), k->f ? _(k->f->label) : NULL, k->n, &names,
		  c.shown);
	buf_release(&names);
}

/* The record as the confirmation names it, and its own sets of references
 * (the link rows that go with it). */
struct confirm_ctx {
	struct request *req;
	const struct entity *e;
	struct buf title, plain, going;
	long long version;
};

struct set_ctx {
	const struct entity *target;
	struct buf names;
	long long n, shown;
};

static void set_member(void *ctx, const char *key, const char *label)
{
	struct set_ctx *s = ctx;
	s->n++;
	if (s->shown >= NAMES_SHOWN || !label)
		return;
	s->shown++;
	buf_adds(&s->names, "<li>");
	record_link(&s->names, s->target, key, label);
	buf_adds(&s->names, "</li>");
}

static enum app_err confirm_row(void *ctx, const struct row *row)
{
	struct confirm_ctx *c = ctx;
	struct request *req = c->req;
	const struct entity *e = c->e;
	page_label(req, &c->title, e, row);
	struct label_reader text = page_reader(req, LABEL_TEXT), html = page_reader(req, LABEL_HTML);
	label_own(&c->plain, &text, e, row);
	c->version = row_int(row, e->col_version);
	for (int i = 0; i < e->nfields; i++) {
		const struct field *f = &e->fields[i];
		if (f->type != FT_REFS || !field_visible(f, req->who.role))
			continue;
		struct set_ctx s = { .target = f->target };
		label_refs(&html, f, row, set_member, &s);
		if (s.n) /* the set's own name says what they are ("Beneficiary countries") */
			kind_item(req, &c->going, _(f->label), NULL, s.n, &s.names, s.shown);
		buf_release(&s.names);
	}
	return APP_OK;
}

/* The confirmation's form: Delete (POST to this address, with the version
 * read, so that a change made meanwhile is not deleted unseen) or Cancel. */
static void confirm_form(struct request *req, struct buf *b, const struct entity *e, const char *key,
			 long long version)
{
	buf_printf(b, "<form method=\"post\" action=\"/%s/", e->plural);
	buf_html(b, key);
	buf_printf(b, "/delete\" class=\"confirm\"><input type=\"hidden\" name=\"_version\" value=\"%lld\">", version);
	page_csrf_field(req, b);
	buf_printf(b, "<button type=\"submit\" class=\"danger\">%s</button> <a class=\"button secondary\" href=\"/%s/",
		   _("Delete"), e->plural);
	buf_html(b, key);
	buf_printf(b, "\">%s</a></form>", _("Cancel"));
}

static void confirm_body(struct request *req, struct buf *b, struct confirm_ctx *c, const char *key,
			 const struct blockers *bl)
{
	const struct entity *e = c->e;
	if (bl->n) {
		buf_printf(b, "<section class=\"blockers\" aria-labelledby=\"blockers\"><h2 id=\"blockers\">%s</h2><p>%s</p><ul>",
			   _("This record cannot be deleted"),
			   _("Other records refer to it. Change them or delete them first:"));
		for (size_t i = 0; i < bl->n; i++)
			blocker_item(req, b, &bl->a[i], key);
		buf_printf(b, "</ul></section><p><a class=\"button secondary\" href=\"/%s/", e->plural);
		buf_html(b, key);
		buf_printf(b, "\">%s</a></p>", _("Back to the record"));
		return;
	}
	if (c->going.len) {
		buf_printf(b, "<section aria-labelledby=\"going\"><h2 id=\"going\">%s</h2><p>%s</p><ul>", _("What goes with it"),
			   _("Its links to these records are removed with it; the records themselves stay."));
		buf_add(b, c->going.data, c->going.len);
		buf_adds(b, "</ul></section>");
	} else {
		buf_printf(b, "<p>%s</p>", _("No other record refers to it: it goes alone."));
	}
	if (!e->upload) /* a document's file goes for good (docs.c) */
		buf_printf(b, "<p class=\"help\">%s</p>",
			   _("The audit trail keeps the record as it was: staff can restore it from there."));
	confirm_form(req, b, e, key, c->version);
}

/* GET /{collection}/{key}/delete (R_WRITES: the route checked the right). */
void deletion_confirm_page(struct request *req, struct response *resp)
{
	const struct entity *e = req->entity;
	const char *key = req_param(req, "key");
	struct confirm_ctx c = { .req = req, .e = e };
	struct blockers bl = { 0 };
	enum app_err rc = dom_get_row(req->app, e, key, &req->who, LABELS_ALL, confirm_row, &c);
	if (!rc) /* every record that refers to it, whoever may see them: they all stop it */
		rc = store_referrers(req->app->store, e, key, blocker_add, &bl);
	if (rc) {
		page_error_rc(req, resp, rc);
	} else {
		struct buf *b = &resp->body;
		char *title = xasprintf("%s %s", _("Delete:"), buf_cstr(&c.plain));
		page_begin(req, resp, title);
		free(title);
		buf_printf(b, "<p class=\"crumbs\"><a href=\"/%s\">%s</a> › <a href=\"/%s/", e->plural,
			   _(e->label_plural), e->plural);
		buf_html(b, key);
		buf_adds(b, "\">");
		buf_add(b, c.title.data, c.title.len);
		buf_printf(b, "</a></p><h1>%s</h1><p class=\"record-name\"><strong>", _("Delete this record?"));
		buf_add(b, c.title.data, c.title.len);
		buf_printf(b, "</strong> <span class=\"meta\">(%s)</span></p>", _(e->label));
		confirm_body(req, b, &c, key, &bl);
		page_end(req, resp);
	}
	free(bl.a);
	buf_release(&c.title);
	buf_release(&c.plain);
	buf_release(&c.going);
}

/* ---- restoring --------------------------------------------------------------------------- */

static const char *deletion_problem(const struct request *req, const struct dom_deletion *d)
{
	switch (d->state) {
	case DEL_EXISTS:
		return _("The record exists again: there is nothing to restore.");
	case DEL_SUPERSEDED:
		return _("The record was restored and deleted again since: its latest deletion restores it.");
	case DEL_CANNOT:
		return _("A document cannot be restored: its file was deleted with it. Upload it again.");
	case DEL_NOT_DELETION:
		return _("This audit entry records no deletion.");
	default:
		return NULL;
	}
}

/* The audit record page's part (web.c's record_extras): Restore for a
 * deletion whose record does not exist again and that the reader may
 * write; a link to the record once it exists again. */
void deletion_audit_sections(struct request *req, struct buf *b, const char *key)
{
	struct dom_deletion d;
	enum app_err rc = dom_deletion(req->app, key, &req->who, &d);
	if (page_part_failed(req, b, rc)) {
		dom_deletion_release(&d);
		return;
	}
	if (d.state == DEL_RESTORABLE) {
		buf_printf(b, "<section class=\"restore\" aria-labelledby=\"restore\"><h2 id=\"restore\">%s</h2><p>%s</p>"
			      "<form method=\"post\" action=\"/audit/",
			   _("Restore"),
			   _("This record was deleted. Restoring it re-creates it as it was, with the same number, "
			     "provided the records it refers to still exist."));
		buf_html(b, key);
		buf_adds(b, "/restore\">");
		page_csrf_field(req, b);
		buf_printf(b, "<button type=\"submit\">%s</button></form></section>", _("Restore"));
	} else if (d.state == DEL_EXISTS && ent_can_read(d.e, req->who.role)) {
		buf_printf(b, "<p class=\"notice\">%s ", _("The record exists again:"));
		record_link(b, d.e, buf_cstr(&d.key), _("open it"));
		buf_adds(b, "</p>");
	} else if (d.state == DEL_SUPERSEDED) {
		buf_printf(b, "<p class=\"notice\">%s <a href=\"/audit/%lld\">%s</a></p>",
			   deletion_problem(req, &d), d.latest, _("Its latest audit entry"));
	}
	dom_deletion_release(&d);
}

/* Why a restore was refused, on a page of its own with a way back. */
static void restore_refused(struct request *req, struct response *resp, const char *entry, enum app_err rc,
			    const struct dom_deletion *d, const struct ferrs *errs)
{
	struct buf *b = &resp->body;
	resp->status = err_status(rc);
	page_begin(req, resp, _("This record cannot be restored"));
	buf_printf(b, "<h1>%s</h1>", _("This record cannot be restored"));
	const char *problem = errs->n ? NULL : deletion_problem(req, d);
	if (problem)
		buf_printf(b, "<p class=\"error-summary\" role=\"alert\">%s</p>", problem);
	if (errs->n) {
		buf_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%s</p><ul>",
			   _("It no longer passes the checks of a new record:"));
		for (size_t i = 0; i < errs->n; i++) {
			const struct field *f = d->e ? ent_field(d->e, errs->a[i].field) : NULL;
			buf_adds(b, "<li>");
			if (f)
				buf_printf(b, "%s%s", _(f->label), _(": "));
			ferrs_message(errs, i, req->lang, b);
			buf_adds(b, "</li>");
		}
		buf_adds(b, "</ul></div>");
	}
	buf_adds(b, "<p><a class=\"button secondary\" href=\"/audit/");
	buf_html(b, entry);
	buf_printf(b, "\">%s</a></p>", _("Back to the audit entry"));
	page_end(req, resp);
}

/* POST /audit/{id}/restore (staff: the audit trail's readers). */
void deletion_restore_page(struct request *req, struct response *resp)
{
	const char *entry = req_param(req, "id");
	struct dom_deletion d;
	struct ferrs errs = { 0 };
	enum app_err rc = dom_restore(req->app, entry, &req->who, &d, &errs, NULL);
	if (!rc) {
		struct buf url = BUF_INIT;
		buf_printf(&url, "/%s/", d.e->plural);
		buf_url(&url, buf_cstr(&d.key));
		buf_adds(&url, "?restored=1");
		page_redirect(resp, buf_cstr(&url));
		buf_release(&url);
	} else if (rc == APP_FORBIDDEN) {
		page_error(req, resp, 403, "Your role may not do this.");
	} else if (rc == APP_CONFLICT || rc == APP_INVALID) {
		restore_refused(req, resp, entry, rc, &d, &errs);
	} else {
		page_error_rc(req, resp, rc);
	}
	ferrs_release(&errs);
	dom_deletion_release(&d);
}
