/* notify_http.c — see notify_http.h. */
#define _POSIX_C_SOURCE 200809L
#include "notify_http.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app.h"
#include "mail.h"
#include "notify.h"
#include "page.h"
#include "registry.h"
#include "sealed.h"
#include "store_notify.h"
#include "util.h"
#include "webhook.h"
#include "banned.h"

/* What each template is, to people. */
static const char *template_label(const char *t)
{
	static const char *const names[][2] = {
		{ "action_due", N_("Reminder before the due date") },
		{ "action_late", N_("Reminder of a late action") },
		{ "late_digest", N_("Weekly digest of late actions") },
		{ "focal_digest", N_("Monthly summary of a focal point") },
		{ "donor_digest", N_("Monthly summary of a donor") },
		{ "registration", N_("Registration confirmation") },
		{ "event_reminder", N_("Reminder the day before an event") },
		{ "certificate", N_("Certificate of a completed training") },
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
		buf_html(b, _("This server sends no messages itself: they wait in the outbox until the command suivi notify "
			      "run sends them (from a timer), or until suivi is started with --smtp and --mail-from."));
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

static void checkbox(struct buf *b, const char *name, bool on, const char *label)
{
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
	checkbox(b, "reminders", s->reminders,
		 _("Reminders of each open follow-up action to its owner's contact persons: before the due date, when "
		   "it is late, then each week"));
	number(b, "due_days", s->due_days, 1, 90, _("Days before the due date"),
	       _("The first reminder goes this many days before the action is due."));
	checkbox(b, "digests", s->digests,
		 _("A weekly digest of the late actions to each officer with an address, and a monthly summary to each focal "
		   "point (its country's new assessments and training, its open actions, the Forum sheets to fill) and donor "
		   "(its programmes)"));
	checkbox(b, "confirmations", s->confirmations,
		 _("A confirmation with a calendar invitation to each person registered for an event, and a reminder the "
		   "day before"));
	checkbox(b, "certificates", s->certificates,
		 _("Their certificate, as PDF, to each participant with an address whose enrolment is completed"));
	number(b, "max_tries", s->max_tries, 1, 20, _("Tries before a message is given up"),
	       _("A failed delivery is tried again after 2 minutes, then after each wait twice the last."));
	buf_printf(b, "<div class=\"field actions\"><button type=\"submit\">%s</button></div></form>", _("Save"));
}

/* ---- webhooks ---- */

static enum app_err webhook_row(void *ctx, const struct webhook *w)
{
	struct page_rows *r = ctx;
	struct request *req = r->req;
	struct buf *b = r->b;
	page_rows_add(r);
	buf_adds(b, "<tr><td><bdi dir=\"ltr\">");
	buf_html(b, w->url);
	buf_adds(b, "</bdi></td><td><bdi dir=\"ltr\">");
	buf_html(b, w->events);
	buf_adds(b, "</bdi></td><td>");
	char day[11];
	snprintf(day, sizeof day, "%.10s", w->created_at ? w->created_at : "");
	page_date(b, req->lang, day);
	buf_printf(b, "</td><td><form method=\"post\" action=\"/notifications/webhooks/%lld/delete\" class=\"inline\">", w->id);
	page_csrf_field(req, b);
	buf_printf(b, "<button type=\"submit\">%s</button></form></td></tr>", _("Remove"));
	return APP_OK;
}

static enum app_err delivery_row(void *ctx, const struct delivery_row *d)
{
	struct page_rows *r = ctx;
	struct request *req = r->req;
	struct buf *b = r->b;
	page_rows_add(r);
	buf_adds(b, "<tr><td>");
	moment(req, b, d->created_at);
	buf_adds(b, "</td><td><bdi dir=\"ltr\">");
	buf_html(b, d->event);
	buf_adds(b, "</bdi></td><td><bdi dir=\"ltr\">");
	buf_html(b, d->url);
	buf_adds(b, "</bdi></td><td>");
	if (d->sent_at) {
		buf_printf(b, "%s ", _("Sent"));
		moment(req, b, d->sent_at);
	} else {
		buf_adds(b, d->given_up_at ? _("Given up") : d->tries ? _("To try again") : _("Waiting"));
	}
	buf_printf(b, "</td><td>%lld</td><td><bdi dir=\"ltr\">", d->tries);
	buf_html(b, d->last_error ? d->last_error : "");
	buf_adds(b, "</bdi></td></tr>");
	return APP_OK;
}

static void webhooks_section(struct request *req, struct buf *b)
{
	buf_printf(b, "<h2 id=\"webhooks\">%s</h2><p>", _("Webhooks"));
	buf_html(b, _("Another system is told of what changes here: suivi posts to its address a JSON body naming the "
		      "event and the record (not its content: the receiver reads it through the API with a token), signed "
		      "with the webhook's secret in the X-Suivi-Signature header."));
	buf_adds(b, "</p>");
	struct page_table t = { .cls = "list", .scroll = true, .caption = _("Webhooks"), .sr_caption = true,
				.cols = { _("Address"), _("Events"), _("Added"), _("Action") } };
	struct page_rows rows = { .req = req, .b = b, .table = &t };
	enum app_err rc = store_webhooks(req->app->store, webhook_row, &rows);
	page_rows_finish(&rows, rc, _("No webhook yet."));
	buf_printf(b, "<h3>%s</h3>", _("Add a webhook"));
	buf_adds(b, "<form method=\"post\" action=\"/notifications/webhooks\" class=\"record-form\">");
	page_csrf_field(req, b);
	buf_printf(b, "<div class=\"field\"><label for=\"in-url\">%s</label><input type=\"url\" id=\"in-url\" name=\"url\" "
		      "required maxlength=\"500\" dir=\"ltr\" placeholder=\"https://example.org/hooks/suivi\"></div>",
		   _("Address"));
	buf_printf(b, "<div class=\"field\"><label for=\"in-events\">%s</label><input type=\"text\" id=\"in-events\" "
		      "name=\"events\" required maxlength=\"1000\" dir=\"ltr\" autocapitalize=\"none\" spellcheck=\"false\" "
		      "aria-describedby=\"help-events\"><p class=\"help\" id=\"help-events\">",
		   _("Events"));
	buf_html(b, _("Separated by spaces: COLLECTION.created, COLLECTION.updated, COLLECTION.deleted (for example "
		      "actions.updated needs.created), and action.late when an action becomes late."));
	buf_printf(b, "</p></div><div class=\"field actions\"><button type=\"submit\">%s</button></div></form>",
		   _("Add the webhook"));
	struct page_table d = { .cls = "list", .scroll = true, .caption = _("The latest deliveries"),
				.cols = { _("Queued"), _("Event"), _("Address"), _("State"), _("Tries"), _("Error") } };
	struct page_rows drows = { .req = req, .b = b, .table = &d };
	rc = store_webhook_deliveries(req->app->store, 20, delivery_row, &drows);
	page_rows_finish(&drows, rc, _("No delivery yet."));
}

/* The events as given, checked and written back one space apart: each
 * COLLECTION.created|updated|deleted of a collection that exists, or
 * action.late.  False (bad: the first that is not) when one is wrong. */
static bool events_parse(const char *given, struct buf *out, struct buf *bad)
{
	static const char *const changes[] = { "created", "updated", "deleted" };
	const char *p = given ? given : "";
	int n = 0;
	while (*p) {
		size_t skip = strspn(p, " ,\t\r\n"), len;
		p += skip;
		len = strcspn(p, " ,\t\r\n");
		if (!len)
			break;
		char word[80];
		snprintf(word, sizeof word, "%.*s", (int)(len < 79 ? len : 79), p);
		p += len;
		char *dot = strchr(word, '.');
		bool ok = strcmp(word, "action.late") == 0;
		for (size_t i = 0; !ok && dot && i < 3; i++) {
			*dot = 0;
			const struct entity *e = ent_by_plural(word);
			ok = e && !e->readonly && strcmp(dot + 1, changes[i]) == 0;
			*dot = '.';
		}
		if (!ok || len > 79) {
			buf_adds(bad, word);
			return false;
		}
		if (n++)
			buf_addc(out, ' ');
		buf_adds(out, word);
	}
	return n > 0;
}

void notify_webhook_add(struct request *req, struct response *resp)
{
	struct args form = { 0 };
	args_parse_form(&form, req->body, req->body_len);
	const char *url = args_get(&form, "url"), *why = NULL;
	struct buf events = BUF_INIT, bad = BUF_INIT;
	bool url_ok = webhook_url_ok(url, &why), events_ok = events_parse(args_get(&form, "events"), &events, &bad);
	char secret[WEBHOOK_SECRET_TEXT];
	struct buf sealed = BUF_INIT;
	enum app_err rc = APP_OK;
	long long id = 0;
	if (url_ok && events_ok) {
		webhook_new_secret(secret);
		rc = sealed_seal(req->app->key_file, (const unsigned char *)secret, strlen(secret), &sealed);
		if (!rc)
			rc = store_webhook_add(req->app->store, url, buf_cstr(&events), buf_cstr(&sealed), req->who.name, &id);
	}
	args_release(&form);
	buf_release(&sealed);
	buf_release(&events);
	if (!url_ok || !events_ok) {
		if (!url_ok)
			page_error_back(req, resp, 422, why, "/notifications#webhooks", N_("Back to the notifications"));
		else
			page_error_back(req, resp, 422,
					N_("Name the events as COLLECTION.created, COLLECTION.updated, COLLECTION.deleted or action.late."),
					"/notifications#webhooks", N_("Back to the notifications"));
		buf_release(&bad);
		return;
	}
	buf_release(&bad);
	if (rc) {
		page_error_rc(req, resp, rc);
		return;
	}
	struct buf *b = &resp->body;
	resp->status = 201;
	page_begin(req, resp, _("Webhook added"));
	buf_printf(b, "<h1>%s</h1><p>%s</p><p><code class=\"one-time\" dir=\"ltr\">%s</code></p><p>", _("Webhook added"),
		   _("Its secret, shown this once: give it to the receiver, which checks with it that each delivery comes "
		     "from this suivi."),
		   secret);
	buf_html(b, _("X-Suivi-Signature: t=TIME,sha256=HEX, where HEX is the HMAC-SHA256 of TIME, a dot and the body, "
		      "keyed with this secret. Refuse a delivery whose TIME is far from your clock."));
	buf_printf(b, "</p><p><a href=\"/notifications#webhooks\">%s</a></p>", _("Back to the notifications"));
	sodium_memzero(secret, sizeof secret);
	page_end(req, resp);
}

void notify_webhook_delete(struct request *req, struct response *resp)
{
	long long id;
	enum app_err rc = util_parse_ll(req_param(req, "id"), &id)
				  ? store_webhook_delete(req->app->store, id, req->who.name) : APP_NOT_FOUND;
	if (rc == APP_NOT_FOUND)
		page_error(req, resp, 404, N_("There is no such webhook."));
	else if (rc)
		page_error_rc(req, resp, rc);
	else
		page_redirect(resp, "/notifications#webhooks");
}

/* ---- progress links ---- */

static enum app_err link_row(void *ctx, const struct progress_link *l, const char *title)
{
	struct page_rows *r = ctx;
	struct request *req = r->req;
	struct buf *b = r->b;
	page_rows_add(r);
	buf_printf(b, "<tr><td><a href=\"/actions/%lld\">", l->action);
	page_text_cut(b, title ? title : "", 80);
	buf_adds(b, "</a></td><td><bdi dir=\"ltr\">");
	buf_html(b, l->email);
	buf_adds(b, "</bdi></td><td>");
	moment(req, b, l->expires_at);
	buf_printf(b, "</td><td><form method=\"post\" action=\"/progress-links/%lld/revoke\" class=\"inline\">",
		   l->id);
	page_csrf_field(req, b);
	buf_printf(b, "<button type=\"submit\">%s</button></form></td></tr>", _("Withdraw"));
	return APP_OK;
}

static void links_section(struct request *req, struct buf *b)
{
	buf_adds(b, "<p>");
	buf_html(b, _("Each reminder carries a link by which its recipient reports the action's progress without an "
		      "account, for 30 days. Withdraw one that went to the wrong person."));
	buf_adds(b, "</p>");
	struct page_table t = { .cls = "list", .scroll = true, .caption = _("Progress links in use, the newest first"),
				.sr_caption = true, .cols = { _("Action"), _("Recipient"), _("Until"), _("Withdraw") } };
	struct page_rows rows = { .req = req, .b = b, .table = &t };
	enum app_err rc = store_progress_links(req->app->store, time(NULL), req->lang, 50, link_row, &rows);
	page_rows_finish(&rows, rc, _("No link in use."));
}

void notify_links_page(struct request *req, struct response *resp)
{
	page_begin(req, resp, _("Progress links"));
	buf_printf(&resp->body, "<h1>%s</h1>", _("Progress links"));
	links_section(req, &resp->body);
	page_end(req, resp);
}

void notify_link_revoke(struct request *req, struct response *resp)
{
	long long id;
	enum app_err rc = util_parse_ll(req_param(req, "id"), &id)
				  ? store_progress_link_revoke(req->app->store, id, time(NULL), req->who.name) : APP_NOT_FOUND;
	if (rc == APP_NOT_FOUND)
		page_error(req, resp, 404, N_("There is no such link in use."));
	else if (rc)
		page_error_rc(req, resp, rc);
	else
		page_redirect(resp, "/progress-links");
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
	webhooks_section(req, b);
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
		.certificates = args_get(&form, "certificates") != NULL,
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

/* The opening of a form that posts to this page's own signed address. */
static void stop_form_open(struct request *req, struct buf *b, const char *address)
{
	buf_adds(b, "<form method=\"post\" action=\"/notifications/stop?address=");
	struct buf q = BUF_INIT;
	buf_url(&q, address);
	buf_html(b, buf_cstr(&q));
	buf_release(&q);
	buf_adds(b, "&amp;sig=");
	buf_html(b, args_get(&req->query, "sig"));
	buf_adds(b, "\">");
}

static void stop_form(struct request *req, struct buf *b, const char *address, bool resume, const char *button)
{
	stop_form_open(req, b, address);
	if (resume)
		buf_adds(b, "<input type=\"hidden\" name=\"resume\" value=\"1\">");
	buf_printf(b, "<button type=\"submit\">%s</button></form>", button);
}

/* The kinds of message, each a checkbox ticked when it is received. */
static void choices_form(struct request *req, struct buf *b, const char *address, const char *stopped)
{
	stop_form_open(req, b, address);
	buf_adds(b, "<input type=\"hidden\" name=\"choose\" value=\"1\"><fieldset><legend>");
	buf_html(b, _("The messages I receive"));
	buf_adds(b, "</legend>");
	for (int i = 0; i < NOTIFY_CATEGORIES; i++) {
		const struct notify_category *c = &notify_categories[i];
		buf_printf(b, "<div class=\"field\"><label><input type=\"checkbox\" name=\"want\" value=\"%s\"%s> ", c->name,
			   notify_stopped(stopped, c->name) ? "" : " checked");
		buf_html(b, _(c->label));
		buf_adds(b, "</label></div>");
	}
	buf_printf(b, "</fieldset><div class=\"field actions\"><button type=\"submit\">%s</button></div></form>",
		   _("Save my choices"));
}

/* The page of an address: what it receives, the button that stops or
 * resumes everything, and the choice of each kind; said (a role=status
 * sentence) after a change. */
static void stop_page_body(struct request *req, struct response *resp, const char *address, const char *stopped,
			   const char *said)
{
	struct buf *b = &resp->body;
	bool all = strcmp(stopped, "all") == 0;
	page_begin(req, resp, _("Messages from suivi"));
	buf_printf(b, "<h1>%s</h1>", _("Messages from suivi"));
	buf_adds(b, said ? "<p role=\"status\">" : "<p>");
	buf_html(b, said ? said
			 : all ? _("suivi sends no more messages to this address:")
			       : _("suivi sends reminders and confirmations to this address:"));
	buf_adds(b, " <bdi dir=\"ltr\">");
	buf_html(b, address);
	buf_adds(b, "</bdi></p>");
	if (all)
		stop_form(req, b, address, true, _("Receive them again"));
	else
		stop_form(req, b, address, false, _("Receive no more messages"));
	choices_form(req, b, address, stopped);
	page_end(req, resp);
}

void notify_stop_page(struct request *req, struct response *resp)
{
	const char *address;
	if (!stop_link_ok(req, &address)) {
		page_error(req, resp, 404, N_("This link is not valid: copy the whole address from the message."));
		return;
	}
	char stopped[NOTIFY_STOPPED_TEXT];
	enum app_err rc = store_notify_optout(req->app->store, address, stopped);
	if (rc) {
		page_error_rc(req, resp, rc);
		return;
	}
	stop_page_body(req, resp, address, stopped, NULL);
}

/* The kinds the form leaves unticked: "" none, "all" every one. */
static void unticked(const struct args *form, char out[NOTIFY_STOPPED_TEXT])
{
	struct buf b = BUF_INIT;
	int n = 0;
	for (int i = 0; i < NOTIFY_CATEGORIES; i++) {
		bool wanted = false;
		for (size_t k = 0; k < form->n; k++)
			wanted |= strcmp(form->a[k].name, "want") == 0 && strcmp(form->a[k].value, notify_categories[i].name) == 0;
		if (!wanted)
			buf_printf(&b, "%s%s", n++ ? " " : "", notify_categories[i].name);
	}
	snprintf(out, NOTIFY_STOPPED_TEXT, "%s", n == NOTIFY_CATEGORIES ? "all" : buf_cstr(&b));
	buf_release(&b);
}

/* POST: from the page's buttons, or a mail program's one click (RFC 8058:
 * a POST with List-Unsubscribe=One-Click, which stops everything).  The
 * signature is the proof. */
void notify_stop_post(struct request *req, struct response *resp)
{
	const char *address;
	if (!stop_link_ok(req, &address)) {
		page_error(req, resp, 404, N_("This link is not valid: copy the whole address from the message."));
		return;
	}
	struct args form = { 0 };
	args_parse_form(&form, req->body, req->body_len);
	char stopped[NOTIFY_STOPPED_TEXT] = "all";
	const char *said = _("suivi will send no more messages to this address:");
	if (args_get(&form, "resume")) {
		stopped[0] = '\0';
		said = _("suivi will send reminders and confirmations to this address again:");
	} else if (args_get(&form, "choose")) {
		unticked(&form, stopped);
		said = _("Your choices are saved for this address:");
	}
	args_release(&form);
	char actor[300];
	snprintf(actor, sizeof actor, "link:%s", address);
	enum app_err rc = store_notify_optout_set(req->app->store, address, stopped, actor);
	if (rc) {
		page_error_rc(req, resp, rc);
		return;
	}
	stop_page_body(req, resp, address, stopped, said);
}
