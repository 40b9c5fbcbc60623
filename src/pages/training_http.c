/* training_http.c — the training import, duplicates and merge over HTTP
 * (training_import.c and store_training.c do the work):
 *
 *   POST /api/v1/participants/import, /api/v1/enrolments/import
 *        body: the CSV (Content-Type: text/csv); ?name= the file's name
 *        200 {"imported": N, "matched": M, "likely_duplicates": L}
 *        422 {"error": {"code": "invalid", "message", "problems", "rows": [{"line",
 *             "field", "column", "message"}, …]}}
 *   POST /api/v1/participants/ID/merge   {"into": ID2}
 *        200 {"merged", "into", "moved": [...], "dropped": [{"enrolment", "session", "kept"}]}
 *   GET  /participants/import, /enrolments/import   the upload pages
 *   POST the same: their form (urlencoded: _csrf, csv, name): the report
 *   GET  /participants/duplicates   likely duplicates, grouped, each with a merge form
 *   POST /participants/duplicates   (from, into): merges, then back to the list
 *
 * Staff only (participants' names are personal data). */
#define _POSIX_C_SOURCE 200809L
#include "training_http.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "csvin.h"
#include "import_http.h"
#include "imports.h"
#include "money.h"
#include "entity.h"
#include "page.h"
#include "store_tsum.h"
#include "training_import.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

#define DUP_GROUPS 200

static bool staff(const struct request *req)
{
	return (R_STAFF & ROLE_BIT(req->who.role)) != 0;
}

/* ---- API ---- */

void training_merge_api(struct request *req, struct response *resp)
{
	long long from;
	if (!req_param_id(req, "id", &from))
		return; /* the table's {id} is a positive integer */
	if (!staff(req)) {
		resp_json_error_code(resp, 403, err_code(APP_FORBIDDEN), "Only staff may merge participants.");
		return;
	}
	json_error_t jerr;
	json_t *body = json_loadb(req->body, req->body_len, 0, &jerr);
	json_t *into = body ? json_object_get(body, "into") : NULL;
	if (!json_is_integer(into)) {
		json_decref(body);
		resp_json_error_code(resp, 400, err_code(APP_BAD_JSON), "The body is {\"into\": the number of the participant to keep}.");
		return;
	}
	long long to = json_integer_value(into);
	json_decref(body);
	struct buf report = BUF_INIT;
	enum app_err rc = store_tsum_merge(req->app->store, from, to, &report, req->who.name);
	if (rc == APP_OK) {
		resp->status = 200;
		resp->content_type = "application/json";
		buf_reset(&resp->body);
		buf_adds(&resp->body, buf_cstr(&report));
	} else if (rc == APP_INVALID) {
		resp_json_error_code(resp, 422, err_code(APP_INVALID), "A participant cannot be merged into itself.");
	} else {
		resp_json_error_code(resp, err_status(rc), err_code(rc), rc == APP_NOT_FOUND ? "No such participant." : err_message(rc));
	}
	buf_release(&report);
}

void training_participants_import_api(struct request *req, struct response *resp)
{
	if (import_api_allowed(resp, staff(req), "Your role may not import participants or enrolments."))
		import_api_of(req, resp, ENT(PARTICIPANT));
}

void training_enrolments_import_api(struct request *req, struct response *resp)
{
	if (import_api_allowed(resp, staff(req), "Your role may not import participants or enrolments."))
		import_api_of(req, resp, ENT(ENROLMENT));
}

/* ---- pages ---- */

static void not_allowed_page(struct request *req, struct response *resp, const char *title)
{
	resp->status = 403;
	page_begin(req, resp, title);
	buf_printf(&resp->body, "<h1>%s</h1><p class=\"error\">%s</p>", title, _("Your role may not do this."));
	page_end(req, resp);
}

static void training_import_page(struct request *req, struct response *resp, enum timport_kind kind)
{
	bool participants = kind == TIMPORT_PARTICIPANTS;
	const char *title = participants ? _("Import participants") : _("Import enrolments and results");
	const char *action = participants ? "/participants/import" : "/enrolments/import";
	if (!staff(req)) {
		not_allowed_page(req, resp, title);
		return;
	}
	bool post = strcmp(req->method, "POST") == 0;
	struct import_form f;
	import_form_read(req, &f);
	page_begin(req, resp, title);
	struct buf *b = &resp->body;
	buf_printf(b, "<h1>%s</h1>", title);
	if (!post) {
		buf_printf(b, "<p>%s</p>", participants
			? _("The first line names the columns: family_name and country are required; given_names, email, phone, document_number, birth_date, agency, function, rank, sex, age_band, sample and source may follow. French or English headings such as Nom, Prénoms, Pays or Date de naissance are understood.")
			: _("The first line names the columns: session, and the participant by number (participant) or by family_name, given_names, country and birth_date or document_number; then days_attended, pre_score, post_score, satisfaction, completed."));
		buf_printf(b, "<p>%s</p>", participants
			? _("A row with the name, country and date of birth or document number of a participant already recorded is that participant: it is not added again. The same name and country alone make a likely duplicate, listed for review and merging. Nothing is imported unless every row is correct.")
			: _("Nothing is imported unless every row is correct."));
		import_template_link(req, b, participants ? ENT(PARTICIPANT) : ENT(ENROLMENT));
		import_round_trip_help(req, b);
		import_csv_form(req, b, action, NULL, NULL);
	} else {
		struct import_collected c = { .max = IMPORT_PAGE_ROWS_MAX, .lang = req->lang };
		struct import_opts o = { .who = &req->who, .name = f.name, .on_error = import_collect_html,
					 .err_ctx = &c, .dry_run = f.dry_run };
		struct csvin *in = import_form_reader(&f);
		struct timport_result res;
		struct import_result all;
		enum app_err rc = import_any(req->app, participants ? ENT(PARTICIPANT) : ENT(ENROLMENT), in, &o, &all, &res);
		csvin_free(in);
		if (rc == APP_OK && o.dry_run) {
			import_page_counts(req, b, &all, true);
			import_page_recheck(req, b, action, &f, NULL);
		} else if (rc == APP_OK && (all.updated || all.unchanged)) {
			import_page_counts(req, b, &all, false);
			buf_printf(b, "<p><a href=\"%s\">%s</a></p>", action, _("Import another file"));
		} else if (rc == APP_OK) {
			buf_adds(b, "<p role=\"status\" class=\"ok\">");
			char n[2][NUM_TEXT_MAX];
			buf_printf(b, participants ? _("%s participants imported.") : _("%s enrolments imported."),
				   num_text(n[0], req->lang, res.created, 0));
			buf_adds(b, "</p>");
			if (participants) {
				buf_adds(b, "<p>");
				buf_printf(b, _("%s rows were participants already recorded; %s likely duplicates to review."),
					   num_text(n[0], req->lang, res.matched, 0), num_text(n[1], req->lang, res.likely, 0));
				buf_printf(b, " <a href=\"/participants/duplicates\">%s</a></p>", _("Likely duplicates"));
			}
			buf_printf(b, "<p><a href=\"%s\">%s</a></p>", action, _("Import another file"));
		} else {
			import_page_failure(req, resp, rc, res.errors, res.bad_rows, res.checked, &c);
			import_page_recheck(req, b, action, &f, NULL);
		}
		buf_release(&c.out);
	}
	page_end(req, resp);
	import_form_release(&f);
}

struct dup_ctx {
	struct request *req;
	struct buf *b;
	char key[512];
	long long first; /* the group's first participant: the one kept by default */
	int groups;
};

static void dup_close(struct dup_ctx *d)
{
	if (d->key[0])
		buf_adds(d->b, "</tbody></table></section>");
}

static enum app_err dup_row(void *ctx, const struct row *row)
{
	struct dup_ctx *d = ctx;
	struct request *req = d->req;
	struct buf *b = d->b;
	const char *key = row_text(row, 0);
	long long id = row_int(row, 1);
	if (!key || strcmp(key, d->key) != 0) {
		dup_close(d);
		snprintf(d->key, sizeof d->key, "%s", key ? key : "");
		d->first = id;
		d->groups++;
		buf_printf(b, "<section class=\"dup-group\"><h2>");
		buf_html(b, row_text(row, 2) ? row_text(row, 2) : "");
		buf_adds(b, " ");
		buf_html(b, row_text(row, 3) ? row_text(row, 3) : "");
		buf_adds(b, " (");
		buf_html(b, row_text(row, 4) ? row_text(row, 4) : "");
		buf_printf(b, ")</h2><table><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
			   _("Number"), _("Name"), _("Date of birth"), _("Identity document number"), _("Agency"),
			   _("Enrolments"), _("Merge"));
	}
	buf_printf(b, "<tr><td><a href=\"/participants/%lld\">%lld</a></td><td>", id, id);
	buf_html(b, row_text(row, 2) ? row_text(row, 2) : "");
	buf_adds(b, " ");
	buf_html(b, row_text(row, 3) ? row_text(row, 3) : "");
	buf_adds(b, "</td><td>");
	if (row_text(row, 5))
		page_date(b, req->lang, row_text(row, 5));
	buf_adds(b, "</td><td>");
	buf_html(b, row_text(row, 6) ? row_text(row, 6) : "");
	buf_adds(b, "</td><td>");
	if (row_text(row, 7))
		buf_html(b, page_enum_label(req->lang, row_text(row, 7)));
	buf_printf(b, "</td><td>%lld</td><td>", row_int(row, 8));
	if (id != d->first) {
		buf_adds(b, "<form method=\"post\" action=\"/participants/duplicates\">");
		page_csrf_field(req, b);
		buf_printf(b, "<input type=\"hidden\" name=\"from\" value=\"%lld\">"
			      "<input type=\"hidden\" name=\"into\" value=\"%lld\">"
			      "<button type=\"submit\">", id, d->first);
		buf_printf(b, _("Merge into number %lld"), d->first);
		buf_adds(b, "</button></form>");
	} else {
		buf_html(b, _("kept"));
	}
	buf_adds(b, "</td></tr>");
	return APP_OK;
}

void training_duplicates_page(struct request *req, struct response *resp)
{
	const char *title = _("Likely duplicate participants");
	if (!staff(req)) {
		not_allowed_page(req, resp, title);
		return;
	}
	struct buf msg = BUF_INIT;
	if (strcmp(req->method, "POST") == 0) {
		struct args f = { 0 };
		args_parse_form(&f, req->body, req->body_len);
		long long from, into;
		const char *a = args_get(&f, "from"), *b = args_get(&f, "into");
		if (a && b && util_parse_ll(a, &from) && util_parse_ll(b, &into)) {
			struct buf report = BUF_INIT;
			enum app_err rc = store_tsum_merge(req->app->store, from, into, &report, req->who.name);
			if (rc == APP_OK)
				buf_printf(&msg, _("Participant %lld merged into %lld: every enrolment moved (where both were in one session, the more complete one was kept)."), from, into);
			else
				buf_adds(&msg, _("The merge failed: the participants may have changed; reload the page."));
			buf_release(&report);
		}
		args_release(&f);
	}
	page_begin(req, resp, title);
	struct buf *b = &resp->body;
	buf_printf(b, "<h1>%s</h1><p>%s</p>", title,
		   _("Participants with the same names (whatever the order, accents or case) and country, but no equal date of birth or document number to confirm they are one person. Merging keeps every enrolment and is recorded in the audit trail."));
	if (msg.len) {
		buf_adds(b, "<p role=\"status\" class=\"ok\">");
		buf_html(b, buf_cstr(&msg));
		buf_adds(b, "</p>");
	}
	struct dup_ctx d = { .req = req, .b = b };
	enum app_err rc = store_tsum_duplicates(req->app->store, DUP_GROUPS, dup_row, &d);
	dup_close(&d); /* the group being written, if the walk stopped in it */
	if (!page_part_failed(req, b, rc) && !d.groups) /* not "none" as well */
		buf_printf(b, "<p>%s</p>", _("No likely duplicates."));
	buf_printf(b, "<p><a href=\"/participants/import\">%s</a> · <a href=\"/enrolments/import\">%s</a></p>",
		   _("Import participants"), _("Import enrolments and results"));
	page_end(req, resp);
	buf_release(&msg);
}

void training_participants_import_page(struct request *req, struct response *resp)
{
	training_import_page(req, resp, TIMPORT_PARTICIPANTS);
}

void training_enrolments_import_page(struct request *req, struct response *resp)
{
	training_import_page(req, resp, TIMPORT_ENROLMENTS);
}
