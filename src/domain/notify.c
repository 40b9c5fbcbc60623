/* notify.c — see notify.h. */
#define _POSIX_C_SOURCE 200809L
#include "notify.h"

#include <jansson.h>
#include <sodium.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "i18n.h"
#include "ics.h"
#include "mail.h"
#include "money.h"
#include "sealed.h"
#include "smtp.h"
#include "store_notify.h"
#include "store_training.h"
#include "util.h"
#include "webhook.h"
#include "xalloc.h"
#include "banned.h"

#define DAY 86400LL
#define LEASE 600         /* a message taken is another sender's again after this */
#define FIRST_WAIT 120    /* the wait after a first failure, doubled after each */
#define LONGEST_WAIT 21600
#define DIGEST_ROWS 30    /* late actions listed in a digest */

/* ---- configuration and settings -------------------------------------------------------------- */

const char *notify_config_problem(const struct notify_config *cfg)
{
	const char *why;
	if (!smtp_url_ok(cfg->smtp, &why))
		return why;
	if (!cfg->from || !mail_address_ok(cfg->from))
		return "--mail-from takes the address messages come from, such as suivi@office.example";
	if (!cfg->public_url || (strncmp(cfg->public_url, "https://", 8) != 0 && strncmp(cfg->public_url, "http://", 7) != 0))
		return "messages link to suivi: give --public-url, the address people reach it at (https://…)";
	return NULL;
}

struct setting {
	const char *name;
	long long def, min, max;
	size_t offset_bool, offset_ll; /* one of them is used: (size_t)-1 for the other */
};

#define NOT_THIS ((size_t)-1)
static const struct setting settings[] = {
	{ "reminders", 1, 0, 1, offsetof(struct notify_settings, reminders), NOT_THIS },
	{ "due_days", 7, 1, 90, NOT_THIS, offsetof(struct notify_settings, due_days) },
	{ "digests", 1, 0, 1, offsetof(struct notify_settings, digests), NOT_THIS },
	{ "confirmations", 1, 0, 1, offsetof(struct notify_settings, confirmations), NOT_THIS },
	{ "certificates", 1, 0, 1, offsetof(struct notify_settings, certificates), NOT_THIS },
	{ "max_tries", 8, 1, 20, NOT_THIS, offsetof(struct notify_settings, max_tries) },
};
#define NSETTINGS (sizeof settings / sizeof *settings)

static long long setting_get(const struct notify_settings *s, const struct setting *d)
{
	const char *base = (const char *)s;
	if (d->offset_bool != NOT_THIS)
		return *(const bool *)(base + d->offset_bool) ? 1 : 0;
	return *(const long long *)(base + d->offset_ll);
}

static void setting_put(struct notify_settings *s, const struct setting *d, long long v)
{
	char *base = (char *)s;
	if (d->offset_bool != NOT_THIS)
		*(bool *)(base + d->offset_bool) = v != 0;
	else
		*(long long *)(base + d->offset_ll) = v;
}

/* A stored setting, when it is one of ours and in its range. */
static enum app_err setting_found(void *ctx, const char *name, long long v)
{
	for (size_t i = 0; name && i < NSETTINGS; i++)
		if (strcmp(name, settings[i].name) == 0 && v >= settings[i].min && v <= settings[i].max)
			setting_put(ctx, &settings[i], v);
	return APP_OK;
}

enum app_err notify_settings_read(struct store *st, struct notify_settings *out)
{
	for (size_t i = 0; i < NSETTINGS; i++) /* the defaults, then what was set */
		setting_put(out, &settings[i], settings[i].def);
	return store_notify_settings(st, setting_found, out);
}

enum app_err notify_settings_write(struct store *st, const struct notify_settings *s, const char *actor)
{
	struct notify_settings before;
	enum app_err rc = notify_settings_read(st, &before);
	for (size_t i = 0; !rc && i < NSETTINGS; i++) {
		long long v = setting_get(s, &settings[i]);
		if (v < settings[i].min || v > settings[i].max)
			return APP_INVALID;
	}
	for (size_t i = 0; !rc && i < NSETTINGS; i++)
		rc = store_notify_set(st, settings[i].name, setting_get(s, &settings[i]), setting_get(&before, &settings[i]),
				      actor);
	return rc;
}

/* ---- scheduling: what is due today, once ----------------------------------------------------- */

static void date_of(long long t, char out[16])
{
	long long y;
	int m, d;
	util_civil_from_days(t / DAY, &y, &m, &d);
	snprintf(out, 16, "%04lld-%02d-%02d", y % 10000, m, d);
}

static long long days_of(const char *iso)
{
	int y, m, d;
	return util_parse_ymd(iso, &y, &m, &d) ? util_days_from_civil(y, m, d) : 0;
}

static const char *lang_or_default(const char *lang)
{
	enum lang l;
	return lang && lang_parse(lang, &l) ? lang : "fr";
}

struct schedule {
	struct store *st;
	long long now, today, queued;
};

const struct notify_category notify_categories[NOTIFY_CATEGORIES] = {
	{ "reminders", N_("Reminders of the follow-up actions I am a contact person for, with their progress links") },
	{ "summaries", N_("Weekly digests and monthly summaries") },
	{ "events", N_("Confirmations of my registrations for events, with their invitations, and reminders the day before") },
	{ "certificates", N_("My training certificates") },
	{ "reviews", N_("Entries waiting for my review, and my entries returned for correction") },
};

/* The category a template's messages are stopped by. */
static const char *category_of(const char *template)
{
	static const char *const of[][2] = {
		{ "action_due", "reminders" },    { "action_late", "reminders" },  { "late_digest", "summaries" },
		{ "focal_digest", "summaries" },  { "donor_digest", "summaries" }, { "registration", "events" },
		{ "event_reminder", "events" },   { "certificate", "certificates" },
		{ "review_waiting", "reviews" },  { "review_returned", "reviews" },
	};
	for (size_t i = 0; i < sizeof of / sizeof *of; i++)
		if (strcmp(template, of[i][0]) == 0)
			return of[i][1];
	return NULL;
}

bool notify_stopped(const char *stopped, const char *category)
{
	if (strcmp(stopped, "all") == 0)
		return true;
	size_t n = category ? strlen(category) : 0;
	for (const char *p = stopped; n && (p = strstr(p, category)); p += n)
		if ((p == stopped || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

/* Queues template for recipient once per dedupe key, unless the address
 * asked for no more messages of its kind. */
static enum app_err queue(struct schedule *s, const char *template, const char *to, const char *lang,
			  const char *params, const char *dedupe)
{
	char stopped[NOTIFY_STOPPED_TEXT];
	bool added = false;
	enum app_err rc = store_notify_optout(s->st, to, stopped);
	if (rc || notify_stopped(stopped, category_of(template)))
		return rc;
	rc = store_outbox_add(s->st, template, to, lang_or_default(lang), params, dedupe, s->now, &added);
	s->queued += added;
	return rc;
}

/* One action and one contact person: a reminder when the due date is
 * near, when it has passed, then each week it stays late.  The key holds
 * the due date: an action given a new date is reminded of again. */
static enum app_err remind(void *ctx, const struct action_contact *a)
{
	struct schedule *s = ctx;
	long long due = days_of(a->due_date), late = s->today - due;
	char key[128], params[96];
	snprintf(params, sizeof params, "{\"action\":%lld,\"person\":%lld}", a->action, a->person);
	if (late <= 0) {
		snprintf(key, sizeof key, "due:%lld:%lld:%s", a->action, a->person, a->due_date);
		return queue(s, "action_due", a->email, a->lang, params, key);
	}
	snprintf(key, sizeof key, "late:%lld:%lld:%s:%lld", a->action, a->person, a->due_date, (late - 1) / 7);
	return queue(s, "action_late", a->email, a->lang, params, key);
}

struct digest_ctx {
	struct schedule *s;
	long long week;
};

static enum app_err digest_to(void *ctx, const struct account_mail *a)
{
	struct digest_ctx *d = ctx;
	char key[96], params[64];
	snprintf(key, sizeof key, "digest-late:%lld:%lld", a->id, d->week);
	snprintf(params, sizeof params, "{\"account\":%lld}", a->id);
	return queue(d->s, "late_digest", a->email, a->lang, params, key);
}

#define MONTH_DAYS 30  /* a monthly summary speaks of the last 30 days */
#define FORUM_AHEAD 60 /* and of the forums of the next 60 (their sheets to fill) */

/* The month a summary is keyed by (once a month) and the day it begins at. */
struct month_ctx {
	struct schedule *s;
	char month[8], since[16], forums_until[16];
};

static enum app_err no_programme(void *ctx, long long id, const char *title, const char *status, long long n)
{
	(void)ctx, (void)id, (void)title, (void)status, (void)n;
	return APP_OK;
}

/* A focal point's monthly summary of its country, when there is news. */
static enum app_err focal_to(void *ctx, const struct account_mail *a)
{
	struct month_ctx *m = ctx;
	struct country_month cm;
	char key[96], params[96];
	snprintf(key, sizeof key, "digest-focal:%lld:%s", a->id, m->month);
	bool sent = false;
	if (!a->country)
		return APP_OK;
	enum app_err rc = store_outbox_queued(m->s->st, key, &sent);
	if (rc || sent)
		return rc; /* this month's, already: the scheduler comes every 10 minutes */
	struct country_span span = { a->country, m->since, m->forums_until };
	rc = store_notify_country_month(m->s->st, &span, LANG_FR, 0, NULL, NULL, &cm);
	if (rc || cm.needs + cm.enrolments + cm.actions + cm.sheets == 0)
		return rc;
	snprintf(params, sizeof params, "{\"account\":%lld,\"country\":\"%.3s\"}", a->id, a->country);
	return queue(m->s, "focal_digest", a->email, a->lang, params, key);
}

/* A donor's monthly summary of the programmes its organisation funds. */
static enum app_err donor_to(void *ctx, const struct account_mail *a)
{
	struct month_ctx *m = ctx;
	long long n = 0;
	char key[96], params[96];
	snprintf(key, sizeof key, "digest-donor:%lld:%s", a->id, m->month);
	bool sent = false;
	if (!a->organisation)
		return APP_OK;
	enum app_err rc = store_outbox_queued(m->s->st, key, &sent);
	if (rc || sent)
		return rc; /* this month's, already */
	rc = store_notify_donor_programmes(m->s->st, a->organisation, m->since, LANG_FR, no_programme, NULL, &n);
	if (rc || n == 0)
		return rc;
	snprintf(params, sizeof params, "{\"account\":%lld,\"organisation\":%lld}", a->id, a->organisation);
	return queue(m->s, "donor_digest", a->email, a->lang, params, key);
}

/* A registration for an event that begins tomorrow: its reminder, once
 * for that start (an event moved reminds again). */
static enum app_err remind_event(void *ctx, const struct event_registration *r)
{
	struct schedule *s = ctx;
	char key[96], params[128];
	snprintf(key, sizeof key, "event-reminder:%lld:%s", r->registration, r->start_date);
	snprintf(params, sizeof params, "{\"registration\":%lld,\"person\":%lld,\"meeting\":%lld}", r->registration,
		 r->person, r->meeting);
	return queue(s, "event_reminder", r->email, r->lang, params, key);
}

enum app_err notify_schedule(struct store *st, long long now, long long *queued)
{
	struct notify_settings set;
	enum app_err rc = notify_settings_read(st, &set);
	struct schedule s = { .st = st, .now = now, .today = now / DAY };
	char until[16], today[16];
	date_of(now + set.due_days * DAY, until);
	date_of(now, today);
	if (!rc && set.reminders)
		rc = store_notify_action_contacts(st, until, remind, &s);
	char tomorrow[16];
	date_of(now + DAY, tomorrow);
	if (!rc && set.confirmations)
		rc = store_notify_event_registrations(st, tomorrow, remind_event, &s);
	long long late = 0;
	if (!rc && set.digests && !(rc = store_notify_late_count(st, today, &late)) && late > 0) {
		/* weeks counted from a Monday (1970-01-01 was a Thursday) */
		struct digest_ctx d = { &s, (s.today + 3) / 7 };
		rc = store_notify_accounts(st, "officer", digest_to, &d);
	}
	if (!rc && set.digests) {
		struct month_ctx m = { .s = &s };
		snprintf(m.month, sizeof m.month, "%.7s", today);
		date_of(now - MONTH_DAYS * DAY, m.since);
		date_of(now + FORUM_AHEAD * DAY, m.forums_until);
		rc = store_notify_accounts(st, "focal", focal_to, &m);
		if (!rc)
			rc = store_notify_accounts(st, "donor", donor_to, &m);
	}
	long long hooks = 0;
	if (!rc)
		rc = store_webhook_late(st, today, now, &hooks);
	*queued = s.queued + hooks;
	return rc;
}

/* Queues one message caused by a write (in its transaction), and wakes
 * the sender. */
static enum app_err queue_now(struct store *st, const char *template, const struct notify_person *p,
			      const char *params, const char *key)
{
	struct schedule s = { .st = st, .now = time(NULL) };
	enum app_err rc = queue(&s, template, p->email, p->lang, params, key);
	if (!rc && s.queued)
		notify_wake();
	return rc;
}

enum app_err notify_registration(struct store *st, long long registration, long long person, long long meeting)
{
	struct notify_settings set;
	struct notify_person p;
	enum app_err rc = notify_settings_read(st, &set);
	if (rc || !set.confirmations)
		return rc;
	if ((rc = store_notify_person(st, person, &p)) || !p.email[0])
		return rc == APP_NOT_FOUND ? APP_OK : rc;
	char key[64], params[96];
	snprintf(key, sizeof key, "registration:%lld", registration);
	snprintf(params, sizeof params, "{\"registration\":%lld,\"person\":%lld,\"meeting\":%lld}", registration, person,
		 meeting);
	return queue_now(st, "registration", &p, params, key);
}

enum app_err notify_certificate(struct store *st, long long enrolment, long long participant)
{
	struct notify_settings set;
	struct notify_person p;
	enum app_err rc = notify_settings_read(st, &set);
	if (rc || !set.certificates)
		return rc;
	if ((rc = store_notify_participant(st, participant, &p)) || !p.email[0])
		return rc == APP_NOT_FOUND ? APP_OK : rc;
	char key[64], params[96];
	snprintf(key, sizeof key, "certificate:%lld", enrolment);
	snprintf(params, sizeof params, "{\"enrolment\":%lld,\"participant\":%lld}", enrolment, participant);
	return queue_now(st, "certificate", &p, params, key);
}

/* ---- review (review.h) ------------------------------------------------------------------------- */

static enum app_err waiting_to(void *ctx, const struct account_mail *a)
{
	struct schedule *s = ctx;
	char key[64], today[16];
	date_of(s->now, today);
	snprintf(key, sizeof key, "review-waiting:%lld:%s", a->id, today);
	return queue(s, "review_waiting", a->email, a->lang, "{}", key);
}

enum app_err notify_review_waiting(struct store *st)
{
	struct schedule s = { .st = st, .now = time(NULL) };
	enum app_err rc = store_notify_accounts(st, "officer", waiting_to, &s);
	if (!rc)
		rc = store_notify_accounts(st, "admin", waiting_to, &s);
	if (!rc && s.queued)
		notify_wake();
	return rc;
}

enum app_err notify_review_returned(struct store *st, const struct entity *e, const char *key,
				    const char *submitted_by, const char *submitted_at)
{
	struct notify_person p = { .name = "" };
	if (!submitted_by)
		return APP_OK; /* (entered before reviews were) */
	enum app_err rc = store_notify_submitter(st, submitted_by, p.email, p.lang);
	if (rc || !p.email[0])
		return rc;
	char dedupe[160], params[160];
	snprintf(dedupe, sizeof dedupe, "review-returned:%s:%.24s:%.24s", e->plural, key, submitted_at ? submitted_at : "");
	snprintf(params, sizeof params, "{\"collection\":\"%s\",\"key\":\"%.24s\"}", e->plural, key);
	return queue_now(st, "review_returned", &p, params, dedupe);
}

/* ---- the links that stop messages -------------------------------------------------------------- */

#define STOP_PURPOSE "notistop"

enum app_err notify_stop_link(const struct notify_config *cfg, const char *address, struct buf *out)
{
	char mac[SEALED_MAC_TEXT];
	enum app_err rc = sealed_mac(cfg->key_file, STOP_PURPOSE, address, mac);
	if (rc)
		return rc;
	buf_printf(out, "%s/notifications/stop?address=", cfg->public_url);
	buf_url(out, address);
	buf_printf(out, "&sig=%s", mac);
	return APP_OK;
}

bool notify_stop_valid(const char *key_file, const char *address, const char *mac)
{
	char want[SEALED_MAC_TEXT];
	return address && mac && sealed_mac(key_file, STOP_PURPOSE, address, want) == APP_OK && sealed_mac_same(want, mac);
}

/* ---- composing ----------------------------------------------------------------------------------- */

/* A message being written: its subject, and its body twice, as text and
 * as HTML (every value escaped there). */
struct compose {
	enum lang lang;
	const struct notify_config *cfg;
	struct buf subject, text, html;
	char *ics;          /* owned, or NULL */
	struct buf file;    /* a PDF attached, or empty */
	char file_name[80];
	const char *to;
	struct buf stop;    /* the stop link */
};

static void compose_release(struct compose *c)
{
	buf_release(&c->subject);
	buf_release(&c->text);
	buf_release(&c->html);
	buf_release(&c->stop);
	buf_release(&c->file);
	free(c->ics);
}


/* A paragraph: fmt's %s replaced by each of args in turn (at most 4). */
static void para(struct compose *c, const char *fmt, const char *a1, const char *a2, const char *a3)
{
	const char *args[] = { a1, a2, a3 };
	int k = 0;
	buf_adds(&c->html, "<p>");
	for (const char *p = fmt; *p; p++) {
		if (p[0] == '%' && p[1] == 's' && k < 3) {
			const char *v = args[k++];
			buf_adds(&c->text, v ? v : "");
			/* a record's words keep their own direction (a French title
			 * in an Arabic sentence) */
			buf_adds(&c->html, "<bdi>");
			buf_html(&c->html, v ? v : "");
			buf_adds(&c->html, "</bdi>");
			p++;
			continue;
		}
		buf_addc(&c->text, *p);
		char ch[2] = { *p, 0 };
		buf_html(&c->html, ch);
	}
	buf_adds(&c->text, "\n\n");
	buf_adds(&c->html, "</p>\n");
}

/* A link: the label, then the address on a line of its own in the text. */
static void link_para(struct compose *c, const char *label, const char *url)
{
	buf_printf(&c->text, "%s\n%s\n\n", label, url);
	buf_adds(&c->html, "<p><a href=\"");
	buf_html(&c->html, url);
	buf_adds(&c->html, "\">");
	/* the label without the colon that, in the text, announces the address */
	size_t n = strlen(label);
	while (n && (label[n - 1] == ':' || label[n - 1] == ' '))
		n--;
	if (n >= 2 && (unsigned char)label[n - 2] == 0xC2 && (unsigned char)label[n - 1] == 0xA0)
		n -= 2; /* the no-break space before a French colon */
	struct buf short_label = BUF_INIT;
	buf_add(&short_label, label, n);
	buf_html(&c->html, buf_cstr(&short_label));
	buf_release(&short_label);
	buf_adds(&c->html, "</a></p>\n");
}

static void greeting(struct compose *c, const char *name)
{
	if (name && *name)
		para(c, tr(c->lang, "Hello %s,"), name, NULL, NULL);
	else
		para(c, tr(c->lang, "Hello,"), NULL, NULL, NULL);
}

static void date_text(struct compose *c, const char *iso, struct buf *out)
{
	if (!iso || !*iso || !i18n_date(out, c->lang, iso))
		buf_adds(out, iso ? iso : "");
}

static char *link_to(const struct compose *c, const char *path)
{
	return xasprintf("%s%s", c->cfg->public_url, path);
}

/* The end of every message: why it came, and how to have no more. */
static void footer(struct compose *c, const char *why)
{
	buf_adds(&c->text, "-- \n");
	buf_adds(&c->html, "<hr>\n<p style=\"color:#555;font-size:90%\">");
	buf_html(&c->html, tr(c->lang, "suivi — follow-up of the strategic dialogue and of the partnership for Africa"));
	buf_adds(&c->html, "<br>");
	buf_html(&c->html, why);
	buf_adds(&c->html, " <a href=\"");
	buf_html(&c->html, buf_cstr(&c->stop));
	buf_adds(&c->html, "\">");
	buf_html(&c->html, tr(c->lang, "Choose the messages suivi sends you, or stop them"));
	buf_adds(&c->html, "</a></p>\n");
	buf_printf(&c->text, "%s\n%s\n%s: %s\n", tr(c->lang, "suivi — follow-up of the strategic dialogue and of the partnership for Africa"),
		   why, tr(c->lang, "Choose the messages suivi sends you, or stop them"), buf_cstr(&c->stop));
}

static long long param(json_t *params, const char *name)
{
	json_t *v = json_object_get(params, name);
	return json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

#define LINK_DAYS 30 /* a progress link works this long */

/* The progress link to action for the message's recipient, person: its
 * address into url.  Its token is a MAC of the outbox item under the key
 * file, so that each try of one message carries the same link (made once;
 * a leaked item number tells nothing without the key). */
static enum app_err progress_link_for(struct store *st, const struct compose *c, const struct outbox_item *it,
				      long long action, long long person, long long now, struct buf *url)
{
	char token[SEALED_MAC_TEXT], hash[65], item[64];
	snprintf(item, sizeof item, "outbox:%lld:%lld", it->id, it->created_at);
	enum app_err rc = sealed_mac(c->cfg->key_file, "progress", item, token);
	if (rc)
		return rc;
	auth_token_hash(token, hash);
	rc = store_progress_link_add(st, hash, action, person, c->to, now, now + LINK_DAYS * DAY);
	if (!rc)
		buf_printf(url, "%s/progress/%s", c->cfg->public_url, token);
	sodium_memzero(token, sizeof token);
	return rc;
}

/* Reminders of one action to one contact person of its owner, with the
 * link by which they report its progress without an account. */
static enum app_err compose_action(struct store *st, struct compose *c, const struct outbox_item *it, json_t *params,
				  bool late, long long now)
{
	struct notify_action a;
	struct notify_person p;
	long long id = param(params, "action");
	enum app_err rc = store_notify_action(st, id, c->lang, &a);
	if (!rc)
		rc = store_notify_person(st, param(params, "person"), &p);
	if (rc)
		return rc;
	if (strcmp(a.status, "done") == 0 || strcmp(a.status, "dropped") == 0)
		return APP_CONFLICT; /* done since it was queued: nothing to remind of */
	struct buf due = BUF_INIT, pct = BUF_INIT;
	date_text(c, a.due_date, &due);
	buf_printf(&pct, "%lld", a.percent);
	buf_printf(&c->subject, late ? tr(c->lang, "Late: “%s”, due on %s") : tr(c->lang, "Reminder: “%s” is due on %s"), a.title, buf_cstr(&due));
	greeting(c, p.name);
	para(c, late ? tr(c->lang, "The follow-up action “%s” of %s was due on %s and is not done.")
		     : tr(c->lang, "The follow-up action “%s” of %s is due on %s."),
	     a.title, a.owner, buf_cstr(&due));
	para(c, tr(c->lang, "Its status: %s, %s % done."), tr(c->lang, a.status), buf_cstr(&pct), NULL);
	struct buf report = BUF_INIT;
	rc = progress_link_for(st, c, it, id, param(params, "person"), now, &report);
	if (rc) {
		buf_release(&report);
		buf_release(&due);
		buf_release(&pct);
		return rc;
	}
	link_para(c, tr(c->lang, "Report its progress here, without an account (this link is yours, for this action, for 30 days):"),
		  buf_cstr(&report));
	buf_release(&report);
	char path[64];
	snprintf(path, sizeof path, "/actions/%lld", id);
	char *url = link_to(c, path);
	link_para(c, tr(c->lang, "With a suivi account, see the action:"), url);
	free(url);
	para(c, tr(c->lang, "If it is done, or will be late, please tell the Programme Office by answering this message."), NULL, NULL,
	     NULL);
	struct buf why = BUF_INIT;
	buf_printf(&why, tr(c->lang, "You receive this message as a contact person of %s."), a.owner);
	footer(c, buf_cstr(&why));
	buf_release(&why);
	buf_release(&due);
	buf_release(&pct);
	return APP_OK;
}

/* An item of a list: the record at path (its text linked), a detail. */
static void list_item(struct compose *c, const char *path, const char *text, const char *detail)
{
	char *url = link_to(c, path);
	buf_printf(&c->text, "- %s (%s)\n  %s\n", text, detail, url);
	buf_adds(&c->html, "<li><a href=\"");
	buf_html(&c->html, url);
	buf_adds(&c->html, "\">");
	buf_html(&c->html, text);
	buf_adds(&c->html, "</a> — ");
	buf_html(&c->html, detail);
	buf_adds(&c->html, "</li>\n");
	free(url);
}

struct digest_list {
	struct compose *c;
	long long n;
};

static enum app_err digest_row(void *ctx, long long id, const struct notify_action *a)
{
	struct digest_list *d = ctx;
	struct compose *c = d->c;
	struct buf detail = BUF_INIT;
	buf_adds(&detail, a->owner[0] ? a->owner : "—");
	if (a->due_date[0]) {
		buf_printf(&detail, "; %s ", tr(c->lang, "due on"));
		date_text(c, a->due_date, &detail);
	}
	char path[64];
	snprintf(path, sizeof path, "/actions/%lld", id);
	list_item(c, path, a->title, buf_cstr(&detail));
	buf_release(&detail);
	d->n++;
	return APP_OK;
}

static enum app_err compose_digest(struct store *st, struct compose *c, json_t *params, long long now)
{
	(void)params;
	char today[16];
	date_of(now, today);
	long long late = 0;
	enum app_err rc = store_notify_late_count(st, today, &late);
	if (rc)
		return rc;
	if (late == 0)
		return APP_CONFLICT; /* none left late: no digest */
	char n[24];
	snprintf(n, sizeof n, "%lld", late);
	buf_printf(&c->subject, tr(c->lang, "Follow-up: %s actions are late"), n);
	greeting(c, NULL);
	para(c, tr(c->lang, "%s follow-up actions are late. The longest late:"), n, NULL, NULL);
	buf_adds(&c->html, "<ul>\n");
	struct digest_list d = { c, 0 };
	rc = store_notify_late_actions(st, today, c->lang, DIGEST_ROWS, digest_row, &d);
	buf_adds(&c->html, "</ul>\n");
	buf_adds(&c->text, "\n");
	char *url = link_to(c, "/actions?late=true");
	link_para(c, tr(c->lang, "All the late actions:"), url);
	free(url);
	footer(c, tr(c->lang, "You receive this weekly digest as an officer of the Programme Office."));
	return rc;
}


static enum app_err need_item(void *ctx, long long id, const char *theme, long long severity, const char *assessed_on)
{
	struct compose *c = ctx;
	char path[48];
	snprintf(path, sizeof path, "/needs/%lld", id);
	struct buf detail = BUF_INIT;
	date_text(c, assessed_on, &detail);
	buf_printf(&detail, ", %s %lld/5", tr(c->lang, "severity"), severity);
	list_item(c, path, theme ? theme : "", buf_cstr(&detail));
	buf_release(&detail);
	return APP_OK;
}

static void list_open(struct compose *c)
{
	buf_adds(&c->html, "<ul>\n");
}

static void list_close(struct compose *c)
{
	buf_adds(&c->html, "</ul>\n");
	buf_adds(&c->text, "\n");
}

static enum app_err sheets_item(void *ctx, long long meeting, const char *title, const char *start_date,
			       long long to_fill)
{
	struct compose *c = ctx;
	char path[48];
	snprintf(path, sizeof path, "/forum/%lld/evaluate", meeting);
	struct buf detail = BUF_INIT;
	date_text(c, start_date, &detail);
	buf_printf(&detail, "; %s %lld", tr(c->lang, "programmes to rate:"), to_fill);
	list_item(c, path, title ? title : "", buf_cstr(&detail));
	buf_release(&detail);
	return APP_OK;
}

/* A paragraph "what (about a name or since a date): N." */
static void count_para(struct compose *c, const char *fmt, const char *about, long long n)
{
	char count[24];
	snprintf(count, sizeof count, "%lld", n);
	para(c, fmt, about, count, NULL);
}

/* A focal point's month: its country's new assessments and training, its
 * open actions, and the forum sheets it has to fill. */
static enum app_err compose_focal(struct store *st, struct compose *c, json_t *params, long long now)
{
	const char *country = json_string_value(json_object_get(params, "country"));
	if (!country)
		return APP_INVALID;
	struct buf name = BUF_INIT, since = BUF_INIT;
	char from[16], until[16];
	date_of(now - MONTH_DAYS * DAY, from);
	date_of(now + FORUM_AHEAD * DAY, until);
	date_text(c, from, &since);
	struct country_span span = { country, from, until };
	enum app_err rc = store_notify_country_name(st, country, c->lang, &name);
	/* one reading: the counts, and the latest assessments written aside
	 * (items) to follow the paragraph that says how many */
	struct compose items = { .lang = c->lang, .cfg = c->cfg };
	struct country_month m = { 0 };
	if (!rc)
		rc = store_notify_country_month(st, &span, c->lang, 10, need_item, &items, &m);
	if (!rc && m.needs + m.enrolments + m.actions + m.sheets == 0)
		rc = APP_CONFLICT;
	if (!rc) {
		buf_printf(&c->subject, tr(c->lang, "Your monthly summary: %s"), buf_cstr(&name));
		greeting(c, NULL);
		char n1[24];
		snprintf(n1, sizeof n1, "%lld", m.needs);
		para(c, tr(c->lang, "Needs assessments of %s since %s: %s."), buf_cstr(&name), buf_cstr(&since), n1);
		if (m.needs) {
			list_open(c);
			buf_adds(&c->text, buf_cstr(&items.text));
			buf_adds(&c->html, buf_cstr(&items.html));
			list_close(c);
		}
		count_para(c, tr(c->lang, "Enrolments of its participants in training sessions that began since %s: %s."),
			   buf_cstr(&since), m.enrolments);
		count_para(c, tr(c->lang, "Open follow-up actions that concern %s: %s."), buf_cstr(&name), m.actions);
		if (m.actions) {
			struct digest_list d = { c, 0 };
			list_open(c);
			rc = store_notify_country_actions(st, country, c->lang, 10, digest_row, &d);
			list_close(c);
		}
		count_para(c, tr(c->lang, "Forum evaluation sheets %s has still to fill: %s."), buf_cstr(&name), m.sheets);
		if (!rc && m.sheets) {
			list_open(c);
			rc = store_notify_country_sheets(st, &span, c->lang, sheets_item, c);
			list_close(c);
		}
		char path[48];
		snprintf(path, sizeof path, "/needs/country/%.3s", country);
		char *url = link_to(c, path);
		link_para(c, tr(c->lang, "The needs of the country:"), url);
		free(url);
		struct buf why = BUF_INIT;
		buf_printf(&why, tr(c->lang, "You receive this monthly summary as the focal point of %s."), buf_cstr(&name));
		footer(c, buf_cstr(&why));
		buf_release(&why);
	}
	compose_release(&items);
	buf_release(&name);
	buf_release(&since);
	return rc;
}

static enum app_err programme_item(void *ctx, long long id, const char *title, const char *status, long long n)
{
	struct compose *c = ctx;
	char path[48];
	snprintf(path, sizeof path, "/programmes/%lld", id);
	struct buf detail = BUF_INIT;
	buf_printf(&detail, "%s; %s %lld", status ? tr(c->lang, status) : "", tr(c->lang, "transactions recorded this month:"),
		   n);
	list_item(c, path, title ? title : "", buf_cstr(&detail));
	buf_release(&detail);
	return APP_OK;
}

/* A donor's month: the programmes its organisation funds. */
static enum app_err compose_donor(struct store *st, struct compose *c, json_t *params, long long now)
{
	char from[16];
	date_of(now - MONTH_DAYS * DAY, from);
	long long n = 0;
	buf_adds(&c->subject, tr(c->lang, "Your monthly summary: the programmes you fund"));
	greeting(c, NULL);
	para(c, tr(c->lang, "The programmes your organisation funds, and what was recorded of them in the last 30 days:"),
	     NULL, NULL, NULL);
	list_open(c);
	enum app_err rc = store_notify_donor_programmes(st, param(params, "organisation"), from, c->lang, programme_item, c, &n);
	list_close(c);
	if (!rc && n == 0)
		rc = APP_CONFLICT;
	char *url = link_to(c, "/programmes/overview");
	link_para(c, tr(c->lang, "The programmes' overview:"), url);
	free(url);
	footer(c, tr(c->lang, "You receive this monthly summary as a donor's account in suivi."));
	return rc;
}

/* A registration's confirmation, or (reminder) the day before the event. */
static enum app_err compose_registration(struct store *st, struct compose *c, json_t *params, long long created,
					 bool reminder)
{
	struct notify_meeting m;
	struct notify_person p;
	long long meeting = param(params, "meeting"), registration = param(params, "registration");
	enum app_err rc = store_notify_meeting(st, meeting, c->lang, &m);
	if (!rc)
		rc = store_notify_person(st, param(params, "person"), &p);
	if (rc)
		return rc;
	struct buf from = BUF_INIT, to = BUF_INIT;
	date_text(c, m.start_date, &from);
	date_text(c, m.end_date[0] ? m.end_date : m.start_date, &to);
	buf_printf(&c->subject, reminder ? tr(c->lang, "Tomorrow: %s") : tr(c->lang, "Registration confirmed: %s"), m.title);
	greeting(c, p.name);
	para(c, reminder ? tr(c->lang, "A reminder: “%s”, for which you are registered, begins tomorrow.")
			 : tr(c->lang, "Your registration for “%s” is confirmed."),
	     m.title, NULL, NULL);
	if (strcmp(buf_cstr(&from), buf_cstr(&to)) == 0)
		para(c, tr(c->lang, "It takes place on %s."), buf_cstr(&from), NULL, NULL);
	else
		para(c, tr(c->lang, "It takes place from %s to %s."), buf_cstr(&from), buf_cstr(&to), NULL);
	if (m.venue[0])
		para(c, tr(c->lang, "Venue: %s."), m.venue, NULL, NULL);
	para(c, tr(c->lang, "The invitation attached adds it to your calendar."), NULL, NULL, NULL);
	char uid[128];
	const char *domain = strchr(c->cfg->from, '@') + 1;
	snprintf(uid, sizeof uid, "meeting-%lld-registration-%lld@%s", meeting, registration, domain);
	struct buf ics = BUF_INIT;
	struct ics_event ev = { .uid = uid, .stamp = created, .start_date = m.start_date, .end_date = m.end_date,
				.summary = m.title, .location = m.venue, .description = buf_cstr(&c->subject),
				.organizer = c->cfg->from, .attendee = c->to, .lang = lang_code[c->lang] };
	if (ics_write(&ics, &ev))
		c->ics = buf_detach(&ics);
	buf_release(&ics);
	footer(c, tr(c->lang, "You receive this message because you are registered for this event."));
	buf_release(&from);
	buf_release(&to);
	return APP_OK;
}

/* What a certificate's message says of it. */
struct certificate_facts {
	enum lang lang;
	bool completed;
	char number[48], title[400], start[11], end[11];
};

static enum app_err certificate_row(void *ctx, const struct row *r)
{
	struct certificate_facts *f = ctx;
	f->completed = row_int(r, TRX_COMPLETED) != 0;
	const char *title = row_i18n(r, TRX_TITLE, f->lang, NULL);
	snprintf(f->title, sizeof f->title, "%s", title ? title : "");
	row_copy(r, TRX_NUMBER, f->number, sizeof f->number);
	row_copy(r, TRX_START, f->start, sizeof f->start);
	row_copy(r, row_null(r, TRX_END) ? TRX_START : TRX_END, f->end, sizeof f->end);
	return APP_OK;
}

/* A completed enrolment's certificate, as PDF, to its participant. */
static enum app_err compose_certificate(struct store *st, struct compose *c, json_t *params)
{
	struct certificate_facts f = { .lang = c->lang };
	struct notify_person p;
	long long enrolment = param(params, "enrolment");
	enum app_err rc = store_training_certificate(st, enrolment, certificate_row, &f);
	if (!rc)
		rc = store_notify_participant(st, param(params, "participant"), &p);
	if (rc)
		return rc;
	if (!f.completed || !f.number[0] || !c->cfg->certificate_pdf)
		return APP_CONFLICT; /* no longer completed: no certificate to send */
	if ((rc = c->cfg->certificate_pdf(c->cfg->certificate_ctx, c->cfg->public_url, enrolment, &c->file)))
		return rc;
	snprintf(c->file_name, sizeof c->file_name, "certificate-%.48s.pdf", f.number);
	struct buf from = BUF_INIT, to = BUF_INIT;
	date_text(c, f.start, &from);
	date_text(c, f.end, &to);
	buf_printf(&c->subject, tr(c->lang, "Your certificate: %s"), f.title);
	greeting(c, p.name);
	para(c, tr(c->lang, "You have completed the course “%s”, held from %s to %s."), f.title, buf_cstr(&from),
	     buf_cstr(&to));
	para(c, tr(c->lang, "Your certificate is attached (number %s), in French and in English."), f.number, NULL, NULL);
	char path[80];
	snprintf(path, sizeof path, "/verify/%.48s", f.number);
	char *url = link_to(c, path);
	link_para(c, tr(c->lang, "Anyone can check that it is genuine, with its number or its QR code, at:"), url);
	free(url);
	footer(c, tr(c->lang, "You receive this message because you completed this training."));
	buf_release(&from);
	buf_release(&to);
	return APP_OK;
}

/* To officers: how many entries wait for review, and where. */
static enum app_err compose_review_waiting(struct store *st, struct compose *c)
{
	long long n = 0;
	enum app_err rc = store_notify_review_waiting(st, &n);
	if (rc)
		return rc;
	if (n == 0)
		return APP_CONFLICT; /* reviewed meanwhile: nothing to say */
	char count[NUM_TEXT_MAX];
	num_text(count, c->lang, n, 0);
	buf_printf(&c->subject, tr(c->lang, "To review: %s entries"), count);
	greeting(c, NULL);
	para(c, tr(c->lang, "%s entries sent by focal points or by progress links wait for your review: they count "
			    "nowhere until an officer approves them."), count, NULL, NULL);
	char *url = link_to(c, "/review");
	link_para(c, tr(c->lang, "The review queue:"), url);
	free(url);
	footer(c, tr(c->lang, "You receive this message, at most once a day, as staff of the Programme Office."));
	return APP_OK;
}

/* To its submitter: an entry returned for correction, with the comment. */
static enum app_err compose_review_returned(struct store *st, struct compose *c, json_t *params)
{
	const struct entity *e = ent_by_plural(json_string_value(json_object_get(params, "collection")));
	const char *key = json_string_value(json_object_get(params, "key"));
	if (!e || !key)
		return APP_INVALID;
	struct review_facts f = { .label = BUF_INIT };
	enum app_err rc = store_notify_review(st, e, key, c->lang, &f);
	if (!rc && strcmp(f.state, "returned") != 0)
		rc = APP_CONFLICT; /* corrected or approved meanwhile */
	if (rc) {
		buf_release(&f.label);
		return rc;
	}
	buf_printf(&c->subject, tr(c->lang, "Returned for correction: %s"), buf_cstr(&f.label));
	greeting(c, NULL);
	para(c, tr(c->lang, "The Programme Office returned “%s” to you for correction. It does not count until it "
			    "is corrected and approved."), buf_cstr(&f.label), NULL, NULL);
	para(c, tr(c->lang, "The reviewer's comment: %s"), f.comment, NULL, NULL);
	if (e == ENT(ACTION_UPDATE)) {
		para(c, tr(c->lang, "Send a corrected report with the link of the reminder you received."), NULL, NULL,
		     NULL);
	} else {
		char path[96];
		snprintf(path, sizeof path, "/%s/%.24s/edit", e->plural, key);
		char *url = link_to(c, path);
		link_para(c, tr(c->lang, "Correct it and save it: it is submitted again."), url);
		free(url);
	}
	footer(c, tr(c->lang, "You receive this message because you submitted this entry."));
	buf_release(&f.label);
	return APP_OK;
}

/* Composes item's message whole into out.  APP_NOT_FOUND: a record it
 * speaks of is gone; APP_CONFLICT: nothing to say any more. */
static enum app_err compose(struct store *st, const struct notify_config *cfg, const struct outbox_item *it,
			    long long now, struct buf *out)
{
	json_t *params = json_loads(it->params, 0, NULL);
	if (!json_is_object(params)) {
		json_decref(params);
		return APP_INVALID;
	}
	struct compose c = { .cfg = cfg, .to = it->recipient };
	if (!lang_parse(it->lang, &c.lang))
		c.lang = LANG_FR;
	enum app_err rc = notify_stop_link(cfg, it->recipient, &c.stop);
	if (rc)
		;
	else if (strcmp(it->template, "action_due") == 0 || strcmp(it->template, "action_late") == 0)
		rc = compose_action(st, &c, it, params, strcmp(it->template, "action_late") == 0, now);
	else if (strcmp(it->template, "late_digest") == 0)
		rc = compose_digest(st, &c, params, now);
	else if (strcmp(it->template, "focal_digest") == 0)
		rc = compose_focal(st, &c, params, now);
	else if (strcmp(it->template, "donor_digest") == 0)
		rc = compose_donor(st, &c, params, now);
	else if (strcmp(it->template, "registration") == 0 || strcmp(it->template, "event_reminder") == 0)
		rc = compose_registration(st, &c, params, it->created_at, strcmp(it->template, "event_reminder") == 0);
	else if (strcmp(it->template, "certificate") == 0)
		rc = compose_certificate(st, &c, params);
	else if (strcmp(it->template, "review_waiting") == 0)
		rc = compose_review_waiting(st, &c);
	else if (strcmp(it->template, "review_returned") == 0)
		rc = compose_review_returned(st, &c, params);
	else
		rc = APP_INVALID;
	json_decref(params);
	if (!rc) {
		/* the HTML body is one document, in the reader's direction */
		struct buf html = BUF_INIT;
		buf_printf(&html, "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\"><head><meta charset=\"utf-8\"><title>",
			   lang_code[c.lang], lang_rtl(c.lang) ? "rtl" : "ltr");
		buf_html(&html, buf_cstr(&c.subject));
		buf_adds(&html, "</title></head>\n<body style=\"font-family:sans-serif;line-height:1.5;max-width:40em\">\n");
		buf_adds(&html, buf_cstr(&c.html));
		buf_adds(&html, "</body></html>\n");
		char message_id[300];
		snprintf(message_id, sizeof message_id, "suivi.%lld.%lld@%s", it->id, it->created_at,
			 strchr(cfg->from, '@') + 1);
		struct mail m = { .from = cfg->from, .from_name = "suivi", .to = it->recipient,
				  .subject = buf_cstr(&c.subject), .text = buf_cstr(&c.text), .html = buf_cstr(&html),
				  .lang = lang_code[c.lang], .message_id = message_id, .unsubscribe = buf_cstr(&c.stop),
				  .ics = c.ics, .date = now, .file = c.file.data, .file_size = c.file.len,
				  .file_type = "application/pdf", .file_name = c.file_name };
		mail_compose(out, &m);
		buf_release(&html);
	}
	compose_release(&c);
	return rc;
}

/* ---- delivering ---------------------------------------------------------------------------------- */

struct delivery {
	struct store *st;
	const struct notify_config *cfg;
	long long now, max_tries;
	struct notify_outcome *out;
};

static long long wait_after(long long tries)
{
	long long w = FIRST_WAIT;
	for (long long i = 1; i < tries && w < LONGEST_WAIT; i++)
		w *= 2;
	return w < LONGEST_WAIT ? w : LONGEST_WAIT;
}

static enum app_err give_up(struct delivery *d, const struct outbox_item *it, const char *why)
{
	d->out->given_up++;
	return store_outbox_failed(d->st, it->id, why, d->now, true, d->now);
}

/* After a failure: tried again later, or given up after the last try. */
static enum app_err failed(struct delivery *d, const struct outbox_item *it, const char *error, bool for_good)
{
	long long tries = it->tries + 1;
	if (for_good || tries >= d->max_tries)
		return give_up(d, it, error);
	d->out->failed++;
	return store_outbox_failed(d->st, it->id, error, d->now + wait_after(tries), false, d->now);
}

/* The secret of webhook id, opened with the key file. */
static enum app_err webhook_secret(struct delivery *d, long long id, char secret[WEBHOOK_SECRET_TEXT])
{
	char *sealed = NULL;
	enum app_err rc = store_webhook_secret(d->st, id, &sealed);
	if (!rc)
		rc = sealed_open(d->cfg->key_file, sealed, (unsigned char *)secret, WEBHOOK_SECRET_TEXT - 1);
	secret[WEBHOOK_SECRET_TEXT - 1] = 0;
	free(sealed);
	return rc;
}

/* A webhook's event: its body is the row's facts, less the webhook's
 * number, plus the delivery's. */
static enum app_err deliver_webhook(struct delivery *d, const struct outbox_item *it)
{
	json_t *params = json_loads(it->params, 0, NULL);
	if (!json_is_object(params)) {
		json_decref(params);
		return give_up(d, it, "not sent: a body suivi cannot write");
	}
	char secret[WEBHOOK_SECRET_TEXT];
	enum app_err rc = webhook_secret(d, param(params, "webhook"), secret);
	if (rc == APP_NOT_FOUND || rc == APP_INVALID) {
		json_decref(params);
		return rc == APP_NOT_FOUND ? give_up(d, it, "not sent: the webhook was removed")
					   : failed(d, it, "the webhook's secret does not open with this key file", false);
	}
	if (rc) {
		json_decref(params);
		return rc;
	}
	json_object_del(params, "webhook");
	json_object_set_new(params, "delivery", json_integer(it->id));
	char *body = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(params);
	char error[256];
	enum app_err sent = webhook_post(it->recipient, secret, it->template, it->id, body ? body : "{}", d->now, error);
	sodium_memzero(secret, sizeof secret);
	free(body);
	if (sent == APP_OK) {
		d->out->sent++;
		return store_outbox_sent(d->st, it->id, d->now);
	}
	return failed(d, it, error, false);
}

static enum app_err deliver_one(void *ctx, struct outbox_item *it)
{
	struct delivery *d = ctx;
	if (strcmp(it->kind, "webhook") == 0)
		return deliver_webhook(d, it);
	char stopped[NOTIFY_STOPPED_TEXT];
	enum app_err rc = store_notify_optout(d->st, it->recipient, stopped);
	if (rc)
		return rc;
	if (notify_stopped(stopped, category_of(it->template)))
		return give_up(d, it, "not sent: its recipient asked for no more messages of this kind");
	struct buf msg = BUF_INIT;
	rc = compose(d->st, d->cfg, it, d->now, &msg);
	if (rc == APP_NOT_FOUND || rc == APP_CONFLICT || rc == APP_INVALID) {
		buf_release(&msg);
		return give_up(d, it, rc == APP_NOT_FOUND ? "not sent: a record it speaks of was deleted"
				      : rc == APP_CONFLICT ? "not sent: nothing is due any more"
							   : "not sent: a message suivi cannot write");
	}
	if (rc) {
		buf_release(&msg);
		return rc;
	}
	char error[256];
	enum app_err sent = smtp_send(d->cfg->smtp, d->cfg->from, it->recipient, buf_cstr(&msg), error);
	buf_release(&msg);
	if (sent == APP_OK) {
		d->out->sent++;
		return store_outbox_sent(d->st, it->id, d->now);
	}
	return failed(d, it, error, sent == APP_INVALID);
}

#define ROUND 50 /* messages taken at once */

enum app_err notify_deliver(struct store *st, const struct notify_config *cfg, long long now,
			    struct notify_outcome *out)
{
	memset(out, 0, sizeof *out);
	struct notify_settings set;
	enum app_err rc = notify_settings_read(st, &set);
	struct delivery d = { st, cfg, now, set.max_tries, out };
	long long before;
	do { /* another round while the last took a whole one: more may be due */
		before = out->sent + out->failed + out->given_up;
		if (!rc)
			rc = store_outbox_take(st, now, LEASE, ROUND, deliver_one, &d);
	} while (!rc && out->sent + out->failed + out->given_up - before == ROUND);
	return rc;
}

/* ---- the sender thread ---------------------------------------------------------------------------- */

#define SENDER_PERIOD 60 /* seconds between two rounds */
#define SCHEDULE_PERIOD 600

struct notify_sender {
	struct store *st;
	const struct notify_config *cfg;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop, woken;
};

static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;
static struct notify_sender *current;

void notify_wake(void)
{
	pthread_mutex_lock(&current_lock);
	struct notify_sender *s = current;
	if (s) {
		pthread_mutex_lock(&s->lock);
		s->woken = true;
		pthread_cond_signal(&s->cond);
		pthread_mutex_unlock(&s->lock);
	}
	pthread_mutex_unlock(&current_lock);
}

/* Waits until the next round: the period, or a wake (then a second more,
 * for the transaction that queued the message to end).  False: stop. */
static bool sender_wait(struct notify_sender *s)
{
	pthread_mutex_lock(&s->lock);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += SENDER_PERIOD;
	while (!s->stop && !s->woken)
		if (pthread_cond_timedwait(&s->cond, &s->lock, &until) != 0)
			break;
	bool woken = s->woken;
	s->woken = false;
	if (woken && !s->stop) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		while (!s->stop && pthread_cond_timedwait(&s->cond, &s->lock, &until) == 0)
			;
	}
	bool go_on = !s->stop;
	pthread_mutex_unlock(&s->lock);
	return go_on;
}

static void *sender_main(void *p)
{
	struct notify_sender *s = p;
	long long scheduled = 0;
	do {
		long long now = time(NULL), queued = 0;
		struct notify_outcome out;
		if (now - scheduled >= SCHEDULE_PERIOD) {
			if (notify_schedule(s->st, now, &queued) == APP_OK)
				scheduled = now;
			else
				fprintf(stderr, "suivi: the reminders could not be scheduled; trying again later\n");
		}
		enum app_err rc = notify_deliver(s->st, s->cfg, now, &out);
		if (rc)
			fprintf(stderr, "suivi: the outbox could not be read; trying again in a minute\n");
		if (out.failed || out.given_up)
			fprintf(stderr, "suivi: messages: %lld sent, %lld to try again, %lld given up (see /notifications)\n",
				out.sent, out.failed, out.given_up);
	} while (sender_wait(s));
	return NULL;
}

struct notify_sender *notify_sender_start(struct store *st, const struct notify_config *cfg)
{
	struct notify_sender *s = xcalloc(1, sizeof *s);
	s->st = st;
	s->cfg = cfg;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	if (pthread_create(&s->thread, NULL, sender_main, s) != 0) {
		pthread_cond_destroy(&s->cond);
		pthread_mutex_destroy(&s->lock);
		free(s);
		return NULL;
	}
	pthread_mutex_lock(&current_lock);
	current = s;
	pthread_mutex_unlock(&current_lock);
	return s;
}

void notify_sender_stop(struct notify_sender *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&current_lock);
	current = NULL;
	pthread_mutex_unlock(&current_lock);
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
