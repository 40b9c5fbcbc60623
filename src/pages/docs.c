/* docs.c — see docs.h.
 *
 * Files and rows are kept in step this way: an upload validates the
 * record, stores the file, inserts the row (audited), then makes sure the
 * file is still there; a delete removes the row (audited) and then the
 * file when no other row has the same SHA-256.  The last two steps of each
 * hold files_lock, so that within one process a delete cannot remove a
 * file that a concurrent upload of the same bytes has just come to use.
 * (Several processes sharing a PostgreSQL database and one folder have no
 * common lock; there the window is between a delete's count and its
 * unlink, and a download then answers 404 "file missing", never a crash.) */
#define _GNU_SOURCE
#include "docs.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "docstore.h"
#include "domain.h"
#include "money.h"
#include "multipart.h"
#include "page.h"
#include "store.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

#define API "/api/v1/documents"
#define SECTION_MAX 100 /* documents listed on a record's page */

static pthread_mutex_t files_lock = PTHREAD_MUTEX_INITIALIZER;

/* The parents a document may belong to are the registry's (F_PARENT
 * fields of `document`): what a PATCH accepts, an upload accepts. */
static const struct field *parent_field(const char *name)
{
	const struct field *f = ent_field(ENT(DOCUMENT), name);
	return f && (f->flags & F_PARENT) ? f : NULL;
}

/* The document's field that names records of e, or NULL. */
static const struct field *parent_of(const struct entity *e)
{
	const struct entity *d = ENT(DOCUMENT);
	for (int i = 0; i < d->nfields; i++)
		if ((d->fields[i].flags & F_PARENT) && d->fields[i].target == e)
			return &d->fields[i];
	return NULL;
}

/* ---- the rows and the files ------------------------------------------------------ */

static enum app_err no_row(void *ctx, const struct row *row)
{
	(void)ctx, (void)row;
	return APP_OK;
}

/* How many document rows hold the file hex. */
static enum app_err file_users(struct app *app, const char *hex, long long *n)
{
	const struct entity *e = ENT(DOCUMENT);
	struct query q;
	dom_query_init(&q, e, NULL);
	q.limit = 0;
	q.filters[q.nfilters].f = FLD(DOCUMENT, SHA256);
	q.filters[q.nfilters++].value = (struct dbparam){ .type = DBP_TEXT, .s = hex };
	enum app_err rc = store_list(app->store, &q, n, no_row, NULL);
	dom_query_release(&q);
	return rc;
}

/* Removes the file hex when no row holds it; files_lock held. */
static void drop_unused_locked(struct app *app, const char *hex)
{
	long long n = 1;
	if (file_users(app, hex, &n) == APP_OK && n == 0)
		docstore_remove(app->docs_dir, hex);
}

/* What an upload brings: the record's writable fields and the file. */
struct upload {
	json_t *obj;
	const char *name; /* the file's name as sent (not NUL-terminated) */
	size_t name_len;
	const char *data;
	size_t len;
	bool has_file;
};

/* Adds one form or query field to the record being uploaded. */
static void add_field(struct upload *u, const char *name, const char *value, struct ferrs *errs)
{
	json_t *obj = u->obj;
	long long n;
	if (!util_valid_utf8(value, strlen(value))) {
		ferrs_add(errs, util_valid_utf8(name, strlen(name)) && strlen(name) < 40 ? name : "field",
			  N_("is not valid UTF-8"), NULL);
	} else if (parent_field(name)) {
		json_object_set_new(obj, name, !*value ? json_null()
					       : util_parse_ll(value, &n) ? json_integer(n) : json_string(value));
	} else if (strcmp(name, "title") == 0) {
		json_t *t = json_loads(value, JSON_REJECT_DUPLICATES, NULL);
		json_object_set_new(obj, "title", t ? t : json_string(value)); /* rec_from_json says what is wrong */
	} else if ((strncmp(name, "title_", 6) == 0 || strncmp(name, "title.", 6) == 0) && strlen(name) == 8) {
		enum lang l;
		if (!lang_parse(name + 6, &l)) {
			ferrs_add(errs, name, N_("is not a field of this record"), NULL);
			return;
		}
		json_t *t = json_object_get(obj, "title");
		if (!json_is_object(t)) {
			t = json_object();
			json_object_set_new(obj, "title", t);
		}
		if (*value)
			json_object_set_new(t, lang_code[l], json_string(value));
	} else if (strcmp(name, "sample") == 0) {
		json_object_set_new(obj, name, json_boolean(strcmp(value, "true") == 0 || strcmp(value, "1") == 0 ||
							    strcmp(value, "on") == 0));
	} else if (strcmp(name, "source") == 0) {
		json_object_set_new(obj, name, *value ? json_string(value) : json_null());
	} else if (strcmp(name, "_csrf") != 0 && strcmp(name, "filename") != 0) {
		ferrs_add(errs, util_valid_utf8(name, strlen(name)) && strlen(name) < 40 ? name : "field",
			  N_("is not a field of this record"), NULL);
	}
}

static void collect_form(const struct mp_form *form, struct upload *u, struct ferrs *errs)
{
	for (size_t i = 0; i < form->n; i++) {
		const struct mp_part *p = &form->parts[i];
		if (strcmp(p->name, "file") == 0) {
			if (u->has_file) {
				ferrs_add(errs, "file", N_("give one file per document"), NULL);
				continue;
			}
			u->has_file = true;
			u->data = p->data;
			u->len = p->len;
			u->name = p->filename ? p->filename : "";
			u->name_len = strlen(u->name);
			continue;
		}
		char *v = xstrndup(p->data, p->len);
		if (strlen(v) != p->len)
			ferrs_add(errs, util_valid_utf8(p->name, strlen(p->name)) && strlen(p->name) < 40 ? p->name : "field",
				  N_("holds a NUL byte"), NULL);
		else
			add_field(u, p->name, v, errs);
		free(v);
	}
}

/* What an upload whose file could not be written says (a msgid). */
static const char *put_failed(enum app_err rc)
{
	return rc == APP_FULL ? err_message(APP_FULL) : N_("The document could not be stored; try again later.");
}

/* Writes again the file of the document key just inserted, which a
 * delete of the same bytes removed; files_lock held.  When it cannot,
 * the row (which would name no file) is deleted and *msg says why. */
static enum app_err put_again(struct app *app, const struct principal *who, const struct upload *u, char hex[DOC_HEX],
			      const char *key, const char **msg)
{
	bool existed;
	enum app_err rc = docstore_put(app->docs_dir, u->data, u->len, hex, &existed);
	if (!rc)
		return APP_OK;
	*msg = put_failed(rc);
	/* Undone as well as can be: if the delete fails too, the row stays and
	 * its download answers 404 "file missing" (as at the top of this file),
	 * while the uploader is told that the upload failed. */
	err_ignore(dom_delete(app, ENT(DOCUMENT), key, -1, who, NULL));
	return rc;
}

/* Validates, stores the file, inserts the row; *key receives its id.  On
 * failure *msg (a msgid) says why unless errs does. */
static enum app_err upload(struct app *app, const struct principal *who, struct upload *u, struct buf *key,
			   struct ferrs *errs, const char **msg)
{
	const struct entity *e = ENT(DOCUMENT);
	if (!ent_can_write(e, who->role)) {
		*msg = N_("Your role may not add documents.");
		return APP_FORBIDDEN;
	}
	const struct doc_type *t = NULL;
	enum app_err refused = APP_OK;
	if (!u->has_file || u->len == 0)
		ferrs_add(errs, "file", N_("is required: choose the file to attach"), NULL);
	else if (!(t = docs_kind(u->data, u->len, msg, &refused)))
		return refused;
	struct record r;
	rec_init(&r, e);
	enum app_err rc = rec_from_json(&r, u->obj, REC_CREATE, errs);
	if (!rc && errs->n)
		rc = APP_INVALID;
	char hex[DOC_HEX];
	bool existed = false;
	if (!rc && (rc = docstore_put(app->docs_dir, u->data, u->len, hex, &existed)))
		*msg = put_failed(rc);
	if (!rc) {
		struct buf name = BUF_INIT;
		doc_safe_filename(u->name, u->name_len, t, &name);
		rec_set_text(&r, DOCUMENT_FILENAME, buf_cstr(&name));
		rec_set_text(&r, DOCUMENT_MEDIA_TYPE, t->media);
		rec_set_text(&r, DOCUMENT_SHA256, hex);
		rec_set_int(&r, DOCUMENT_SIZE, (long long)u->len);
		buf_release(&name);
		rc = dom_insert(app, &r, who, key, errs); /* the checks of any create */
		if (rc == APP_FULL || rc == APP_UNAVAILABLE)
			*msg = err_message(rc);
		pthread_mutex_lock(&files_lock);
		if (rc && !existed)
			drop_unused_locked(app, hex); /* nothing refers to what we wrote */
		else if (!rc && !docstore_has(app->docs_dir, hex)) /* a delete of the same bytes removed it */
			rc = put_again(app, who, u, hex, buf_cstr(key), msg);
		pthread_mutex_unlock(&files_lock);
	}
	rec_free(&r);
	return rc;
}

enum app_err docs_attach(struct app *app, const struct principal *who, const struct doc_attachment *a, struct buf *key,
			 const char **msg)
{
	struct upload u = { .obj = json_object(), .name = a->name, .name_len = strlen(a->name), .data = a->data,
			    .len = a->len, .has_file = true };
	json_t *title = json_object();
	json_object_set_new(title, lang_code[a->lang], json_string(a->title));
	json_object_set_new(u.obj, a->parent_field, json_integer(a->parent));
	json_object_set_new(u.obj, "title", title);
	struct ferrs errs = { 0 };
	enum app_err rc = upload(app, who, &u, key, &errs, msg);
	if (rc && !*msg)
		*msg = N_("The document could not be stored; try again later.");
	ferrs_release(&errs);
	json_decref(u.obj);
	return rc;
}

const struct doc_type *docs_kind(const void *data, size_t len, const char **why, enum app_err *rc)
{
	const struct doc_type *t = len > DOC_MAX ? NULL : doc_sniff(data, len);
	if (!t) {
		if (rc)
			*rc = len > DOC_MAX ? APP_TOO_LARGE : APP_MEDIA_TYPE;
		*why = len > DOC_MAX ? N_("A document may be at most 20 MiB.")
				     : N_("This file is not a PDF, an office document (Word, Excel, PowerPoint, OpenDocument) or an image (PNG, JPEG, GIF, WebP). suivi reads what the file holds, not its name.");
	}
	return t;
}

/* A document as who may see it: attached to a record who may read (the
 * store's rule for documents, the same as for lists).  Caller releases
 * *doc (a JSON object). */
static enum app_err doc_read(struct request *req, const char *key, json_t **doc)
{
	struct buf b = BUF_INIT;
	enum app_err rc = dom_get_json(req->app, ENT(DOCUMENT), key, &req->who, &b, NULL);
	*doc = rc ? NULL : json_loadb(b.data, b.len, 0, NULL);
	buf_release(&b);
	return rc ? rc : *doc ? APP_OK : APP_INTERNAL;
}

static const char *doc_str(json_t *doc, const char *name)
{
	const char *s = json_string_value(json_object_get(doc, name));
	return s ? s : "";
}

enum app_err docs_delete(struct request *req, const char *key, long long version, struct buf *why)
{
	const struct entity *e = ENT(DOCUMENT);
	if (!ent_can_write(e, req->who.role))
		return APP_FORBIDDEN;
	json_t *doc;
	enum app_err rc = doc_read(req, key, &doc);
	if (rc)
		return rc;
	char *hex = xstrdup(doc_str(doc, "sha256"));
	json_decref(doc);
	rc = dom_delete(req->app, e, key, version, &req->who, why);
	if (!rc) {
		pthread_mutex_lock(&files_lock);
		drop_unused_locked(req->app, hex);
		pthread_mutex_unlock(&files_lock);
	}
	free(hex);
	return rc;
}

/* ---- API ----------------------------------------------------------------------------- */

/* POST /api/v1/documents: multipart, or the raw file with its fields in
 * the query string. */
void docs_upload_api(struct request *req, struct response *resp)
{
	struct upload u = { .obj = json_object() };
	struct ferrs errs = { 0 };
	struct mp_form form = { 0 };
	struct buf key = BUF_INIT;
	const char *msg = NULL;
	enum app_err rc = APP_OK;
	const char *ct = req->header(req, "Content-Type");
	if (!ent_can_write(ENT(DOCUMENT), req->who.role)) {
		rc = APP_FORBIDDEN;
		msg = "Your role may not add documents.";
	} else if (mp_is_form_data(ct)) {
		if (!mp_parse(ct, req->body, req->body_len, &form, &msg))
			rc = APP_BAD_QUERY;
		else
			collect_form(&form, &u, &errs);
	} else { /* the body is the file; the fields are in the query string */
		for (size_t i = 0; i < req->query.n; i++)
			add_field(&u, req->query.a[i].name, req->query.a[i].value, &errs);
		const char *name = args_get(&req->query, "filename");
		u.name = name ? name : "";
		u.name_len = strlen(u.name);
		u.data = req->body;
		u.len = req->body_len;
		u.has_file = true;
	}
	if (!rc)
		rc = upload(req->app, &req->who, &u, &key, &errs, &msg);
	if (rc) {
		resp_json_error(resp, rc, msg, &errs);
	} else {
		long long version = 1;
		resp->status = 201;
		rc = dom_get_json(req->app, ENT(DOCUMENT), buf_cstr(&key), &req->who, &resp->body, &version);
		if (rc)
			resp_json_error(resp, rc, NULL, NULL);
		char *loc = xasprintf(API "/%s", buf_cstr(&key));
		resp_header(resp, "Location", loc);
		free(loc);
		char tag[32];
		snprintf(tag, sizeof tag, "\"%lld\"", version);
		resp_header(resp, "ETag", tag);
	}
	buf_release(&key);
	ferrs_release(&errs);
	mp_release(&form);
	json_decref(u.obj);
}

/* GET /api/v1/documents/{id}/content. */
void docs_content_api(struct request *req, struct response *resp)
{
	const char *key = req_param(req, "id");
	json_t *doc;
	enum app_err rc = dom_valid_key(ENT(DOCUMENT), key) ? doc_read(req, key, &doc) : APP_NOT_FOUND;
	if (rc) {
		resp_json_error(resp, rc, rc == APP_NOT_FOUND ? "No such document." : NULL, NULL);
		return;
	}
	const char *hex = doc_str(doc, "sha256");
	rc = docstore_read(req->app->docs_dir, hex, &resp->body);
	if (rc) {
		resp_json_error(resp, rc, rc == APP_NOT_FOUND ? "The file of this document is not in the documents folder." : NULL, NULL);
	} else {
		const struct doc_type *t = doc_type_by_media(doc_str(doc, "media_type"));
		resp->status = 200;
		resp->content_type = t ? t->media : "application/octet-stream";
		struct buf cd = BUF_INIT;
		doc_disposition(doc_str(doc, "filename"), &cd);
		resp_header(resp, "Content-Disposition", buf_cstr(&cd));
		buf_release(&cd);
		resp_header(resp, "Cache-Control", "private, no-cache");
		char *tag = xasprintf("\"%s\"", hex);
		resp_header(resp, "ETag", tag);
		free(tag);
	}
	json_decref(doc);
}

/* ---- pages ------------------------------------------------------------------------ */

static void human_size(struct request *req, struct buf *b, long long n)
{
	char v[NUM_TEXT_MAX];
	if (n < 1024)
		buf_printf(b, _("%s bytes"), num_text(v, req->lang, n, 0));
	else if (n < 1024 * 1024)
		buf_printf(b, _("%s KiB"), num_text(v, req->lang, (n + 1023) / 1024, 0));
	else /* in tenths, cut (not rounded) as before */
		buf_printf(b, _("%s MiB"), num_text(v, req->lang, n / (1024 * 1024) * 10 + n % (1024 * 1024) * 10 / (1024 * 1024), 1));
}

static void type_label(struct request *req, struct buf *b, const char *media)
{
	const struct doc_type *t = doc_type_by_media(media);
	buf_html(b, t ? _(t->label) : media);
}

static void problem_page(struct request *req, struct response *resp, int status, const char *title,
			 const struct ferrs *errs, const char *problem, const char *back)
{
	buf_reset(&resp->body);
	resp->status = status;
	struct buf *b = &resp->body;
	page_begin(req, resp, title);
	buf_adds(b, "<h1>");
	buf_html(b, title);
	buf_adds(b, "</h1><div role=\"alert\">");
	if (problem) {
		buf_adds(b, "<p class=\"error\">");
		buf_html(b, problem);
		buf_adds(b, "</p>");
	}
	if (errs && errs->n) {
		buf_adds(b, "<ul class=\"errors\">");
		for (size_t i = 0; i < errs->n; i++) {
			struct buf m = BUF_INIT;
			ferrs_message(errs, i, req->lang, &m);
			const struct field *f = ent_field(ENT(DOCUMENT), errs->a[i].field);
			buf_adds(b, "<li>");
			buf_html(b, f ? _(f->label) : strcmp(errs->a[i].field, "file") == 0 ? _("File") : errs->a[i].field);
			buf_adds(b, ": ");
			buf_html(b, buf_cstr(&m));
			buf_adds(b, "</li>");
			buf_release(&m);
		}
		buf_adds(b, "</ul>");
	}
	buf_adds(b, "</div><p><a href=\"");
	buf_html(b, back);
	buf_printf(b, "\">%s</a></p>", _("Back"));
	page_end(req, resp);
}

/* The upload form: attached to (parent, key), or with number boxes for
 * each kind of parent when parent is NULL (the /documents/new page). */
static void upload_form(struct request *req, struct buf *b, const char *parent, const char *key)
{
	buf_adds(b, "<form method=\"post\" action=\"/documents/upload\" enctype=\"multipart/form-data\" class=\"upload\">");
	page_csrf_field(req, b);
	buf_printf(b, "<fieldset><legend>%s</legend>", _("Attach a document"));
	if (parent) {
		buf_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"", parent);
		buf_html(b, key);
		buf_adds(b, "\">");
	} else {
		buf_printf(b, "<p class=\"help\">%s</p>", _("Give the number of the one record the document belongs to."));
		const struct entity *d = ENT(DOCUMENT);
		for (int i = 0; i < d->nfields; i++) {
			const struct field *f = &d->fields[i];
			if (!(f->flags & F_PARENT) || !ent_can_write(f->target, req->who.role))
				continue;
			const char *preset = args_get(&req->query, f->name);
			buf_printf(b, "<div class=\"field\"><label for=\"doc-%s\">%s</label>"
				      "<input type=\"number\" min=\"1\" id=\"doc-%s\" name=\"%s\" value=\"",
				   f->name, _(f->label), f->name, f->name);
			buf_html(b, preset ? preset : "");
			buf_adds(b, "\"></div>");
		}
	}
	static const char *const title_labels[LANG__MAX] = { N_("Title in French"), N_("Title in English"), N_("Title in Arabic") };
	for (int l = 0; l < LANG__MAX; l++)
		buf_printf(b, "<div class=\"field\"><label for=\"doc-title-%s\">%s</label>"
			      "<input type=\"text\" id=\"doc-title-%s\" name=\"title.%s\" maxlength=\"300\" lang=\"%s\" dir=\"%s\"></div>",
			   lang_code[l], _(title_labels[l]), lang_code[l], lang_code[l], lang_code[l],
			   lang_rtl(l) ? "rtl" : "ltr");
	buf_printf(b, "<div class=\"field\"><label for=\"doc-file\">%s</label>"
		      "<input type=\"file\" id=\"doc-file\" name=\"file\" required aria-describedby=\"doc-file-help\" "
		      "accept=\".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.png,.jpg,.jpeg,.gif,.webp\">"
		      "<p class=\"help\" id=\"doc-file-help\">%s</p></div>",
		   _("File"), _("PDF, Word, Excel, PowerPoint, OpenDocument, or an image (PNG, JPEG, GIF, WebP); at most 20 MiB. At least one title is needed."));
	buf_printf(b, "<div class=\"field actions\"><button type=\"submit\">%s</button></div></fieldset></form>", _("Upload"));
}

struct section_ctx {
	struct request *req;
	struct buf *b;
	const struct entity *e;
};

static enum app_err section_row(void *ctx, const struct row *row)
{
	struct section_ctx *s = ctx;
	struct request *req = s->req;
	struct buf *b = s->b;
	const struct entity *e = s->e;
	const char *id = row_text(row, ent_keyfield(e)->col);
	buf_adds(b, "<tr><td><a href=\"/documents/");
	buf_html(b, id);
	buf_adds(b, "\">");
	page_i18n_html(b, row, FLD(DOCUMENT, TITLE)->col, req->lang, 200);
	buf_adds(b, "</a></td><td>");
	type_label(req, b, row_text(row, FLD(DOCUMENT, MEDIA_TYPE)->col));
	buf_adds(b, "</td><td>");
	human_size(req, b, row_int(row, FLD(DOCUMENT, SIZE)->col));
	buf_adds(b, "</td><td>");
	const char *at = row_text(row, e->col_created);
	char day[11] = "";
	if (at && strlen(at) >= 10)
		memcpy(day, at, 10);
	page_date(b, req->lang, day);
	buf_adds(b, "</td><td><a href=\"" API "/");
	buf_html(b, id);
	buf_printf(b, "/content\" download>%s<span class=\"sr-only\"> ", _("Download"));
	const char *name = row_text(row, FLD(DOCUMENT, FILENAME)->col);
	buf_html(b, name ? name : "");
	buf_adds(b, "</span></a></td></tr>");
	return APP_OK;
}

void docs_section(struct request *req, struct buf *b, const struct entity *e, const char *key)
{
	const struct entity *d = ENT(DOCUMENT);
	if (e == d) {
		buf_printf(b, "<p><a class=\"button\" href=\"" API "/");
		buf_html(b, key);
		buf_printf(b, "/content\" download>%s</a></p>", _("Download the file"));
		return;
	}
	const struct field *parent = parent_of(e);
	if (!parent || !ent_can_read(d, req->who.role))
		return;
	long long id;
	if (!util_parse_ll(key, &id))
		return;
	struct query q;
	dom_query_init(&q, d, &req->who);
	q.limit = SECTION_MAX;
	q.lang = req->lang;
	q.filters[q.nfilters].f = parent;
	q.filters[q.nfilters++].value = (struct dbparam){ .type = DBP_INT, .i = id };
	struct buf rows = BUF_INIT;
	struct section_ctx s = { .req = req, .b = &rows, .e = d };
	long long total = 0;
	enum app_err rc = store_list(req->app->store, &q, &total, section_row, &s);
	dom_query_release(&q);
	buf_printf(b, "<section class=\"documents\" id=\"documents\"><h2>%s <span class=\"count\">(%lld)</span></h2>",
		   _("Documents"), rc ? 0 : total);
	if (!rc && total) {
		buf_printf(b, "<table><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
			   _("Title"), _("File type"), _("Size"), _("Added on"), _("File"));
		buf_add(b, rows.data, rows.len);
		buf_adds(b, "</tbody></table>");
		if (total > SECTION_MAX) {
			buf_printf(b, "<p><a href=\"/documents?%s=%lld\">%s</a></p>", parent->name, id, _("All of them"));
		}
	} else {
		buf_printf(b, "<p>%s</p>", _("No document is attached yet."));
	}
	buf_release(&rows);
	if (ent_can_write(d, req->who.role) && ent_can_write(e, req->who.role))
		upload_form(req, b, parent->name, key);
	buf_adds(b, "</section>");
}

/* GET /documents/new. */
void docs_new_page(struct request *req, struct response *resp)
{
	if (!ent_can_write(ENT(DOCUMENT), req->who.role)) {
		problem_page(req, resp, 403, _("Your role may not do this."), NULL, NULL, "/documents");
		return;
	}
	struct buf *b = &resp->body;
	page_begin(req, resp, _("Attach a document"));
	buf_printf(b, "<p class=\"crumbs\"><a href=\"/documents\">%s</a></p><h1>%s</h1>", _("Documents"),
		   _("Attach a document"));
	upload_form(req, b, NULL, NULL);
	page_end(req, resp);
}

/* The page of the record the upload names, or the upload page. */
static char *back_url(json_t *obj)
{
	const struct entity *d = ENT(DOCUMENT);
	for (int i = 0; i < d->nfields; i++) {
		json_t *k = json_object_get(obj, d->fields[i].name);
		if ((d->fields[i].flags & F_PARENT) && json_is_integer(k))
			return xasprintf("/%s/%lld", d->fields[i].target->plural, (long long)json_integer_value(k));
	}
	return xstrdup("/documents/new");
}

/* POST /documents/upload, and POST /documents/new: a document is made by
 * an upload, never by the generic form (which has no file). */
void docs_upload_page(struct request *req, struct response *resp)
{
	struct upload u = { .obj = json_object() };
	struct ferrs errs = { 0 };
	struct mp_form form = { 0 };
	struct buf key = BUF_INIT;
	const char *msg = NULL, *why = NULL;
	const char *ct = req->header(req, "Content-Type");
	enum app_err rc = APP_OK;
	if (!ent_can_write(ENT(DOCUMENT), req->who.role)) {
		rc = APP_FORBIDDEN;
		msg = N_("Your role may not do this.");
	} else if (!mp_is_form_data(ct)) {
		rc = APP_MEDIA_TYPE;
		msg = N_("This form was not sent as a file upload.");
	} else if (!mp_parse(ct, req->body, req->body_len, &form, &why)) {
		rc = APP_BAD_QUERY;
		msg = N_("This form was not sent as a file upload.");
	} else {
		collect_form(&form, &u, &errs);
		rc = upload(req->app, &req->who, &u, &key, &errs, &msg);
	}
	char *back = back_url(u.obj);
	if (!rc) { /* back to the record the document belongs to */
		char *to = xasprintf("%s?saved=1#documents", back);
		page_redirect(resp, to);
		free(to);
	} else {
		problem_page(req, resp, err_status(rc), _("The document was not attached"), &errs,
			     msg ? _(msg) : NULL, back);
	}
	free(back);
	buf_release(&key);
	ferrs_release(&errs);
	mp_release(&form);
	json_decref(u.obj);
}

/* GET /documents/upload: the form is elsewhere. */
void docs_upload_again(struct request *req, struct response *resp)
{
	(void)req;
	page_redirect(resp, "/documents/new");
}
