/* import_http.c — the CSV import of needs over HTTP (import.c does the
 * work):
 *
 *   POST /api/v1/needs/import   body: the CSV (Content-Type: text/csv)
 *        200 {"imported": N}
 *        422 {"error": {"code": "invalid", "message": …, "rows": [{"line",
 *             "field", "column", "message"}, …], "problems": N}}
 *   GET  /needs/import          the upload page
 *   POST /needs/import          its form (urlencoded: _csrf, csv, name):
 *        the report, in the user's language
 *
 * The page works without JavaScript (paste the CSV into the text area);
 * static/import.js adds a file chooser that reads the file in the browser,
 * decodes it (UTF-8, else Windows-1252) into the text area and submits the
 * same form — no multipart parser is needed. */
#define _POSIX_C_SOURCE 200809L
#include "import_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "csvin.h"
#include "multipart.h"
#include "xlsx_export.h"
#include "xlsxin.h"
#include "entity.h"
#include "imports.h"
#include "money.h"
#include "page.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

#define NAME_MAX_CHARS 100

void import_collect_json(void *ctx, const struct import_err *e)
{
	struct import_collected *c = ctx;
	if (c->n++ >= c->max)
		return;
	struct buf m = BUF_INIT;
	import_message(e, LANG_EN, &m);
	buf_printf(&c->out, "%s{\"line\":%lld,", c->n > 1 ? "," : "", e->line);
	if (e->sheet) {
		buf_adds(&c->out, "\"sheet\":");
		buf_json_str(&c->out, e->sheet);
		buf_adds(&c->out, ",\"cell\":");
		buf_json_str(&c->out, e->cell);
		buf_addc(&c->out, ',');
	}
	buf_adds(&c->out, "\"field\":");
	buf_json_str(&c->out, e->field);
	buf_adds(&c->out, ",\"column\":");
	buf_json_str(&c->out, e->column);
	buf_adds(&c->out, ",\"message\":");
	buf_json_str(&c->out, buf_cstr(&m));
	buf_addc(&c->out, '}');
	buf_release(&m);
}

void import_collect_html(void *ctx, const struct import_err *e)
{
	struct import_collected *c = ctx;
	if (c->n++ >= c->max)
		return;
	struct buf m = BUF_INIT;
	import_message(e, c->lang, &m);
	buf_adds(&c->out, "<tr><td>");
	struct buf place = BUF_INIT;
	import_place(e, &place);
	buf_html(&c->out, buf_cstr(&place));
	buf_release(&place);
	buf_adds(&c->out, "</td><td>");
	buf_html(&c->out, e->column ? e->column : e->field ? e->field : "");
	buf_adds(&c->out, "</td><td>");
	buf_html(&c->out, buf_cstr(&m));
	buf_adds(&c->out, "</td></tr>");
	buf_release(&m);
}

const char *import_file_name(const char *given)
{
	if (!given || !*given || !util_valid_utf8(given, strlen(given)) ||
	    util_utf8_len(given) > NAME_MAX_CHARS)
		return "upload.csv";
	return given;
}

const char *import_page_refusal(const struct request *req, enum app_err rc)
{
	return rc == APP_FULL ? page_db_problem(req, rc)
			      : _("Nothing was imported: the database refused the rows; try again shortly.");
}

void import_page_failure(const struct request *req, struct response *resp, enum app_err rc, long long errors,
			 long long bad_rows, long long checked, const struct import_collected *c)
{
	struct buf *b = &resp->body;
	resp->status = rc == APP_INVALID ? 422 : err_status(rc);
	buf_adds(b, "<div class=\"error-summary\" role=\"alert\"><p>");
	if (rc == APP_INVALID) {
		char n[3][NUM_TEXT_MAX];
		buf_printf(b, _("Nothing was imported: %s problems in %s of %s rows."), num_text(n[0], req->lang, errors, 0),
			   num_text(n[1], req->lang, bad_rows, 0), num_text(n[2], req->lang, checked, 0));
	} else {
		buf_html(b, import_page_refusal(req, rc));
	}
	buf_adds(b, "</p></div>");
	if (!c->n)
		return;
	buf_printf(b, "<table><caption>%s</caption><thead><tr><th scope=\"col\">%s</th>"
		      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
		   _("Problems found"), _("Line"), _("Column"), _("Problem"));
	buf_add(b, c->out.data, c->out.len);
	buf_adds(b, "</tbody></table>");
	if (c->n > c->max) {
		buf_adds(b, "<p>");
		char n[NUM_TEXT_MAX];
		buf_printf(b, _("… and %s more problems."), num_text(n, req->lang, (long long)(c->n - c->max), 0));
		buf_adds(b, "</p>");
	}
}

bool import_api_allowed(struct response *resp, bool allowed, const char *refusal)
{
	if (!allowed)
		resp_json_error_code(resp, 403, err_code(APP_FORBIDDEN), refusal);
	return allowed;
}

static void import_api_invalid(struct response *resp, long long errors, long long bad_rows, long long checked,
			struct import_collected *c)
{
	char msg[160];
	snprintf(msg, sizeof msg, "Nothing was imported: %lld problem%s in %lld of %lld rows.", errors,
		 errors == 1 ? "" : "s", bad_rows, checked);
	resp_json_error_code(resp, 422, err_code(APP_INVALID), msg);
	resp->body.len -= 2; /* reopen the error object */
	resp->body.data[resp->body.len] = '\0';
	buf_printf(&resp->body, ",\"problems\":%lld,\"rows\":[%s]}}", errors, buf_cstr(&c->out));
}

static struct csvin *import_api_start(struct request *req, struct import_collected *c, struct import_opts *o)
{
	*c = (struct import_collected){ .max = IMPORT_API_ROWS_MAX };
	*o = (struct import_opts){ .who = &req->who, .name = import_file_name(args_get(&req->query, "name")),
				   .on_error = import_collect_json, .err_ctx = c };
	return xlsxin_or_csv(req->body, req->body_len, args_get(&req->query, "sheet"), NULL);
}

/* The answer of an import: what it created, updated and left unchanged (or,
 * in a dry run, would have), with the training imports' own counts. */
static void import_answer(struct response *resp, const struct entity *e, const struct import_result *res,
			  const struct timport_result *t, bool dry)
{
	resp->status = 200;
	resp->content_type = "application/json";
	buf_reset(&resp->body);
	buf_printf(&resp->body, "{\"imported\":%lld,\"rows\":%lld,\"created\":%lld,\"updated\":%lld,"
				"\"unchanged\":%lld,\"dry_run\":%s",
		   dry ? 0 : res->rows + res->updated, res->checked, res->rows, res->updated, res->unchanged,
		   dry ? "true" : "false");
	if (e == ENT(PARTICIPANT))
		buf_printf(&resp->body, ",\"matched\":%lld,\"likely_duplicates\":%lld", t->matched, t->likely);
	buf_addc(&resp->body, '}');
}

/* POST /api/v1/COLLECTION/import[?dry_run=true]: the CSV is the body. */
void import_api_of(struct request *req, struct response *resp, const struct entity *e)
{
	bool dry;
	if (!util_parse_flag(args_get(&req->query, "dry_run"), &dry)) {
		resp_json_error_code(resp, 400, err_code(APP_BAD_QUERY), "dry_run is true or false.");
		return;
	}
	struct import_collected c;
	struct import_opts o;
	struct csvin *in = import_api_start(req, &c, &o);
	o.dry_run = dry;
	struct import_result res;
	struct timport_result t;
	enum app_err rc = import_any(req->app, e, in, &o, &res, &t);
	csvin_free(in);
	if (rc == APP_OK)
		import_answer(resp, e, &res, &t, dry);
	else if (rc == APP_INVALID)
		import_api_invalid(resp, res.errors, res.bad_rows, res.checked, &c);
	else if (rc == APP_FORBIDDEN)
		resp_json_error_code(resp, 403, err_code(rc), "Your role may not import into this collection.");
	else
		resp_json_error_code(resp, err_status(rc), err_code(rc), err_message(rc));
	buf_release(&c.out);
}

void import_api(struct request *req, struct response *resp)
{
	import_api_of(req, resp, ENT(NEED));
}

void import_collection_api(struct request *req, struct response *resp)
{
	if (!import_may_collection(req->entity)) {
		resp_json_error_code(resp, 405, err_code(APP_METHOD), "This collection cannot be imported.");
		return;
	}
	import_api_of(req, resp, req->entity);
}

/* ---- the page ------------------------------------------------------------- */

/* ---- the page's form ------------------------------------------------------- */

#define KEPT_FIELD "workbook" /* a checked workbook, sent back with the form */

/* A multipart field's text, kept in f (NULL: absent). */
static const char *part_text(struct import_form *f, int i, const char *name)
{
	f->owned[i] = mp_text(&f->parts, name);
	return f->owned[i];
}

/* A workbook kept from a check: the base64 of KEPT_FIELD, decoded. */
static void kept_workbook(struct import_form *f, const char *b64)
{
	size_t n = strlen(b64), len;
	f->kept = xmalloc(n / 4 * 3 + 3);
	if (sodium_base642bin(f->kept, n / 4 * 3 + 3, b64, n, NULL, &len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) == 0 && len) {
		f->file = (const char *)f->kept;
		f->file_len = len;
	}
}

static void read_multipart(struct request *req, const char *ct, struct import_form *f)
{
	const char *why;
	if (!mp_parse(ct, req->body, req->body_len, &f->parts, &why))
		return;
	f->csv = part_text(f, 0, "csv");
	f->name = part_text(f, 1, "name");
	f->sheet = part_text(f, 2, "sheet");
	const char *dry = part_text(f, 3, "dry_run"), *kept = part_text(f, 4, KEPT_FIELD);
	bool d;
	f->dry_run = dry && util_parse_flag(dry, &d) && d;
	const struct mp_part *file = mp_get(&f->parts, "file");
	if (file && file->len && !xlsxin_is_zip(file->data, file->len) && !memchr(file->data, 0, file->len)) {
		/* a CSV file: as if pasted, to be shown again for correction */
		f->owned[5] = xstrndup(file->data, file->len);
		f->csv = f->owned[5];
		if (file->filename && *file->filename && !(f->name && *f->name))
			f->name = file->filename;
	} else if (file && file->len) {
		f->file = file->data;
		f->file_len = file->len;
		if (file->filename && *file->filename && !(f->name && *f->name))
			f->name = file->filename;
	} else if (kept && *kept && !(f->csv && *f->csv)) { /* (text pasted since wins) */
		kept_workbook(f, kept);
	}
}

void import_form_read(struct request *req, struct import_form *f)
{
	*f = (struct import_form){ 0 };
	const char *ct = req->header(req, "Content-Type");
	if (ct && mp_is_form_data(ct)) {
		read_multipart(req, ct, f);
	} else if (ct && util_prefix_ci(ct, "application/x-www-form-urlencoded")) {
		args_parse_form(&f->args, req->body, req->body_len);
		f->csv = args_get(&f->args, "csv");
		f->name = args_get(&f->args, "name");
		f->sheet = args_get(&f->args, "sheet");
		bool d;
		f->dry_run = util_parse_flag(args_get(&f->args, "dry_run"), &d) && d;
	}
	f->csv = f->csv ? f->csv : "";
	f->sheet = f->sheet ? f->sheet : "";
	f->name = import_file_name(f->name);
}

void import_form_release(struct import_form *f)
{
	args_release(&f->args);
	mp_release(&f->parts);
	for (size_t i = 0; i < sizeof f->owned / sizeof *f->owned; i++)
		free(f->owned[i]);
	free(f->kept);
}

struct csvin *import_form_reader(const struct import_form *f)
{
	if (f->file)
		return xlsxin_or_csv(f->file, f->file_len, f->sheet, NULL);
	return csvin_new_mem(f->csv, strlen(f->csv), NULL);
}

/* The workbook of a check, sent back with the form so that Import needs
 * no second choice of the file. */
static void keep_workbook(struct request *req, struct buf *b, const struct import_form *f)
{
	size_t n = sodium_base64_ENCODED_LEN(f->file_len, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = xmalloc(n);
	sodium_bin2base64(b64, n, (const unsigned char *)f->file, f->file_len, sodium_base64_VARIANT_ORIGINAL);
	struct buf name = BUF_INIT;
	buf_html(&name, f->name);
	buf_printf(b, "<p class=\"help\" id=\"import-kept\">");
	buf_printf(b, _("The workbook %s is kept for the import: press Import, or choose another file."),
		   buf_cstr(&name));
	buf_printf(b, "</p><input type=\"hidden\" name=\"" KEPT_FIELD "\" value=\"%s\">", b64);
	buf_release(&name);
	free(b64);
}

void import_csv_form(struct request *req, struct buf *b, const char *action, const struct import_form *f,
		     const char *cancel)
{
	const char *csv = f ? f->csv : "", *sheet = f ? f->sheet : "";
	buf_printf(b, "<form method=\"post\" action=\"%s\" class=\"record-form\" id=\"import-form\" "
		      "enctype=\"multipart/form-data\">", action);
	page_csrf_field(req, b);
	buf_printf(b, "<div class=\"field\" id=\"import-file-field\"><label for=\"import-file\">%s</label>"
		      "<input type=\"file\" id=\"import-file\" name=\"file\" accept=\".csv,.txt,.xlsx,text/csv,"
		      "text/plain," XLSX_CONTENT_TYPE "\" aria-describedby=\"import-file-help\">"
		      "<p class=\"help\" id=\"import-file-help\">%s</p>",
		   _("File (CSV or Excel)"),
		   _("An Excel workbook (.xlsx) is sent as it is; a CSV file is put in the box below, where it "
		     "can be corrected. Then press Import."));
	if (f && f->file && xlsxin_is_zip(f->file, f->file_len) && f->file_len <= IMPORT_PAGE_TEXT_MAX)
		keep_workbook(req, b, f);
	buf_adds(b, "</div>");
	buf_printf(b, "<div class=\"field\"><label for=\"import-sheet\">%s</label>"
		      "<input type=\"text\" id=\"import-sheet\" name=\"sheet\" maxlength=\"31\" value=\"",
		   _("Sheet (Excel)"));
	buf_html(b, sheet);
	buf_printf(b, "\" aria-describedby=\"import-sheet-help\"><p class=\"help\" id=\"import-sheet-help\">%s</p></div>",
		   _("The name of the sheet to read in a workbook; empty: the first."));
	buf_printf(b, "<div class=\"field\"><label for=\"import-csv\">%s</label>"
		      "<textarea id=\"import-csv\" name=\"csv\" rows=\"14\" cols=\"80\" spellcheck=\"false\" "
		      "aria-describedby=\"import-csv-help\">",
		   _("CSV text"));
	buf_html(b, csv);
	buf_printf(b, "</textarea><p class=\"help\" id=\"import-csv-help\">%s</p></div>",
		   _("Paste the rows with their header line, or cells copied from a spreadsheet."));
	buf_adds(b, "<input type=\"hidden\" name=\"name\" id=\"import-name\" value=\"");
	if (f && f->file)
		buf_html(b, f->name);
	buf_adds(b, "\">");
	buf_printf(b, "<div class=\"field actions\"><button type=\"submit\" name=\"dry_run\" value=\"true\" "
		      "class=\"secondary\">%s</button> <button type=\"submit\">%s</button>",
		   _("Check without importing"), _("Import"));
	if (cancel)
		buf_printf(b, " <a href=\"%s\">%s</a>", cancel, _("Cancel"));
	buf_adds(b, "</div></form>");
	page_js(b, "import.js");
}

void import_page_counts(const struct request *req, struct buf *b, const struct import_result *res, bool dry)
{
	char n[3][NUM_TEXT_MAX];
	num_text(n[0], req->lang, res->rows, 0);
	num_text(n[1], req->lang, res->updated, 0);
	num_text(n[2], req->lang, res->unchanged, 0);
	buf_adds(b, "<p role=\"status\" class=\"ok\">");
	if (dry)
		buf_printf(b, _("Checked, nothing written yet: %s records would be created, %s updated and %s left "
				"unchanged. Press Import to write them."), n[0], n[1], n[2]);
	else
		buf_printf(b, _("%s records created, %s updated and %s left unchanged."), n[0], n[1], n[2]);
	buf_adds(b, "</p>");
}

void import_page_recheck(struct request *req, struct buf *b, const char *action, const struct import_form *f,
			 const char *cancel)
{
	struct import_form again = *f;
	size_t n = strlen(f->csv);
	bool kept = f->file ? xlsxin_is_zip(f->file, f->file_len) && f->file_len <= IMPORT_PAGE_TEXT_MAX
			    : n <= IMPORT_PAGE_TEXT_MAX && util_valid_utf8(f->csv, n);
	if (!kept) {
		buf_printf(b, "<p>%s</p>", _("The file is too large to be shown again here: choose it again, then press Import."));
		again.csv = "";
		again.file = NULL;
	}
	import_csv_form(req, b, action, &again, cancel);
}

void import_template_link(struct request *req, struct buf *b, const struct entity *e)
{
	buf_printf(b, "<p><a href=\"/%s/import/template.xlsx\" download>%s</a> — %s</p>", e->plural,
		   _("Workbook to fill in (Excel)"),
		   _("each column explained, with drop-down lists of the allowed values."));
}

void import_round_trip_help(struct request *req, struct buf *b)
{
	buf_printf(b, "<p>%s</p>", _("A list exported from suivi as CSV comes back as it is: a row with a number "
				     "(id) updates that record, unless someone changed it since the export; a row "
				     "without one is added. Check without importing first to see what would change."));
}

static void needs_help(struct request *req, struct buf *b)
{
	buf_printf(b, "<p>%s</p>", _("The first line names the columns: country, theme, assessed_on, severity "
				     "and source are required; status, description_fr, description_en, "
				     "description_ar, reference and sample may follow. French or English "
				     "headings such as Pays, Thème, Date or Gravité are understood."));
	buf_printf(b, "<p>%s</p>", _("Countries by code (MA) or name, themes by code or name, dates as "
				     "YYYY-MM-DD or DD/MM/YYYY, separated by commas or semicolons, in UTF-8 "
				     "or Windows-1252. Nothing is imported unless every row is correct."));
}

/* The columns of a collection's file, for the others than needs. */
static void collection_help(struct request *req, struct buf *b)
{
	buf_printf(b, "<p>%s</p>", _("The first line names the columns: the names the CSV export gives them, or "
				     "the labels of the form's fields. Records are named by their number, values by "
				     "their code or label, dates as YYYY-MM-DD or DD/MM/YYYY. Nothing is imported "
				     "unless every row is correct."));
}

struct import_page {
	const struct entity *e;
	const char *title, *action, *list;
	void (*help)(struct request *req, struct buf *b);
};

/* The outcome of a posted import: what it did (or, checked, would do) and
 * the way on, or the problems and the form again. */
static void import_page_post(struct request *req, struct response *resp, const struct import_page *p,
			     const struct import_form *f)
{
	struct buf *b = &resp->body;
	struct import_collected c = { .max = IMPORT_PAGE_ROWS_MAX, .lang = req->lang };
	struct import_opts o = { .who = &req->who, .name = f->name, .on_error = import_collect_html,
				 .err_ctx = &c, .dry_run = f->dry_run };
	struct csvin *in = import_form_reader(f);
	struct import_result res;
	enum app_err rc = import_any(req->app, p->e, in, &o, &res, NULL);
	csvin_free(in);
	if (rc == APP_OK && o.dry_run) {
		import_page_counts(req, b, &res, true);
		import_page_recheck(req, b, p->action, f, p->list);
	} else if (rc == APP_OK) {
		char n[NUM_TEXT_MAX];
		if (res.updated || res.unchanged || p->e != ENT(NEED)) {
			import_page_counts(req, b, &res, false);
		} else {
			buf_adds(b, "<p role=\"status\" class=\"ok\">");
			buf_printf(b, _("%s needs assessments imported."), num_text(n, req->lang, res.rows, 0));
			buf_adds(b, "</p>");
		}
		buf_printf(b, "<p><a href=\"%s\">%s</a> · <a href=\"%s\">%s</a></p>", p->list, _("See the list"),
			   p->action, _("Import another file"));
	} else {
		import_page_failure(req, resp, rc, res.errors, res.bad_rows, res.checked, &c);
		/* the text comes back for correction when it is small enough */
		import_page_recheck(req, b, p->action, f, p->list);
	}
	buf_release(&c.out);
}

static void import_page_of(struct request *req, struct response *resp, const struct import_page *p)
{
	bool post = strcmp(req->method, "POST") == 0;
	if (!ent_can_write(p->e, req->who.role)) {
		resp->status = 403;
		page_begin(req, resp, p->title);
		buf_printf(&resp->body, "<h1>%s</h1><p class=\"error\">%s</p>", p->title, _("Your role may not do this."));
		page_end(req, resp);
		return;
	}
	struct import_form f;
	import_form_read(req, &f);
	page_begin(req, resp, p->title);
	struct buf *b = &resp->body;
	buf_printf(b, "<h1>%s</h1>", p->title);
	if (!post) {
		p->help(req, b);
		import_template_link(req, b, p->e);
		import_round_trip_help(req, b);
		import_csv_form(req, b, p->action, NULL, p->list);
	} else {
		import_page_post(req, resp, p, &f);
	}
	page_end(req, resp);
	import_form_release(&f);
}

void import_page(struct request *req, struct response *resp)
{
	const struct import_page p = { ENT(NEED), _("Import needs assessments"), "/needs/import", "/needs", needs_help };
	import_page_of(req, resp, &p);
}

void import_collection_page(struct request *req, struct response *resp)
{
	const struct entity *e = req->entity;
	if (!import_may_collection(e)) {
		page_error(req, resp, 405, N_("This collection cannot be imported."));
		return;
	}
	char *title = xasprintf(_("Import: %s"), _(e->label_plural));
	char *action = xasprintf("/%s/import", e->plural), *list = xasprintf("/%s", e->plural);
	const struct import_page p = { e, title, action, list, collection_help };
	import_page_of(req, resp, &p);
	free(title);
	free(action);
	free(list);
}
