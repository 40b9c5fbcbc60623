/* notify_http.c — see notify_http.h. */
#define _POSIX_C_SOURCE 200809L
#include "notify_http.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "mail.h"
#include "notify.h"
#include "page.h"
#include "store_notify.h"
#include "util.h"
#include "banned.h"

/* What each template is, to people. */
static const char *template_label(const char *t)
{
	static const char *const names[][2] = {
		{ "action_due", N_("Reminder before the due date") },
		{ "action_late", N_("Reminder of a late action") },
		{ "late_digest", N_("Weekly digest of late actions") },
		{ "registration", N_("Registration confirmation") },
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(t, names[i][0]) == 0)
			return names[i][1];
	return t;
}

static void moment(struct request *req, struct buf *b, long long t)
{
	char iso[32];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(iso, sizeof iso, "%Y-%m-%d", &tm);
	page_date(b, req->lang, iso);
	strftime(iso, sizeof iso, " %H:%M UTC", &tm);
	buf_adds(b, iso);
}

/* The relay as people may see it: without its password. */
static void relay_html(struct buf *b, const char *url)
{
	const char *rest = strstr(url, "://");
	const char *at = rest ? strrchr(rest, '@') : NULL;
	buf_adds(b, "<bdi dir=\"ltr\">");
	if (at) {
		buf_add(b, url, (size_t)(rest + 3 - url));
		buf_html(b, at + 1);
	} else {
		buf_html(b, url);
	}
	buf_adds(b, "</bdi>");
}

static void sender_section(struct request *req, struct buf *b, const struct outbox_counts *n)
{
	const struct notify_config *cfg = req->app->notify;
	buf_adds(b, "<p>");
	if (cfg) {
		buf_printf(b, "%s ", _("This server sends the messages through"));
		relay_html(b, cfg->smtp);
		buf_printf(b, ", %s <bdi dir=\"ltr\">", _("from"));
		buf_html(b, cfg->from);
		buf_adds(b, "</bdi>.");
	} else {
		buf_html(b, _("This server sends no messages itself: they wait in the outbox until `suivi notify run` "
			      "sends them (from a timer), or until suivi is started with --smtp and --mail-from."));
	}
	buf_adds(b, "</p>");
	static const char *const names[] = { N_("Waiting"), N_("To try again"), N_("Sent"), N_("Given up") };
	long long v[] = { n->waiting, n->retrying, n->sent, n->given_up };
	buf_adds(b, "<dl class=\"record\">");
	for (int i = 0; i < 4; i++)
		buf_printf(b, "<dt>%s</dt><dd>%lld</dd>", _(names[i]), v[i]);
	buf_adds(b, "</dl>");
}

static enum app_err problem_row(void *ctx, const struct outbox_problem *p)
{
	struct page_rows *r = ctx;
	struct request *req = r->req;
	struct buf *b = r->b;
	page_rows_add(r);
	buf_adds(b, "<tr><td>");
	moment(req, b, p->created_at);
	buf_printf(b, "</td><td>%s</td><td><bdi dir=\"ltr\">", _(template_label(p->template)));
	buf_html(b, p->recipient);
	buf_printf(b, "</bdi></td><td>%lld</td><td>", p->tries);
	if (p->given_up_at) {
		buf_adds(b, _("Given up"));
	} else {
		buf_printf(b, "%s ", _("Next try"));
		moment(req, b, p->next_at);
	}
	buf_adds(b, "</td><td><bdi dir=\"ltr\">");
	buf_html(b, p->last_error ? p->last_error : "");
	buf_adds(b, "</bdi></td><td>");
	if (p->given_up_at) {
		buf_printf(b, "<form method=\"post\" action=\"/notifications/%lld/retry\" class=\"inline\">", p->id);
		page_csrf_field(req, b);
		buf_printf(b, "<button type=\"submit\">%s</button></form>", _("Send again"));
	}
	buf_adds(b, "</td></tr>");
	return APP_OK;
}

static void checkbox(struct request *req, struct buf *b, const char *name, bool on, const char *label)
{
	(void)req;
	buf_printf(b, "<div class=\"field\"><label><input type=\"checkbox\" name=\"%s\" value=\"1\"%s> %s</label></div>", name,
		   on ? " checked" : "", label);
}

static void number(struct buf *b, const char *name, long long v, int min, int max, const char *label,
		   const char *help)
{
	buf_printf(b, "<div class=\"field\"><label for=\"in-%s\">%s</label><input type=\"number\" id=\"in-%s\" name=\"%s\" "
		      "value=\"%lld\" min=\"%d\" max=\"%d\" required aria-describedby=\"help-%s\"><p class=\"help\" "
		      "id=\"help-%s\">%s</p></div>",
		   name, label, name, name, v, min, max, name, name, help);
}

static void settings_section(struct request *req, struct buf *b, const struct notify_settings *s)
{
	buf_printf(b, "<h2 id=\"settings\">%s</h2>", _("What suivi sends"));
	buf_adds(b, "<form method=\"post\" action=\"/notifications/settings\" class=\"record-form\">");
	page_csrf_field(req, b);
	checkbox(req, b, "reminders", s->reminders,
		 _("Reminders of each open follow-up action to its owner's contact persons: before the due date, when "
		   "it is late, then each week"));
	number(b, "due_days", s->due_days, 1, 90, _("Days before the due date"),
	       _("The first reminder goes this many days before the action is due."));
	checkbox(req, b, "digests", s->digests, _("A weekly digest of the late actions to each officer with an address"));
	checkbox(req, b, "confirmations", s->confirmations,
		 _("A confirmation with a calendar invitation to each person registered for an event"));
	number(b, "max_tries", s->max_tries, 1, 20, _("Tries before a message is given up"),
	       _("A failed delivery is tried again after 2 minutes, then after each wait twice the last."));
	buf_printf(b, "<div class=\"field actions\"><button type=\"submit\">%s</button></div></form>", _("Save"));
}

void notify_page(struct request *req, struct response *resp)
{
	struct buf *b = &resp->body;
	struct outbox_counts n;
	struct notify_settings s;
	enum app_err rc = store_outbox_counts(req->app->store, &n);
	if (!rc)
		rc = notify_settings_read(req->app->store, &s);
	if (rc) {
		page_error_rc(req, resp, rc);
		return;
	}
	page_begin(req, resp, _("Notifications"));
	buf_printf(b, "<h1>%s</h1>", _("Notifications"));
	const char *saved = args_get(&req->query, "saved");
	if (saved)
		buf_printf(b, "<p class=\"notice\" role=\"status\">%s</p>", _("Saved."));
	sender_section(req, b, &n);
	buf_printf(b, "<h2 id=\"problems\">%s</h2>", _("Messages not delivered"));
	struct page_table t = { .cls = "list", .scroll = true, .caption = _("Messages not delivered, the latest first"),
				.sr_caption = true,
				.cols = { _("Queued"), _("Message"), _("Recipient"), _("Tries"), _("State"), _("Error"),
					  _("Action") } };
	struct page_rows rows = { .req = req, .b = b, .table = &t };
	rc = store_outbox_problems(req->app->store, 100, problem_row, &rows);
	page_rows_finish(&rows, rc, _("Every message was delivered or waits for its first try."));
	settings_section(req, b, &s);
	page_end(req, resp);
}

/* A number field of the form in [min, max], else false. */
static bool form_number(struct args *form, const char *name, long long min, long long max, long long *out)
{
	const char *v = args_get(form, name);
	return v && util_parse_ll(v, out) && *out >= min && *out <= max;
}

void notify_settings_post(struct request *req, struct response *resp)
{
	struct args form = { 0 };
	args_parse_form(&form, req->body, req->body_len);
	struct notify_settings s = {
		.reminders = args_get(&form, "reminders") != NULL,
		.digests = args_get(&form, "digests") != NULL,
		.confirmations = args_get(&form, "confirmations") != NULL,
	};
	bool ok = form_number(&form, "due_days", 1, 90, &s.due_days) && form_number(&form, "max_tries", 1, 20, &s.max_tries);
	args_release(&form);
	if (!ok) {
		page_error_back(req, resp, 422, N_("The days run from 1 to 90 and the tries from 1 to 20."),
				"/notifications#settings", N_("Back to the notifications"));
		return;
	}
	enum app_err rc = notify_settings_write(req->app->store, &s, req->who.name);
	if (rc)
		page_error_rc(req, resp, rc);
	else
		page_redirect(resp, "/notifications?saved=1#settings");
}

void notify_retry_post(struct request *req, struct response *resp)
{
	long long id;
	if (!util_parse_ll(req_param(req, "id"), &id)) {
		page_error(req, resp, 404, N_("There is no such message."));
		return;
	}
	enum app_err rc = store_outbox_retry(req->app->store, id, time(NULL), req->who.name);
	if (rc == APP_NOT_FOUND) {
		page_error(req, resp, 404, N_("There is no such message given up."));
		return;
	}
	if (rc) {
		page_error_rc(req, resp, rc);
		return;
	}
	notify_wake();
	page_redirect(resp, "/notifications#problems");
}

/* ---- the link in every message that stops them (List-Unsubscribe) ---- */

static bool stop_link_ok(struct request *req, const char **address)
{
	*address = args_get(&req->query, "address");
	return *address && mail_address_ok(*address) &&
	       notify_stop_valid(req->app->key_file, *address, args_get(&req->query, "sig"));
}

static void stop_form(struct request *req, struct buf *b, const char *address, bool resume, const char *button)
{
	buf_adds(b, "<form method=\"post\" action=\"/notifications/stop?address=");
	struct buf q = BUF_INIT;
	buf_url(&q, address);
	buf_html(b, buf_cstr(&q));
	buf_release(&q);
	buf_adds(b, "&amp;sig=");
	buf_html(b, args_get(&req->query, "sig"));
	buf_adds(b, "\">");
	if (resume)
		buf_adds(b, "<input type=\"hidden\" name=\"resume\" value=\"1\">");
	buf_printf(b, "<button type=\"submit\">%s</button></form>", button);
}

void notify_stop_page(struct request *req, struct response *resp)
{
	const char *address;
	if (!stop_link_ok(req, &address)) {
		page_error(req, resp, 404, N_("This link is not valid: copy the whole address from the message."));
		return;
	}
	bool stopped = false;
	enum app_err rc = store_notify_optout(req->app->store, address, &stopped);
	if (rc) {
		page_error_rc(req, resp, rc);
		return;
	}
	struct buf *b = &resp->body;
	page_begin(req, resp, _("Messages from suivi"));
	buf_printf(b, "<h1>%s</h1><p>", _("Messages from suivi"));
	buf_html(b, stopped ? _("suivi sends no more messages to this address:") : _("suivi sends reminders and confirmations to this address:"));
	buf_adds(b, " <bdi dir=\"ltr\">");
	buf_html(b, address);
	buf_adds(b, "</bdi></p>");
	if (stopped)
		stop_form(req, b, address, true, _("Receive them again"));
	else
		stop_form(req, b, address, false, _("Receive no more messages"));
	page_end(req, resp);
}

/* POST: from the page's button, or a mail program's one click (RFC 8058:
 * a POST with List-Unsubscribe=One-Click).  The signature is the proof. */
void notify_stop_post(struct request *req, struct response *resp)
{
	const char *address;
	if (!stop_link_ok(req, &address)) {
		page_error(req, resp, 404, N_("This link is not valid: copy the whole address from the message."));
		return;
	}
	struct args form = { 0 };
	args_parse_form(&form, req->body, req->body_len);
	bool resume = args_get(&form, "resume") != NULL;
	args_release(&form);
	char actor[300];
	snprintf(actor, sizeof actor, "link:%s", address);
	enum app_err rc = store_notify_optout_set(req->app->store, address, !resume, actor);
	if (rc) {
		page_error_rc(req, resp, rc);
		return;
	}
	struct buf *b = &resp->body;
	page_begin(req, resp, _("Messages from suivi"));
	buf_printf(b, "<h1>%s</h1><p role=\"status\">", _("Messages from suivi"));
	buf_html(b, resume ? _("suivi will send reminders and confirmations to this address again:")
			   : _("suivi will send no more messages to this address:"));
	buf_adds(b, " <bdi dir=\"ltr\">");
	buf_html(b, address);
	buf_adds(b, "</bdi></p>");
	if (!resume)
		stop_form(req, b, address, true, _("Receive them again"));
	page_end(req, resp);
}
