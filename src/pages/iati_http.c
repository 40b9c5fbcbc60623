/* iati_http.c — see iati_http.h.
 *
 * The public file (anyone; anyone with ?published=true) holds the
 * programmes that staff published, and nothing of what the access rules
 * keep from the public (no person, no account, no evaluation).  A
 * signed-in reader's export holds what that reader may read: a donor's
 * funded programmes (built for it), every programme for the others.  The
 * public file and the one of every programme are kept on disk between
 * writes (filecache.h) and answered with ETag / Last-Modified and 304. */
#define _POSIX_C_SOURCE 200809L
#include "iati_http.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "domain.h"
#include "money.h"
#include "entity.h"
#include "filecache.h"
#include "i18n.h"
#include "iati.h"
#include "iati_parse.h"
#include "iati_export.h"
#include "import_http.h"
#include "multipart.h"
#include "page.h"
#include "iati_import.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

enum { FILE_PUBLISHED, FILE_ALL }; /* the slots of app->files (IATI_FILES) */

/* What an export holds and how it says so. */
struct variant {
	int slot;             /* of app->files, or -1: built for its one reader */
	const char *filename;
	const char *label;    /* the X-Suivi-Programmes header */
	const char *note;     /* the comment at the top of the file (iati.h), or NULL */
	const char *cache_control;
};

static const struct variant published = {
	FILE_PUBLISHED, "iati-activities.xml", "published", NULL, "public, no-cache",
};
static const struct variant everything = {
	FILE_ALL, "iati-activities-all.xml", "all", IATI_NOTE_ALL, "private, no-store",
};
static const struct variant funded = {
	-1, "iati-activities-funded.xml", "funded",
	"the programmes your organisation funds, published to IATI or not: not for publication", "private, no-store",
};

/* The file of what who may read: the public one for a visitor. */
static const struct variant *readers(const struct principal *who)
{
	if (who->role == ROLE_PUBLIC)
		return &published;
	return dom_scoped(ENT(PROGRAMME), who) ? &funded : &everything;
}

/* The variant the request asks for: the public file with ?published=true,
 * else the reader's; NULL for a bad ?published. */
static const struct variant *pick(const struct request *req)
{
	const char *p = args_get(&req->query, "published");
	if (p && (strcmp(p, "true") == 0 || strcmp(p, "1") == 0))
		return &published;
	if (p && strcmp(p, "false") != 0 && strcmp(p, "0") != 0)
		return NULL;
	return readers(&req->who);
}

struct build_ctx {
	struct app *app;
	const struct query *programmes; /* NULL: every one */
	const char *note;
};

static enum app_err build_file(void *ctx, const char *now, struct buf *out)
{
	struct build_ctx *b = ctx;
	struct iati_doc d;
	enum app_err rc = iati_export_load(b->app, b->programmes, &d);
	if (rc)
		return rc;
	d.note = b->note;
	iati_write(&d, now, out);
	iati_doc_free(&d);
	return APP_OK;
}

/* Does the client hold the file already (If-None-Match, else
 * If-Modified-Since)?  Entity tags compare weakly (RFC 9110 13.1.2). */
static bool not_modified(const struct request *req, const struct filecache_file *f)
{
	const char *inm = req->header(req, "If-None-Match");
	if (inm) {
		const char *tag = f->etag + 2; /* without W/ */
		for (const char *p = inm; *p;) {
			p += strspn(p, " \t,");
			size_t n = strcspn(p, " \t,");
			const char *t = strncmp(p, "W/", 2) == 0 && n > 2 ? p + 2 : p;
			size_t tn = n - (size_t)(t - p);
			if ((n == 1 && *p == '*') || (tn == strlen(tag) && strncmp(t, tag, tn) == 0))
				return true;
			p += n;
		}
		return false;
	}
	long long since;
	return util_parse_http_date(req->header(req, "If-Modified-Since"), &since) && (long long)f->modified <= since;
}

static void unavailable(struct response *resp)
{
	resp->status = 503;
	resp->content_type = "text/plain; charset=utf-8";
	resp_header(resp, "Retry-After", "5");
	buf_reset(&resp->body);
	buf_adds(&resp->body, "The database is unavailable; try again later.\n");
}

/* From the file kept on disk: 304 when the client has it. */
static void send_kept(struct request *req, struct response *resp, const struct variant *v, struct build_ctx *b)
{
	struct filecache_file f;
	if (filecache_get(req->app->files, v->slot, req->generation, build_file, b, &f)) {
		unavailable(resp);
		return;
	}
	char date[30];
	util_http_date((long long)f.modified, date);
	resp_header(resp, "ETag", f.etag);
	resp_header(resp, "Last-Modified", date);
	if (not_modified(req, &f)) {
		resp->status = 304;
		close(f.fd);
	} else {
		resp->status = 200;
		resp_file(resp, f.fd, f.size);
	}
}

void iati_file(struct request *req, struct response *resp)
{
	const struct variant *v = pick(req);
	resp->content_type = "text/plain; charset=utf-8";
	if (!v) {
		resp->status = 400;
		buf_adds(&resp->body, "published takes true or false\n");
		return;
	}
	struct query q;
	if (v == &published)
		iati_published_query(&q);
	else
		dom_query_init(&q, ENT(PROGRAMME), &req->who);
	struct build_ctx b = { .app = req->app, .programmes = v == &everything ? NULL : &q, .note = v->note };
	resp->content_type = "application/xml; charset=utf-8";
	char *cd = xasprintf("inline; filename=\"%s\"", v->filename);
	resp_header(resp, "Content-Disposition", cd);
	free(cd);
	resp_header(resp, "X-Suivi-Programmes", v->label);
	resp_header(resp, "Cache-Control", v->cache_control);
	resp_header(resp, "Vary", "Cookie, Authorization"); /* what it holds depends on who asks */
	if (v->slot >= 0 && req->app->files) {
		send_kept(req, resp, v, &b);
	} else {
		char now[21];
		iati_now(now);
		resp->status = 200;
		if (build_file(&b, now, &resp->body))
			unavailable(resp);
	}
	dom_query_release(&q);
}

void iati_links(struct request *req, struct buf *b)
{
	const struct variant *own = readers(&req->who);
	buf_printf(b, " <a href=\"/iati.xml?published=true\">%s</a>", _("IATI file: the published programmes"));
	if (own != &published)
		buf_printf(b, " <a href=\"/iati.xml\">%s</a>",
			   own == &funded ? _("IATI file: your organisation's programmes (not for publication)")
					  : _("IATI file: every programme (not for publication)"));
}

/* ---- import: POST /api/v1/iati/import and the page /programmes/import ---- */

/* What an import did or why it did nothing, for both routes. */
struct iati_outcome {
	struct iati_doc d;
	struct iati_counts c;
	bool parsed;
	enum app_err rc; /* of the store, once parsed */
};

static void import_bytes(struct request *req, const char *data, size_t len, const char *name,
			 struct iati_outcome *o)
{
	memset(o, 0, sizeof *o);
	o->parsed = iati_parse(data, len, &o->d);
	if (!o->parsed)
		return;
	char *source = xasprintf("IATI file %s (imported by %s)", name, req->who.name);
	o->rc = iati_import(req->app, &o->d, source, &req->who, &o->c);
	free(source);
}

static bool may_import(const struct request *req)
{
	return ent_can_write(ENT(PROGRAMME), req->who.role);
}

void iati_import_api(struct request *req, struct response *resp)
{
	if (!may_import(req)) {
		resp_json_error_code(resp, 403, err_code(APP_FORBIDDEN), "Your role may not import programmes.");
		return;
	}
	const char *name = args_get(&req->query, "name");
	struct iati_outcome o;
	import_bytes(req, req->body, req->body_len, name && *name ? import_file_name(name) : "upload.xml", &o);
	if (!o.parsed) {
		resp_json_error_code(resp, 422, err_code(APP_INVALID),
				 "Nothing was imported: the file is not an IATI activity file.");
		resp->body.len -= 2; /* reopen the error object */
		buf_printf(&resp->body, ",\"line\":%ld,\"problem\":", o.d.error_line);
		buf_json_str(&resp->body, o.d.error ? o.d.error : "");
		buf_adds(&resp->body, "}}");
	} else if (o.rc) {
		resp_json_error_code(resp, err_status(o.rc), err_code(o.rc), err_message(o.rc));
	} else {
		resp->status = 200;
		resp->content_type = "application/json";
		buf_reset(&resp->body);
		buf_printf(&resp->body, "{\"activities\":%zu,\"programmes_created\":%lld,\"programmes_seen\":%lld,"
				       "\"transactions\":%lld,\"results\":%lld,\"organisations\":%lld,\"left_out\":[",
			   o.d.nacts, o.c.programmes, o.c.programmes_seen, o.c.transactions, o.c.results,
			   o.c.organisations);
		for (size_t i = 0; i < o.d.nskips; i++) {
			buf_printf(&resp->body, "%s{\"line\":%ld,\"message\":", i ? "," : "", o.d.skips[i].line);
			buf_json_str(&resp->body, o.d.skips[i].msg);
			buf_addc(&resp->body, '}');
		}
		buf_adds(&resp->body, "]}");
	}
	iati_doc_free(&o.d);
}

#define PAGE_SKIPS_MAX 300 /* lines listed on the page (pages < 100 kB) */

static void import_form(struct request *req, struct buf *b)
{
	buf_adds(b, "<form method=\"post\" action=\"/programmes/import\" enctype=\"multipart/form-data\" "
		    "class=\"record-form\">");
	page_csrf_field(req, b);
	buf_printf(b, "<div class=\"field\"><label for=\"iati-file\">%s</label>"
		      "<input type=\"file\" id=\"iati-file\" name=\"file\" required "
		      "accept=\".xml,application/xml,text/xml\" aria-describedby=\"iati-file-help\">"
		      "<p class=\"help\" id=\"iati-file-help\">%s</p></div>",
		   _("IATI activity file (XML)"),
		   _("Versions 2.01 to 2.03. Programmes are matched by their IATI identifier: a programme already "
		     "here only gains the transactions it does not have. Nothing is imported if the file cannot "
		     "be read."));
	buf_printf(b, "<div class=\"field actions\"><button type=\"submit\">%s</button> "
		      "<a href=\"/programmes\">%s</a></div></form>",
		   _("Import"), _("Cancel"));
}

static void import_report(struct request *req, struct response *resp, const struct iati_outcome *o)
{
	struct buf *b = &resp->body;
	if (!o->parsed || o->rc) {
		resp->status = !o->parsed ? 422 : err_status(o->rc);
		buf_adds(b, "<div class=\"error-summary\" role=\"alert\"><p>");
		if (!o->parsed) {
			buf_printf(b, _("Nothing was imported: the file is not an IATI activity file (line %ld)."),
				   o->d.error_line);
			buf_adds(b, "</p><p lang=\"en\">");
			buf_html(b, o->d.error ? o->d.error : "");
		} else {
			buf_html(b, import_page_refusal(req, o->rc));
		}
		buf_adds(b, "</p></div>");
		return;
	}
	buf_adds(b, "<p role=\"status\" class=\"ok\">");
	char n[6][NUM_TEXT_MAX];
	buf_printf(b, _("%s activities read: %s programmes created, %s already here; %s transactions, "
			"%s results and %s organisations added."),
		   num_text(n[0], req->lang, (long long)o->d.nacts, 0), num_text(n[1], req->lang, o->c.programmes, 0),
		   num_text(n[2], req->lang, o->c.programmes_seen, 0), num_text(n[3], req->lang, o->c.transactions, 0),
		   num_text(n[4], req->lang, o->c.results, 0), num_text(n[5], req->lang, o->c.organisations, 0));
	buf_adds(b, "</p>");
	if (o->d.nskips) {
		buf_printf(b, "<table><caption>%s</caption><thead><tr><th scope=\"col\">%s</th>"
			      "<th scope=\"col\">%s</th></tr></thead><tbody>",
			   _("Left out"), _("Line"), _("What and why"));
		for (size_t i = 0; i < o->d.nskips && i < PAGE_SKIPS_MAX; i++) {
			buf_printf(b, "<tr><td>%ld</td><td lang=\"en\">", o->d.skips[i].line);
			buf_html(b, o->d.skips[i].msg);
			buf_adds(b, "</td></tr>");
		}
		buf_adds(b, "</tbody></table>");
		if (o->d.nskips > PAGE_SKIPS_MAX) {
			buf_adds(b, "<p>");
			buf_printf(b, _("… and %s more."), num_text(n[0], req->lang, (long long)(o->d.nskips - PAGE_SKIPS_MAX), 0));
			buf_adds(b, "</p>");
		}
	}
	buf_printf(b, "<p><a href=\"/programmes\">%s</a> · <a href=\"/programmes/import\">%s</a></p>",
		   _("See the programmes"), _("Import another file"));
}

void iati_import_page(struct request *req, struct response *resp)
{
	bool post = strcmp(req->method, "POST") == 0;
	if (!may_import(req))
		resp->status = 403;
	page_begin(req, resp, _("Import an IATI file"));
	struct buf *b = &resp->body;
	buf_printf(b, "<p class=\"crumbs\"><a href=\"/programmes\">%s</a></p><h1>%s</h1>", _("Programmes"),
		   _("Import an IATI file"));
	if (resp->status != 200) {
		buf_printf(b, "<p class=\"error\">%s</p>", _("Your role may not do this."));
	} else if (!post) {
		import_form(req, b);
	} else {
		struct mp_form form = { 0 };
		const char *why = NULL;
		const struct mp_part *file = NULL;
		if (mp_parse(req->header(req, "Content-Type"), req->body, req->body_len, &form, &why))
			file = mp_get(&form, "file");
		if (!file || !file->len) {
			resp->status = 422;
			buf_printf(b, "<div class=\"error-summary\" role=\"alert\"><p>%s</p></div>",
				   _("Choose the file to import."));
		} else {
			struct iati_outcome o;
			import_bytes(req, file->data, file->len, file->filename ? file->filename : "upload.xml", &o);
			import_report(req, resp, &o);
			iati_doc_free(&o.d);
		}
		mp_release(&form);
		if (resp->status != 200)
			import_form(req, b);
	}
	page_end(req, resp);
}
