/* seal_http.c — see seal_http.h. */
#define _POSIX_C_SOURCE 200809L
#include "seal_http.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "domain.h"
#include "money.h"
#include "page.h"
#include "seal.h"
#include "store_seal.h"
#include "banned.h"

bool seal_read(struct request *req, long long id, struct buf *file, char sealed_at[21])
{
	struct seal_kept k;
	if (store_seal_get(req->app->store, id, file, &k))
		return false;
	snprintf(sealed_at, 21, "%s", k.sealed_at);
	return true;
}

/* May who read meeting id?  (The seal says what the meeting's page says.) */
static enum app_err readable(struct request *req, long long id)
{
	char key[24];
	snprintf(key, sizeof key, "%lld", id);
	return dom_readable(req->app, ENT(MEETING), key, &req->who);
}

static void sealed_facts(struct request *req, struct buf *b, long long id, const struct buf *file,
			 const struct seal_kept *k)
{
	struct seal_check c;
	const char *why = seal_verify(file->data, file->len, &c);
	buf_adds(b, "<p>");
	char day[11];
	snprintf(day, sizeof day, "%.10s", k->sealed_at);
	buf_printf(b, "%s ", _("Sealed on"));
	page_date(b, req->lang, day);
	buf_printf(b, " %s <bdi>", _("by"));
	buf_html(b, k->sealed_by);
	buf_printf(b, "</bdi>. %s</p>",
		   _("What this edition agreed, its actions and where each stood that day are signed and cannot be "
		     "rewritten; the next edition reviews its commitments against them."));
	if (why) { /* (what suivi wrote; only a hand on the database changes it) */
		buf_printf(b, "<p class=\"error\" role=\"alert\">%s</p>", _("This seal does not verify: it was changed."));
		return;
	}
	char n1[NUM_TEXT_MAX], n2[NUM_TEXT_MAX]; /* in the reader's conventions */
	buf_printf(b, "<dl class=\"record seal-facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>", _("Outcomes"),
		   num_text(n1, req->lang, c.outcomes, 0), _("Follow-up actions"), num_text(n2, req->lang, c.actions, 0));
	buf_printf(b, "<dt>SHA-256</dt><dd><code dir=\"ltr\" class=\"hash\">%s</code></dd>", c.sha256);
	buf_printf(b, "<dt>%s</dt><dd><code dir=\"ltr\" class=\"hash\">%s</code> (<a href=\"/.well-known/suivi-certificate-key\">%s</a>)</dd></dl>",
		   _("Public key (Ed25519)"), c.public_key, _("published"));
	buf_printf(b, "<p><a href=\"/meetings/%lld/seal.json\" download>%s</a>. %s <code dir=\"ltr\">suivi seal verify "
		      "seal-%lld.json %s</code></p>",
		   id, _("Download the seal (JSON)"), _("Anyone checks it, offline, with:"), id, c.public_key_hex);
}

void seal_section(struct request *req, struct buf *b, long long id)
{
	struct buf file = BUF_INIT;
	struct seal_kept k;
	enum app_err rc = store_seal_get(req->app->store, id, &file, &k);
	if (rc && rc != APP_NOT_FOUND) {
		buf_release(&file);
		(void)page_part_failed(req, b, rc);
		return;
	}
	bool staff = role_staff(req->who.role);
	if (rc == APP_NOT_FOUND && !staff) {
		buf_release(&file);
		return;
	}
	buf_printf(b, "<section id=\"seal\" class=\"seal\"><h2>%s</h2>", _("Seal of the edition"));
	if (!rc) {
		sealed_facts(req, b, id, &file, &k);
	} else {
		buf_printf(b, "<p>%s</p>", _("When the edition closes, seal it: what it agreed, its actions and where each "
					     "stands today are signed, once, and published here; the next edition's "
					     "review compares today's state with them."));
		buf_printf(b, "<form method=\"post\" action=\"/meetings/%lld/seal\">", id);
		page_csrf_field(req, b);
		buf_printf(b, "<button type=\"submit\">%s</button></form>", _("Seal this edition"));
	}
	buf_adds(b, "</section>");
	buf_release(&file);
}

/* What a refused seal says: a msgid. */
static const char *refusal(enum app_err rc)
{
	return rc == APP_CONFLICT ? N_("This edition is sealed already: a seal is never made twice.")
	     : rc == APP_INVALID ? N_("Only an edition of the strategic dialogue is sealed.")
				 : NULL;
}

void seal_post(struct request *req, struct response *resp)
{
	long long id;
	if (!req_param_id(req, "id", &id))
		return;
	enum app_err rc = readable(req, id);
	struct buf file = BUF_INIT;
	if (!rc)
		rc = seal_edition(req->app, id, dom_actor(req->app, &req->who), &file);
	buf_release(&file);
	char back[64];
	snprintf(back, sizeof back, "/meetings/%lld#seal", id);
	if (rc && refusal(rc))
		page_error_back(req, resp, err_status(rc), refusal(rc), back, N_("Back to the edition"));
	else if (rc)
		page_error_rc(req, resp, rc);
	else
		page_redirect(resp, back);
}

/* The file as an answer: a download on pages, JSON in the API. */
static void file_answer(struct request *req, struct response *resp, long long id, bool download)
{
	struct buf file = BUF_INIT;
	struct seal_kept k;
	enum app_err rc = readable(req, id);
	bool unsealed = !rc && (rc = store_seal_get(req->app->store, id, &file, &k)) == APP_NOT_FOUND;
	if (unsealed && !download) { /* the API: a meeting not sealed says so */
		buf_release(&file);
		resp->status = 200;
		resp->content_type = "application/json";
		buf_printf(&resp->body, "{\"meeting\":%lld,\"sealed\":false}", id);
		return;
	}
	if (rc) {
		buf_release(&file);
		if (unsealed)
			page_error(req, resp, 404, N_("This edition is not sealed."));
		else if (download)
			page_error_rc(req, resp, rc);
		else
			resp_json_error(resp, rc, NULL, NULL);
		return;
	}
	resp->status = 200;
	resp->content_type = "application/json";
	buf_adds(&resp->body, buf_cstr(&file));
	buf_release(&file);
	if (download) {
		char cd[80];
		snprintf(cd, sizeof cd, "attachment; filename=\"seal-%lld.json\"", id);
		resp_header(resp, "Content-Disposition", cd);
	}
}

void seal_file_page(struct request *req, struct response *resp)
{
	long long id;
	if (req_param_id(req, "id", &id))
		file_answer(req, resp, id, true);
}

void seal_api_get(struct request *req, struct response *resp)
{
	long long id;
	if (req_param_id(req, "id", &id))
		file_answer(req, resp, id, false);
}

void seal_api_post(struct request *req, struct response *resp)
{
	long long id;
	if (!req_param_id(req, "id", &id))
		return;
	if (!role_staff(req->who.role)) {
		resp_json_error_code(resp, 403, err_code(APP_FORBIDDEN), "Only staff seal an edition.");
		return;
	}
	enum app_err rc = readable(req, id);
	struct buf file = BUF_INIT;
	if (!rc)
		rc = seal_edition(req->app, id, dom_actor(req->app, &req->who), &file);
	if (rc) {
		buf_release(&file);
		resp_json_error(resp, rc, rc == APP_CONFLICT ? "This meeting is sealed already."
				      : rc == APP_INVALID ? "Only a strategic dialogue edition is sealed." : NULL,
				NULL);
		return;
	}
	resp->status = 201;
	resp->content_type = "application/json";
	buf_adds(&resp->body, buf_cstr(&file));
	buf_release(&file);
}
