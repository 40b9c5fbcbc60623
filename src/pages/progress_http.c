/* progress_http.c — see progress_http.h. */
#define _POSIX_C_SOURCE 200809L
#include "progress_http.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "auth.h"
#include "docs.h"
#include "multipart.h"
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
	buf_adds(b, "\" enctype=\"multipart/form-data\" class=\"record-form\">");
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
	buf_printf(b, "<div class=\"field\"><label for=\"in-file\">%s</label><input type=\"file\" id=\"in-file\" name=\"file\" "
		      "accept=\".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.png,.jpg,.jpeg,.gif,.webp\" "
		      "aria-describedby=\"help-file\"><p class=\"help\" id=\"help-file\">%s</p></div>",
		   _("A document (if you wish)"),
		   _("A report, minutes or a photograph: a PDF, an office document or an image, at most 20 MiB. The Programme "
		     "Office sees it with the action."));
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

/* The report's fields, from a form sent as a web form or with a file. */
struct report_form {
	struct args args;   /* the text fields */
	struct mp_form mp;  /* the parts, when sent with a file */
	const struct mp_part *file; /* a file chosen, or NULL */
};

static bool report_form_read(struct request *req, struct report_form *f)
{
	const char *ct = req->header(req, "Content-Type"), *why;
	if (!ct || !mp_is_form_data(ct)) {
		args_parse_form(&f->args, req->body, req->body_len);
		return true;
	}
	if (!mp_parse(ct, req->body, req->body_len, &f->mp, &why))
		return false;
	for (size_t i = 0; i < f->mp.n; i++) {
		const struct mp_part *p = &f->mp.parts[i];
		if (strcmp(p->name, "file") == 0)
			f->file = p->len ? p : NULL; /* no file chosen: an empty part */
		else if (!memchr(p->data, '\0', p->len))
			args_add(&f->args, p->name, strlen(p->name), p->data, p->len);
	}
	return true;
}

static void report_form_release(struct report_form *f)
{
	args_release(&f->args);
	mp_release(&f->mp);
}

/* What is wrong with the report, or NULL. */
static const char *report_problem(struct request *req, const struct report_form *f)
{
	const char *status = args_get(&f->args, "status"), *note = args_get(&f->args, "note"),
		   *percent = args_get(&f->args, "percent");
	bool known = false;
	for (size_t i = 0; status && i < sizeof statuses / sizeof *statuses; i++)
		known |= strcmp(status, statuses[i]) == 0;
	long long pct;
	const char *refused = NULL;
	if (f->file)
		docs_kind(f->file->data, f->file->len, &refused, NULL);
	return !known ? _("Choose a status.")
	     : util_blank(note) ? _("Say in a note what was done.")
	     : percent && *percent && !(util_parse_ll(percent, &pct) && pct >= 0 && pct <= 100)
		     ? _("The percentage is a number from 0 to 100.")
	     : refused ? _(refused)
		       : NULL;
}

/* The file sent with the report, attached to the action under the link's
 * address; the title says what it is and the day. */
static enum app_err attach_file(struct request *req, const struct progress_link *l, const struct principal *who,
				const struct report_form *f, enum lang lang, const char **msg)
{
	char today[16];
	util_today(today);
	struct buf title = BUF_INIT, key = BUF_INIT;
	buf_printf(&title, "%s ", tr(lang, "Document sent with the progress report of"));
	i18n_date(&title, lang, today);
	const char *name = f->file->filename ? f->file->filename : "";
	struct doc_attachment a = { .parent_field = "action", .parent = l->action, .title = buf_cstr(&title), .lang = lang,
				    .name = name, .data = f->file->data, .len = f->file->len };
	enum app_err rc = docs_attach(req->app, who, &a, &key, msg);
	buf_release(&title);
	buf_release(&key);
	return rc;
}

void progress_post(struct request *req, struct response *resp)
{
	struct progress_link l;
	if (!usable_link(req, resp, &l))
		return;
	struct report_form f = { 0 };
	if (!report_form_read(req, &f)) {
		report_form_release(&f);
		progress_page_for(req, resp, &l, 400, _("This form was not sent whole: try again."));
		return;
	}
	const char *problem = report_problem(req, &f);
	if (problem) {
		report_form_release(&f);
		progress_page_for(req, resp, &l, 422, problem);
		return;
	}
	/* the link's holder writes this update of this action, under its address */
	struct principal who = { .role = ROLE_OFFICER, .outside = true }; /* (its update is reviewed: review.h) */
	snprintf(who.name, sizeof who.name, "link:%.58s", l.email);
	const char *note_lang = args_get(&f.args, "note_lang");
	enum lang lang = note_lang && strcmp(note_lang, "en") == 0 ? LANG_EN : LANG_FR;
	struct progress p = { .status = args_get(&f.args, "status"), .percent = args_get(&f.args, "percent"),
			      .note = args_get(&f.args, "note"), .lang = lang, .version = -1 };
	struct ferrs errs = { 0 };
	enum app_err rc = progress_report(req->app, l.action, &p, &who, &errs);
	ferrs_release(&errs);
	const char *msg = NULL;
	if (!rc && f.file)
		rc = attach_file(req, &l, &who, &f, lang, &msg);
	report_form_release(&f);
	if (rc == APP_INVALID && !msg) {
		progress_page_for(req, resp, &l, 422, _("This report could not be recorded: check the percentage and the note."));
		return;
	}
	if (rc == APP_LOCKED) {
		progress_page_for(req, resp, &l, 409, _("The follow-up of this action is locked for this period: the "
							"Programme Office takes no more reports for it."));
		return;
	}
	if (rc && msg) { /* the report is recorded; its file is not */
		page_error(req, resp, err_status(rc), msg);
		return;
	}
	if (rc) {
		page_error_rc(req, resp, rc);
		return;
	}
	struct buf *b = &resp->body;
	page_begin(req, resp, _("Progress recorded"));
	buf_printf(b, "<h1>%s</h1><p role=\"status\">%s</p><p><a href=\"/progress/", _("Progress recorded"),
		   _("Thank you: the Programme Office sees your report now, and checks it before it counts."));
	buf_html(b, req_param(req, "token"));
	buf_printf(b, "\">%s</a></p>", _("Send another report"));
	page_end(req, resp);
}
