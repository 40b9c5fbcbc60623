/* progress_http.c — see progress_http.h. */
#define _POSIX_C_SOURCE 200809L
#include "progress_http.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "auth.h"
#include "page.h"
#include "progress.h"
#include "store_notify.h"
#include "util.h"
#include "banned.h"

static const char *const statuses[] = { "planned", "in_progress", "done", "dropped" };

/* The link of the address's token, usable now; else the page that says
 * why not (404: no such link; 410: withdrawn or expired) and false. */
static bool usable_link(struct request *req, struct response *resp, struct progress_link *l)
{
	const char *token = req_param(req, "token");
	char hash[65];
	auth_token_hash(token ? token : "", hash);
	enum app_err rc = store_progress_link(req->app->store, hash, l);
	if (rc == APP_NOT_FOUND) {
		page_error(req, resp, 404, N_("This link is not valid: copy the whole address from the message."));
		return false;
	}
	if (rc) {
		page_error_rc(req, resp, rc);
		return false;
	}
	if (l->revoked_at) {
		page_error(req, resp, 410, N_("The Programme Office withdrew this link. Ask it for a new one."));
		return false;
	}
	if (l->expires_at <= time(NULL)) {
		page_error(req, resp, 410, N_("This link has expired: the next reminder brings a new one, or ask the Programme Office."));
		return false;
	}
	return true;
}

static void facts(struct request *req, struct buf *b, const struct notify_action *a)
{
	buf_adds(b, "<dl class=\"record\">");
	buf_printf(b, "<dt>%s</dt><dd>", _("Owner"));
	buf_html(b, a->owner[0] ? a->owner : "—");
	buf_printf(b, "</dd><dt>%s</dt><dd>", _("Due date"));
	if (a->due_date[0])
		page_date(b, req->lang, a->due_date);
	else
		buf_adds(b, "—");
	buf_printf(b, "</dd><dt>%s</dt><dd>%s</dd>", _("Status"), page_enum_label(req->lang, a->status));
	buf_printf(b, "<dt>%s</dt><dd>", _("Percent done"));
	page_progress(req, b, a->percent, _("Percent done"));
	buf_adds(b, "</dd></dl>");
}

static void report_form(struct request *req, struct buf *b, const struct notify_action *a, const char *problem)
{
	if (problem)
		buf_printf(b, "<p class=\"error\" role=\"alert\">%s</p>", problem);
	buf_printf(b, "<form method=\"post\" action=\"/progress/");
	buf_html(b, req_param(req, "token"));
	buf_adds(b, "\" class=\"record-form\">");
	buf_printf(b, "<div class=\"field\"><label for=\"in-status\">%s</label><select id=\"in-status\" name=\"status\">",
		   _("Status"));
	for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++)
		buf_printf(b, "<option value=\"%s\"%s>%s</option>", statuses[i],
			   strcmp(statuses[i], a->status) == 0 ? " selected" : "", page_enum_label(req->lang, statuses[i]));
	buf_printf(b, "</select></div><div class=\"field\"><label for=\"in-percent\">%s</label>"
		      "<input type=\"number\" id=\"in-percent\" name=\"percent\" min=\"0\" max=\"100\" value=\"%lld\"></div>",
		   _("Percent done"), a->percent);
	buf_printf(b, "<div class=\"field\"><label for=\"in-note\">%s</label><textarea id=\"in-note\" name=\"note\" rows=\"5\" "
		      "maxlength=\"20000\" required aria-describedby=\"help-note\"></textarea><p class=\"help\" id=\"help-note\">%s</p></div>",
		   _("Note"), _("What was done since the last report, and what remains."));
	/* the office keeps its records in French or English (an Arabic
	 * version is added on the texts to translate) */
	buf_printf(b, "<div class=\"field\"><label for=\"in-note-lang\">%s</label><select id=\"in-note-lang\" name=\"note_lang\">"
		      "<option value=\"fr\"%s lang=\"fr\">Français</option><option value=\"en\"%s lang=\"en\">English</option></select></div>",
		   _("Language of the note (the office's records are kept in French or English)"),
		   req->lang == LANG_EN ? "" : " selected", req->lang == LANG_EN ? " selected" : "");
	buf_printf(b, "<div class=\"field actions\"><button type=\"submit\">%s</button></div></form>", _("Send the progress"));
}

/* The page: the action, and the form (problem: why the last one was refused). */
static void progress_page_for(struct request *req, struct response *resp, const struct progress_link *l, int status,
			      const char *problem)
{
	struct notify_action a;
	enum app_err rc = store_notify_action(req->app->store, l->action, req->lang, &a);
	if (rc == APP_NOT_FOUND) {
		page_error(req, resp, 410, N_("This action was deleted: there is nothing more to report on it."));
		return;
	}
	if (rc) {
		page_error_rc(req, resp, rc);
		return;
	}
	struct buf *b = &resp->body;
	buf_reset(b);
	resp->status = status;
	page_begin(req, resp, _("Progress of a follow-up action"));
	buf_printf(b, "<h1>%s</h1><p class=\"lead\">", _("Progress of a follow-up action"));
	buf_html(b, a.title);
	buf_adds(b, "</p>");
	facts(req, b, &a);
	buf_printf(b, "<p>%s <bdi dir=\"ltr\">", _("This page is for"));
	buf_html(b, l->email);
	buf_printf(b, "</bdi>. %s</p>", _("What you send goes to the Programme Office under this address."));
	report_form(req, b, &a, problem);
	page_end(req, resp);
}

void progress_page(struct request *req, struct response *resp)
{
	struct progress_link l;
	if (usable_link(req, resp, &l))
		progress_page_for(req, resp, &l, 200, NULL);
}

void progress_post(struct request *req, struct response *resp)
{
	struct progress_link l;
	if (!usable_link(req, resp, &l))
		return;
	struct args form = { 0 };
	args_parse_form(&form, req->body, req->body_len);
	const char *status = args_get(&form, "status"), *note = args_get(&form, "note"), *percent = args_get(&form, "percent");
	bool known = false;
	for (size_t i = 0; status && i < sizeof statuses / sizeof *statuses; i++)
		known |= strcmp(status, statuses[i]) == 0;
	long long pct;
	const char *problem = !known ? _("Choose a status.")
			    : util_blank(note) ? _("Say in a note what was done.")
			    : percent && *percent && !(util_parse_ll(percent, &pct) && pct >= 0 && pct <= 100)
				    ? _("The percentage is a number from 0 to 100.")
				    : NULL;
	if (problem) {
		args_release(&form);
		progress_page_for(req, resp, &l, 422, problem);
		return;
	}
	/* the link's holder writes this update of this action, under its address */
	struct principal who = { .role = ROLE_OFFICER };
	snprintf(who.name, sizeof who.name, "link:%.58s", l.email);
	const char *note_lang = args_get(&form, "note_lang");
	struct progress p = { .status = status, .percent = percent, .note = note,
			      .lang = note_lang && strcmp(note_lang, "en") == 0 ? LANG_EN : LANG_FR, .version = -1 };
	struct ferrs errs = { 0 };
	enum app_err rc = progress_report(req->app, l.action, &p, &who, &errs);
	args_release(&form);
	ferrs_release(&errs);
	if (rc == APP_INVALID) {
		progress_page_for(req, resp, &l, 422, _("This report could not be recorded: check the percentage and the note."));
		return;
	}
	if (rc) {
		page_error_rc(req, resp, rc);
		return;
	}
	struct buf *b = &resp->body;
	page_begin(req, resp, _("Progress recorded"));
	buf_printf(b, "<h1>%s</h1><p role=\"status\">%s</p><p><a href=\"/progress/", _("Progress recorded"),
		   _("Thank you: the Programme Office sees your report now."));
	buf_html(b, req_param(req, "token"));
	buf_printf(b, "\">%s</a></p>", _("Send another report"));
	page_end(req, resp);
}
