/* store_notify.c — see store_notify.h.  Hand-written SQL, as store_auth.c. */
#define _POSIX_C_SOURCE 200809L
#include "store_notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "label.h"
#include "store_int.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

static void copy_text(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

void outbox_item_free(struct outbox_item *it)
{
	free(it->params);
	it->params = NULL;
}

/* ---- the outbox ------------------------------------------------------------------------------ */

enum app_err store_outbox_queued(struct store *st, const char *dedupe, bool *yes)
{
	long long n = 0;
	enum app_err rc = store_value(st, "SELECT COUNT(*) FROM outbox WHERE dedupe = ?", BIND(p_text(dedupe)), &n, NULL);
	*yes = n > 0;
	return rc;
}

enum app_err store_outbox_add(struct store *st, const char *template, const char *recipient, const char *lang,
			      const char *params, const char *dedupe, long long now, bool *added)
{
	long long n = 0;
	bool found = false;
	/* ON CONFLICT DO NOTHING … RETURNING answers no row for a key already there */
	enum app_err rc = store_value(st, "INSERT INTO outbox (kind, template, recipient, lang, params, dedupe, "
					  "created_at, next_at) VALUES ('mail', ?, ?, ?, ?, ?, ?, ?) "
					  "ON CONFLICT (dedupe) DO NOTHING RETURNING id",
				      BIND(p_text(template), p_text(recipient), p_text(lang), p_text(params),
					   p_text(dedupe), p_int(now), p_int(now)),
				      &n, &found);
	if (added)
		*added = !rc && found;
	return rc;
}

struct due_ids {
	long long *ids;
	int n, cap;
};

static enum app_err due_row(void *p, const struct row *r)
{
	struct due_ids *d = p;
	if (d->n < d->cap)
		d->ids[d->n++] = row_int(r, 0);
	return APP_OK;
}

static enum app_err item_row(void *p, const struct row *r)
{
	struct outbox_item *it = p;
	copy_text(it->kind, sizeof it->kind, row_text(r, 0));
	copy_text(it->template, sizeof it->template, row_text(r, 1));
	copy_text(it->recipient, sizeof it->recipient, row_text(r, 2));
	copy_text(it->lang, sizeof it->lang, row_text(r, 3));
	it->params = xstrdup(row_text(r, 4) ? row_text(r, 4) : "{}");
	it->created_at = row_int(r, 5);
	it->tries = row_int(r, 6);
	return APP_OK;
}

#define OUTBOX_OPEN "sent_at IS NULL AND given_up_at IS NULL"

/* One statement that changes row id (… RETURNING something) and its audit
 * entry, in one transaction; APP_NOT_FOUND when it changed nothing. */
static enum app_err audited_change(struct store *st, const char *sql, struct binds b, const char *entity, long long id,
				   const char *action, const char *before, const char *after, const char *actor)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	long long got = 0;
	bool found = false;
	rc = conn_value(c, sql, b, &got, &found);
	if (!rc && !found)
		rc = APP_NOT_FOUND;
	char key[24];
	snprintf(key, sizeof key, "%lld", id);
	if (!rc)
		rc = conn_audit(c, actor, entity, key, action, before, after);
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

enum app_err store_outbox_take(struct store *st, long long now, long long lease, int limit, outbox_fn fn,
			       void *ctx)
{
	struct due_ids d = { .ids = xcalloc((size_t)limit, sizeof *d.ids), .cap = limit };
	enum app_err rc = store_each(st, "SELECT id FROM outbox WHERE " OUTBOX_OPEN " AND next_at <= ? "
					 "ORDER BY next_at, id LIMIT ?",
				     BIND(p_int(now), p_int(limit)), due_row, &d);
	for (int i = 0; !rc && i < d.n; i++) {
		struct outbox_item it = { .id = d.ids[i] };
		/* the claim: of two senders, the one whose UPDATE finds the row
		 * still due has it */
		enum app_err got = store_one(st, "UPDATE outbox SET next_at = ? WHERE id = ? AND " OUTBOX_OPEN
						 " AND next_at <= ? "
						 "RETURNING kind, template, recipient, lang, params, created_at, tries",
					     BIND(p_int(now + lease), p_int(it.id), p_int(now)), item_row, &it);
		if (got == APP_NOT_FOUND)
			continue;
		rc = got ? got : fn(ctx, &it);
		outbox_item_free(&it);
	}
	free(d.ids);
	return rc;
}

enum app_err store_outbox_sent(struct store *st, long long id, long long now)
{
	return store_do(st, "UPDATE outbox SET sent_at = ?, tries = tries + 1, last_error = NULL WHERE id = ?",
			BIND(p_int(now), p_int(id)));
}

enum app_err store_outbox_failed(struct store *st, long long id, const char *error, long long next_at, bool give_up,
				 long long now)
{
	return store_do(st, "UPDATE outbox SET tries = tries + 1, last_error = ?, next_at = ?, given_up_at = ? "
			    "WHERE id = ?",
			BIND(p_text(error), p_int(next_at), p_int_or_null(give_up, now), p_int(id)));
}

static enum app_err counts_row(void *p, const struct row *r)
{
	struct outbox_counts *c = p;
	c->waiting = row_int(r, 0);
	c->retrying = row_int(r, 1);
	c->sent = row_int(r, 2);
	c->given_up = row_int(r, 3);
	return APP_OK;
}

enum app_err store_outbox_counts(struct store *st, struct outbox_counts *out)
{
	memset(out, 0, sizeof *out);
	return store_one(st,
			 "SELECT COALESCE(SUM(CASE WHEN " OUTBOX_OPEN " AND tries = 0 THEN 1 ELSE 0 END), 0), "
			 "COALESCE(SUM(CASE WHEN " OUTBOX_OPEN " AND tries > 0 THEN 1 ELSE 0 END), 0), "
			 "COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0), "
			 "COALESCE(SUM(CASE WHEN given_up_at IS NOT NULL THEN 1 ELSE 0 END), 0) FROM outbox",
			 NO_BINDS, counts_row, out);
}

struct problem_walk {
	outbox_problem_fn fn;
	void *ctx;
};

static enum app_err problem_row(void *p, const struct row *r)
{
	struct problem_walk *w = p;
	struct outbox_problem x = {
		.id = row_int(r, 0), .created_at = row_int(r, 1), .tries = row_int(r, 2),
		.given_up_at = row_null(r, 3) ? 0 : row_int(r, 3), .next_at = row_int(r, 4),
		.template = row_text(r, 5), .recipient = row_text(r, 6), .last_error = row_text(r, 7),
	};
	return w->fn(w->ctx, &x);
}

enum app_err store_outbox_problems(struct store *st, int limit, outbox_problem_fn fn, void *ctx)
{
	struct problem_walk w = { fn, ctx };
	return store_each(st, "SELECT id, created_at, tries, given_up_at, next_at, template, recipient, last_error "
			      "FROM outbox WHERE sent_at IS NULL AND tries > 0 "
			      "ORDER BY COALESCE(given_up_at, next_at) DESC, id DESC LIMIT ?",
			  BIND(p_int(limit)), problem_row, &w);
}

enum app_err store_outbox_retry(struct store *st, long long id, long long now, const char *actor)
{
	return audited_change(st, "UPDATE outbox SET given_up_at = NULL, tries = 0, next_at = ? "
				  "WHERE id = ? AND given_up_at IS NOT NULL RETURNING id",
			      BIND(p_int(now), p_int(id)), "outbox", id, "update", "{\"given_up\":true}",
			      "{\"given_up\":false}", actor);
}

/* ---- settings ------------------------------------------------------------------------------------- */

struct setting_walk {
	setting_fn fn;
	void *ctx;
};

static enum app_err setting_row(void *p, const struct row *r)
{
	struct setting_walk *w = p;
	return w->fn(w->ctx, row_text(r, 0), row_int(r, 1));
}

enum app_err store_notify_settings(struct store *st, setting_fn fn, void *ctx)
{
	struct setting_walk w = { fn, ctx };
	return store_each(st, "SELECT name, value FROM notify_setting", NO_BINDS, setting_row, &w);
}

enum app_err store_notify_set(struct store *st, const char *name, long long value, long long before,
			      const char *actor)
{
	if (value == before)
		return APP_OK;
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	rc = conn_do(c, "DELETE FROM notify_setting WHERE name = ?", BIND(p_text(name)));
	if (!rc)
		rc = conn_do(c, "INSERT INTO notify_setting (name, value) VALUES (?, ?)", BIND(p_text(name), p_int(value)));
	char b[96], a[96];
	snprintf(b, sizeof b, "{\"%s\":%lld}", name, before);
	snprintf(a, sizeof a, "{\"%s\":%lld}", name, value);
	if (!rc)
		rc = conn_audit(c, actor, "notify_setting", name, "update", b, a);
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

/* ---- opting out --------------------------------------------------------------------------------- */

static enum app_err stopped_row(void *p, const struct row *r)
{
	/* a row without kinds stops every message (a one-click stop) */
	copy_text(p, NOTIFY_STOPPED_TEXT, row_null(r, 0) ? "all" : row_text(r, 0));
	return APP_OK;
}

enum app_err store_notify_optout(struct store *st, const char *email, char stopped[NOTIFY_STOPPED_TEXT])
{
	stopped[0] = '\0';
	enum app_err rc = store_one(st, "SELECT kinds FROM notify_optout WHERE email = ?", BIND(p_text(email)),
				    stopped_row, stopped);
	return rc == APP_NOT_FOUND ? APP_OK : rc;
}

static char *stopped_json(const char *kinds)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "{\"stopped\":");
	buf_json_str(&b, kinds);
	buf_addc(&b, '}');
	return buf_detach(&b);
}

enum app_err store_notify_optout_set(struct store *st, const char *email, const char *stopped, const char *actor)
{
	char before[NOTIFY_STOPPED_TEXT];
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	char now[21];
	util_now(now);
	rc = store_notify_optout(st, email, before);
	if (!rc)
		rc = conn_do(c, "DELETE FROM notify_optout WHERE email = ?", BIND(p_text(email)));
	bool all = strcmp(stopped, "all") == 0;
	if (!rc && *stopped)
		rc = conn_do(c, "INSERT INTO notify_optout (email, created_at, kinds) VALUES (?, ?, ?)",
			     BIND(p_text(email), p_text(now), p_text(all ? NULL : stopped)));
	if (!rc && strcmp(before, stopped) != 0) {
		char *was = stopped_json(before), *is = stopped_json(stopped);
		rc = conn_audit(c, actor, "notify_optout", email, !*before ? "create" : !*stopped ? "delete" : "update", was,
				is);
		free(was);
		free(is);
	}
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

/* ---- reminders and digests ----------------------------------------------------------------------- */

struct contact_walk {
	action_contact_fn fn;
	void *ctx;
};

static enum app_err contact_row(void *p, const struct row *r)
{
	struct contact_walk *w = p;
	struct action_contact a = { .action = row_int(r, 0), .person = row_int(r, 1), .due_date = row_text(r, 2),
				    .email = row_text(r, 3), .lang = row_text(r, 4) ? row_text(r, 4) : "" };
	return w->fn(w->ctx, &a);
}

enum app_err store_notify_action_contacts(struct store *st, const char *until, action_contact_fn fn, void *ctx)
{
	struct contact_walk w = { fn, ctx };
	return store_each(st, "SELECT a.id, p.id, a.due_date, p.email, p.language FROM action a "
			      "JOIN person p ON p.organisation = a.owner "
			      "WHERE a.status NOT IN ('done', 'dropped') AND a.due_date IS NOT NULL AND a.due_date <= ? "
			      "AND p.email IS NOT NULL AND p.email <> '' ORDER BY a.id, p.id",
			  BIND(p_text(until)), contact_row, &w);
}

struct account_walk {
	account_mail_fn fn;
	void *ctx;
};

static enum app_err account_row(void *p, const struct row *r)
{
	struct account_walk *w = p;
	struct account_mail a = { .id = row_int(r, 0), .email = row_text(r, 1), .lang = row_text(r, 2),
				  .country = row_text(r, 3), .organisation = row_null(r, 4) ? 0 : row_int(r, 4) };
	return w->fn(w->ctx, &a);
}

enum app_err store_notify_accounts(struct store *st, const char *role, account_mail_fn fn, void *ctx)
{
	struct account_walk w = { fn, ctx };
	return store_each(st, "SELECT id, email, language, country, organisation FROM account "
			      "WHERE role = ? AND disabled = 0 AND email IS NOT NULL "
			      "ORDER BY id",
			  BIND(p_text(role)), account_row, &w);
}

struct registration_walk {
	event_registration_fn fn;
	void *ctx;
};

static enum app_err registration_row(void *p, const struct row *r)
{
	struct registration_walk *w = p;
	struct event_registration x = { .registration = row_int(r, 0), .person = row_int(r, 1), .meeting = row_int(r, 2),
					.email = row_text(r, 3), .lang = row_text(r, 4), .start_date = row_text(r, 5) };
	return w->fn(w->ctx, &x);
}

enum app_err store_notify_event_registrations(struct store *st, const char *day, event_registration_fn fn, void *ctx)
{
	struct registration_walk w = { fn, ctx };
	return store_each(st, "SELECT r.id, r.person, r.meeting, p.email, p.language, m.start_date FROM registration r "
			      "JOIN person p ON p.id = r.person JOIN meeting m ON m.id = r.meeting "
			      "WHERE m.start_date = ? AND p.email IS NOT NULL AND p.email <> '' ORDER BY r.id",
			  BIND(p_text(day)), registration_row, &w);
}

enum app_err store_notify_late_count(struct store *st, const char *today, long long *out)
{
	return store_value(st, "SELECT COUNT(*) FROM action WHERE status NOT IN ('done', 'dropped') AND due_date < ?",
			   BIND(p_text(today)), out, NULL);
}

/* ---- what messages say ------------------------------------------------------------------------- */

/* The SQL of an I18N column in lang, else in the others (the order pages use). */
static void in_lang(char *out, size_t n, const char *col, enum lang lang)
{
	static const char *const order[][3] = { [LANG_FR] = { "fr", "en", "ar" }, [LANG_EN] = { "en", "fr", "ar" },
						[LANG_AR] = { "ar", "fr", "en" } };
	const char *const *o = order[lang];
	snprintf(out, n, "COALESCE(NULLIF(%s_%s, ''), NULLIF(%s_%s, ''), %s_%s)", col, o[0], col, o[1], col, o[2]);
}

static enum app_err action_row(void *p, const struct row *r)
{
	struct notify_action *a = p;
	copy_text(a->title, sizeof a->title, row_text(r, 1));
	copy_text(a->owner, sizeof a->owner, row_text(r, 2));
	copy_text(a->status, sizeof a->status, row_text(r, 3));
	copy_text(a->due_date, sizeof a->due_date, row_text(r, 4));
	a->percent = row_int(r, 5);
	return APP_OK;
}

/* SELECT id, title, owner's name, status, due_date, percent FROM action a … */
static void action_select(char *sql, size_t n, enum lang lang, const char *rest)
{
	char title[160], owner[160];
	in_lang(title, sizeof title, "a.title", lang);
	in_lang(owner, sizeof owner, "o.name", lang);
	snprintf(sql, n, "SELECT a.id, %s, %s, a.status, a.due_date, a.percent FROM action a "
			 "LEFT JOIN organisation o ON o.id = a.owner %s", title, owner, rest);
}

enum app_err store_notify_action(struct store *st, long long id, enum lang lang, struct notify_action *out)
{
	memset(out, 0, sizeof *out);
	char sql[800];
	action_select(sql, sizeof sql, lang, "WHERE a.id = ?");
	return store_one(st, sql, BIND(p_int(id)), action_row, out);
}

struct late_walk {
	late_action_fn fn;
	void *ctx;
};

static enum app_err late_row(void *p, const struct row *r)
{
	struct late_walk *w = p;
	struct notify_action a;
	memset(&a, 0, sizeof a);
	action_row(&a, r);
	return w->fn(w->ctx, row_int(r, 0), &a);
}

enum app_err store_notify_late_actions(struct store *st, const char *today, enum lang lang, int limit,
				       late_action_fn fn, void *ctx)
{
	char sql[900];
	action_select(sql, sizeof sql, lang, "WHERE a.status NOT IN ('done', 'dropped') AND a.due_date < ? "
					     "ORDER BY a.due_date, a.id LIMIT ?");
	struct late_walk w = { fn, ctx };
	return store_each(st, sql, BIND(p_text(today), p_int(limit)), late_row, &w);
}

static enum app_err person_row(void *p, const struct row *r)
{
	struct notify_person *x = p;
	copy_text(x->name, sizeof x->name, row_text(r, 0));
	copy_text(x->email, sizeof x->email, row_text(r, 1));
	copy_text(x->lang, sizeof x->lang, row_text(r, 2));
	return APP_OK;
}

enum app_err store_notify_person(struct store *st, long long id, struct notify_person *out)
{
	memset(out, 0, sizeof *out);
	return store_one(st, "SELECT name, email, language FROM person WHERE id = ?", BIND(p_int(id)), person_row, out);
}

enum app_err store_notify_participant(struct store *st, long long id, struct notify_person *out)
{
	memset(out, 0, sizeof *out);
	return store_one(st, "SELECT TRIM(COALESCE(given_names, '') || ' ' || family_name), email, language "
			     "FROM participant WHERE id = ?",
			 BIND(p_int(id)), person_row, out);
}

static enum app_err meeting_row(void *p, const struct row *r)
{
	struct notify_meeting *m = p;
	copy_text(m->title, sizeof m->title, row_text(r, 0));
	copy_text(m->venue, sizeof m->venue, row_text(r, 1));
	copy_text(m->start_date, sizeof m->start_date, row_text(r, 2));
	copy_text(m->end_date, sizeof m->end_date, row_text(r, 3));
	copy_text(m->kind, sizeof m->kind, row_text(r, 4));
	return APP_OK;
}

enum app_err store_notify_meeting(struct store *st, long long id, enum lang lang, struct notify_meeting *out)
{
	memset(out, 0, sizeof *out);
	char title[160], sql[400];
	in_lang(title, sizeof title, "title", lang);
	snprintf(sql, sizeof sql, "SELECT %s, venue, start_date, end_date, kind FROM meeting WHERE id = ?", title);
	return store_one(st, sql, BIND(p_int(id)), meeting_row, out);
}

/* ---- webhooks -------------------------------------------------------------------------------------- */

/* Most installations have no webhook, and asking the table on every write
 * costs a quarter of a create (bench/writes): the answer is kept this many
 * seconds.  A webhook registered here is seen at once; by the other
 * servers of a PostgreSQL installation within this time. */
#define WEBHOOKS_RECHECK 2

static long long monotonic_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec + 1; /* never 0: 0 is "never read" */
}

static enum app_err any_webhook(struct conn *c, bool *any)
{
	struct store *st = c->st;
	long long now = monotonic_seconds(), at = atomic_load(&st->webhooks_read_at);
	if (at && now - at < WEBHOOKS_RECHECK) {
		*any = atomic_load(&st->webhooks_any);
		return APP_OK;
	}
	long long n = 0;
	enum app_err rc = conn_value(c, "SELECT COUNT(*) FROM webhook", NO_BINDS, &n, NULL);
	if (rc)
		return rc;
	atomic_store(&st->webhooks_any, n > 0);
	atomic_store(&st->webhooks_read_at, now);
	*any = n > 0;
	return APP_OK;
}

/* The table changed here: read it again at the next write. */
static void webhooks_changed(struct store *st)
{
	atomic_store(&st->webhooks_read_at, 0);
}

/* What an event's delivery says: which record and what happened to it,
 * no more (what it holds stays behind the API's rights) — the body is
 * {"webhook":W HEAD "ID" TAIL}; and the pattern of the webhooks that want
 * it (their events, space-separated, LIKE it). */
struct event_text {
	char event[96], pattern[112];
	struct buf head, tail;
	long long now;
};

static void event_text(struct event_text *t, const char *collection, const char *change)
{
	char at[21];
	util_now(at);
	t->now = time(NULL);
	snprintf(t->event, sizeof t->event, "%s.%s", collection, change);
	snprintf(t->pattern, sizeof t->pattern, "%% %s %%", t->event);
	t->head = (struct buf)BUF_INIT;
	t->tail = (struct buf)BUF_INIT;
	buf_printf(&t->head, ",\"event\":\"%s\",\"collection\":\"%s\",\"id\":", t->event, collection);
	buf_printf(&t->tail, ",\"at\":\"%s\"}", at);
}

static void event_text_release(struct event_text *t)
{
	buf_release(&t->head);
	buf_release(&t->tail);
}

enum app_err conn_webhook_event(struct conn *c, const char *collection, const char *change, const char *key)
{
	bool any = false;
	enum app_err rc = any_webhook(c, &any);
	if (rc || !any)
		return rc;
	struct event_text t;
	event_text(&t, collection, change);
	struct buf rest = BUF_INIT; /* HEAD "ID" TAIL */
	buf_adds(&rest, buf_cstr(&t.head));
	buf_json_str(&rest, key);
	buf_adds(&rest, buf_cstr(&t.tail));
	rc = conn_do(c, "INSERT INTO outbox (kind, template, recipient, lang, params, created_at, next_at) "
			"SELECT 'webhook', ?, url, 'en', '{\"webhook\":' || CAST(id AS TEXT) || ?, ?, ? "
			"FROM webhook WHERE ' ' || events || ' ' LIKE ?",
		     BIND(p_text(t.event), p_text(buf_cstr(&rest)), p_int(t.now), p_int(t.now), p_text(t.pattern)));
	buf_release(&rest);
	event_text_release(&t);
	return rc;
}

enum app_err store_webhook_created(struct store *st, const struct entity *e, long long first, long long last)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || e->readonly || first > last)
		return rc;
	struct event_text t;
	event_text(&t, e->plural, "created");
	/* each record's number, between the head and the tail (numbers need
	 * no escaping) */
	const char *key = ent_keyfield(e)->name;
	struct buf sql = BUF_INIT;
	buf_printf(&sql, "INSERT INTO outbox (kind, template, recipient, lang, params, created_at, next_at) "
			 "SELECT 'webhook', ?, w.url, 'en', '{\"webhook\":' || CAST(w.id AS TEXT) || ? || '\"' || "
			 "CAST(t.%s AS TEXT) || '\"' || ?, ?, ? FROM webhook w JOIN %s t ON t.%s BETWEEN ? AND ? "
			 "WHERE ' ' || w.events || ' ' LIKE ? ORDER BY t.%s, w.id",
		   key, e->name, key, key);
	rc = conn_do(c, buf_cstr(&sql),
		     BIND(p_text(t.event), p_text(buf_cstr(&t.head)), p_text(buf_cstr(&t.tail)), p_int(t.now),
			  p_int(t.now), p_int(first), p_int(last), p_text(t.pattern)));
	buf_release(&sql);
	event_text_release(&t);
	return rc;
}

struct hook_walk {
	webhook_fn fn;
	void *ctx;
};

static enum app_err hook_row(void *p, const struct row *r)
{
	struct hook_walk *w = p;
	struct webhook h = { .id = row_int(r, 0), .url = row_text(r, 1), .events = row_text(r, 2),
			     .created_at = row_text(r, 3) };
	return w->fn(w->ctx, &h);
}

enum app_err store_webhooks(struct store *st, webhook_fn fn, void *ctx)
{
	struct hook_walk w = { fn, ctx };
	return store_each(st, "SELECT id, url, events, created_at FROM webhook ORDER BY id", NO_BINDS, hook_row, &w);
}

enum app_err store_webhook_add(struct store *st, const char *url, const char *events, const char *sealed_secret,
			       const char *actor, long long *id)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	char now[21];
	util_now(now);
	bool found = false;
	rc = conn_value(c, "INSERT INTO webhook (url, events, secret, created_at) VALUES (?, ?, ?, ?) RETURNING id",
			BIND(p_text(url), p_text(events), p_text(sealed_secret), p_text(now)), id, &found);
	struct buf after = BUF_INIT;
	buf_adds(&after, "{\"url\":");
	buf_json_str(&after, url);
	buf_adds(&after, ",\"events\":");
	buf_json_str(&after, events);
	buf_addc(&after, '}');
	char key[24];
	snprintf(key, sizeof key, "%lld", *id);
	if (!rc)
		rc = found ? conn_audit(c, actor, "webhook", key, "create", NULL, buf_cstr(&after)) : APP_INTERNAL;
	buf_release(&after);
	enum app_err end = conn_end(c, rc == APP_OK);
	webhooks_changed(st);
	return rc ? rc : end;
}

enum app_err store_webhook_delete(struct store *st, long long id, const char *actor)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	long long gone = 0;
	bool found = false;
	rc = conn_value(c, "DELETE FROM webhook WHERE id = ? RETURNING id", BIND(p_int(id)), &gone, &found);
	if (!rc && !found)
		rc = APP_NOT_FOUND;
	char key[24], params[48];
	snprintf(key, sizeof key, "%lld", id);
	snprintf(params, sizeof params, "{\"webhook\":%lld,%%", id);
	if (!rc) /* what it had not received yet, it will not */
		rc = conn_do(c, "UPDATE outbox SET given_up_at = ?, last_error = 'not sent: the webhook was removed' "
				"WHERE kind = 'webhook' AND " OUTBOX_OPEN " AND params LIKE ?",
			     BIND(p_int(time(NULL)), p_text(params)));
	if (!rc)
		rc = conn_audit(c, actor, "webhook", key, "delete", NULL, NULL);
	enum app_err end = conn_end(c, rc == APP_OK);
	webhooks_changed(st);
	return rc ? rc : end;
}

static enum app_err secret_row(void *p, const struct row *r)
{
	char **out = p;
	*out = xstrdup(row_text(r, 0) ? row_text(r, 0) : "");
	return APP_OK;
}

enum app_err store_webhook_secret(struct store *st, long long id, char **out)
{
	*out = NULL;
	return store_one(st, "SELECT secret FROM webhook WHERE id = ?", BIND(p_int(id)), secret_row, out);
}

static enum app_err count_row(void *p, const struct row *r)
{
	(void)r;
	(*(long long *)p)++;
	return APP_OK;
}

enum app_err store_webhook_late(struct store *st, const char *today, long long now, long long *queued)
{
	char at[21];
	util_now(at);
	*queued = 0;
	return store_each(st, "INSERT INTO outbox (kind, template, recipient, lang, params, dedupe, created_at, next_at) "
			      "SELECT 'webhook', 'action.late', w.url, 'en', "
			      "'{\"webhook\":' || CAST(w.id AS TEXT) || ',\"event\":\"action.late\",\"collection\":\"actions\","
			      "\"id\":\"' || CAST(a.id AS TEXT) || '\",\"due_date\":\"' || a.due_date || '\",\"at\":\"' || ? || '\"}', "
			      "'hook-late:' || CAST(w.id AS TEXT) || ':' || CAST(a.id AS TEXT) || ':' || a.due_date, ?, ? "
			      "FROM action a, webhook w WHERE a.status NOT IN ('done', 'dropped') AND a.due_date < ? "
			      "AND ' ' || w.events || ' ' LIKE '% action.late %' "
			      "ON CONFLICT (dedupe) DO NOTHING RETURNING id",
			  BIND(p_text(at), p_int(now), p_int(now), p_text(today)), count_row, queued);
}

struct delivery_walk {
	delivery_fn fn;
	void *ctx;
};

static enum app_err delivery_row(void *p, const struct row *r)
{
	struct delivery_walk *w = p;
	struct delivery_row d = {
		.id = row_int(r, 0), .created_at = row_int(r, 1), .sent_at = row_null(r, 2) ? 0 : row_int(r, 2),
		.tries = row_int(r, 3), .given_up_at = row_null(r, 4) ? 0 : row_int(r, 4), .event = row_text(r, 5),
		.url = row_text(r, 6), .last_error = row_text(r, 7),
	};
	return w->fn(w->ctx, &d);
}

enum app_err store_webhook_deliveries(struct store *st, int limit, delivery_fn fn, void *ctx)
{
	struct delivery_walk w = { fn, ctx };
	return store_each(st, "SELECT id, created_at, sent_at, tries, given_up_at, template, recipient, last_error "
			      "FROM outbox WHERE kind = 'webhook' ORDER BY id DESC LIMIT ?",
			  BIND(p_int(limit)), delivery_row, &w);
}

/* ---- progress links ----------------------------------------------------------------------------- */

enum app_err store_progress_link_add(struct store *st, const char *token_hash, long long action, long long person,
				     const char *email, long long now, long long expires_at)
{
	return store_do(st, "INSERT INTO progress_link (token_hash, action, person, email, created_at, expires_at) "
			    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (token_hash) DO NOTHING",
			BIND(p_text(token_hash), p_int(action), p_int(person), p_text(email), p_int(now), p_int(expires_at)));
}

static void link_from_row(struct progress_link *l, const struct row *r)
{
	l->id = row_int(r, 0);
	l->action = row_int(r, 1);
	l->person = row_int(r, 2);
	copy_text(l->email, sizeof l->email, row_text(r, 3));
	l->created_at = row_int(r, 4);
	l->expires_at = row_int(r, 5);
	l->revoked_at = row_null(r, 6) ? 0 : row_int(r, 6);
}

static enum app_err link_row(void *p, const struct row *r)
{
	link_from_row(p, r);
	return APP_OK;
}

#define LINK_COLUMNS "l.id, l.action, l.person, l.email, l.created_at, l.expires_at, l.revoked_at"

enum app_err store_progress_link(struct store *st, const char *token_hash, struct progress_link *out)
{
	memset(out, 0, sizeof *out);
	return store_one(st, "SELECT " LINK_COLUMNS " FROM progress_link l WHERE l.token_hash = ?", BIND(p_text(token_hash)),
			 link_row, out);
}

struct links_walk {
	progress_link_fn fn;
	void *ctx;
};

static enum app_err links_row(void *p, const struct row *r)
{
	struct links_walk *w = p;
	struct progress_link l;
	link_from_row(&l, r);
	return w->fn(w->ctx, &l, row_text(r, 7));
}

enum app_err store_progress_links(struct store *st, long long now, enum lang lang, int limit, progress_link_fn fn,
				  void *ctx)
{
	char title[160], sql[600];
	in_lang(title, sizeof title, "a.title", lang);
	snprintf(sql, sizeof sql, "SELECT " LINK_COLUMNS ", %s FROM progress_link l JOIN action a ON a.id = l.action "
				  "WHERE l.revoked_at IS NULL AND l.expires_at > ? ORDER BY l.id DESC LIMIT ?", title);
	struct links_walk w = { fn, ctx };
	return store_each(st, sql, BIND(p_int(now), p_int(limit)), links_row, &w);
}

enum app_err store_progress_link_revoke(struct store *st, long long id, long long now, const char *actor)
{
	return audited_change(st, "UPDATE progress_link SET revoked_at = ? "
				  "WHERE id = ? AND revoked_at IS NULL AND expires_at > ? RETURNING id",
			      BIND(p_int(now), p_int(id), p_int(now)), "progress_link", id, "update", "{\"revoked\":false}",
			      "{\"revoked\":true}", actor);
}

/* ---- the monthly summaries of focal points and donors ---------------------------------------------- */

struct need_walk {
	need_fn fn;
	void *ctx;
};

static enum app_err need_row(void *p, const struct row *r)
{
	struct need_walk *w = p;
	return w->fn(w->ctx, row_int(r, 0), row_text(r, 1), row_int(r, 2), row_text(r, 3));
}

static enum app_err month_row(void *p, const struct row *r)
{
	struct country_month *m = p;
	m->needs = row_int(r, 0);
	m->enrolments = row_int(r, 1);
	m->actions = row_int(r, 2);
	m->sheets = row_int(r, 3);
	return APP_OK;
}

/* The open actions of a country: those that answer one of its needs, and
 * those its organisations own. */
#define COUNTRY_ACTIONS                                                                              \
	"a.status IN ('planned', 'in_progress') AND (a.id IN (SELECT l.action FROM need_actions l "    \
	"JOIN need n ON n.id = l.need WHERE n.country = ?) OR a.owner IN "                            \
	"(SELECT o2.id FROM organisation o2 WHERE o2.country = ?))"

/* A forum m's sheets a country has still to fill: its programmes that
 * its state has not rated there. */
#define SHEETS_TO_FILL                                                                               \
	"(SELECT COUNT(*) FROM programme_countries l WHERE l.country = ? AND NOT EXISTS (SELECT 1 "     \
	"FROM evaluation v WHERE v.meeting = m.id AND v.programme = l.programme "                      \
	"AND v.rater = 'beneficiary' AND v.country = ?))"

enum app_err store_notify_country_month(struct store *st, const struct country_span *span, enum lang lang, int limit,
					need_fn fn, void *ctx, struct country_month *out)
{
	memset(out, 0, sizeof *out);
	const char *country = span->country;
	enum app_err rc = store_one(st, "SELECT (SELECT COUNT(*) FROM need WHERE country = ? AND assessed_on >= ?), "
					"(SELECT COUNT(*) FROM enrolment e JOIN participant p ON p.id = e.participant "
					"JOIN training_session s ON s.id = e.session "
					"WHERE p.country = ? AND s.start_date >= ?), "
					"(SELECT COUNT(*) FROM action a WHERE " COUNTRY_ACTIONS "), "
					"(SELECT COALESCE(SUM(" SHEETS_TO_FILL "), 0) FROM meeting m "
					"WHERE m.kind = 'forum' AND m.start_date >= ? AND m.start_date <= ?)",
				    BIND(p_text(country), p_text(span->since), p_text(country), p_text(span->since),
					 p_text(country), p_text(country), p_text(country), p_text(country),
					 p_text(span->since), p_text(span->forums_until)),
				    month_row, out);
	if (rc || !out->needs || !fn)
		return rc;
	char theme[160], sql[500];
	in_lang(theme, sizeof theme, "t.name", lang);
	snprintf(sql, sizeof sql, "SELECT n.id, %s, n.severity, n.assessed_on FROM need n JOIN theme t ON t.code = n.theme "
				  "WHERE n.country = ? AND n.assessed_on >= ? ORDER BY n.assessed_on DESC, n.id DESC LIMIT ?",
		 theme);
	struct need_walk w = { fn, ctx };
	return store_each(st, sql, BIND(p_text(country), p_text(span->since), p_int(limit)), need_row, &w);
}

enum app_err store_notify_country_actions(struct store *st, const char *country, enum lang lang, int limit,
					  late_action_fn fn, void *ctx)
{
	char sql[1200];
	action_select(sql, sizeof sql, lang, "WHERE " COUNTRY_ACTIONS " ORDER BY a.due_date IS NULL, a.due_date, a.id LIMIT ?");
	struct late_walk w = { fn, ctx };
	return store_each(st, sql, BIND(p_text(country), p_text(country), p_int(limit)), late_row, &w);
}

struct sheets_walk {
	forum_sheets_fn fn;
	void *ctx;
};

static enum app_err sheets_row(void *p, const struct row *r)
{
	struct sheets_walk *w = p;
	long long n = row_int(r, 3);
	return n ? w->fn(w->ctx, row_int(r, 0), row_text(r, 1), row_text(r, 2), n) : APP_OK;
}

enum app_err store_notify_country_sheets(struct store *st, const struct country_span *span, enum lang lang,
					 forum_sheets_fn fn, void *ctx)
{
	char title[160], sql[900];
	in_lang(title, sizeof title, "m.title", lang);
	snprintf(sql, sizeof sql, "SELECT m.id, %s, m.start_date, " SHEETS_TO_FILL " FROM meeting m "
				  "WHERE m.kind = 'forum' AND m.start_date >= ? AND m.start_date <= ? "
				  "ORDER BY m.start_date, m.id LIMIT 10",
		 title);
	struct sheets_walk w = { fn, ctx };
	return store_each(st, sql, BIND(p_text(span->country), p_text(span->country), p_text(span->since),
					 p_text(span->forums_until)),
			  sheets_row, &w);
}

struct donor_walk {
	donor_programme_fn fn;
	void *ctx;
	long long *n;
};

static enum app_err donor_row(void *p, const struct row *r)
{
	struct donor_walk *w = p;
	(*w->n)++;
	return w->fn(w->ctx, row_int(r, 0), row_text(r, 1), row_text(r, 2), row_int(r, 3));
}

enum app_err store_notify_donor_programmes(struct store *st, long long organisation, const char *since, enum lang lang,
					   donor_programme_fn fn, void *ctx, long long *n)
{
	char title[160], sql[700];
	in_lang(title, sizeof title, "g.title", lang);
	snprintf(sql, sizeof sql, "SELECT g.id, %s, g.status, (SELECT COUNT(*) FROM funding_transaction x "
				  "WHERE x.programme = g.id AND x.date >= ?) FROM programme g "
				  "JOIN programme_donors d ON d.programme = g.id WHERE d.organisation = ? ORDER BY g.id LIMIT 50",
		 title);
	*n = 0;
	struct donor_walk w = { fn, ctx, n };
	return store_each(st, sql, BIND(p_text(since), p_int(organisation)), donor_row, &w);
}

static enum app_err name_row(void *p, const struct row *r)
{
	struct buf *b = p;
	buf_adds(b, row_text(r, 0) ? row_text(r, 0) : "");
	return APP_OK;
}

enum app_err store_notify_country_name(struct store *st, const char *code, enum lang lang, struct buf *out)
{
	char name[160], sql[300];
	in_lang(name, sizeof name, "name", lang);
	snprintf(sql, sizeof sql, "SELECT %s FROM country WHERE code = ?", name);
	return store_one(st, sql, BIND(p_text(code)), name_row, out);
}

/* ---- review (review.h) ----------------------------------------------------------------- */

enum app_err store_notify_review_waiting(struct store *st, long long *out)
{
	struct buf sql = BUF_INIT;
	buf_adds(&sql, "SELECT 0");
	for (size_t i = 0; i < entities_count; i++)
		if (entities[i]->review) /* (a name of ours) */
			buf_printf(&sql, " + (SELECT COUNT(*) FROM %s WHERE review_state = 'submitted')", entities[i]->name);
	*out = 0;
	enum app_err rc = store_value(st, buf_cstr(&sql), NO_BINDS, out, NULL);
	buf_release(&sql);
	return rc;
}

struct review_read {
	struct review_facts *out;
	const struct entity *e;
	enum lang lang;
};

static enum app_err review_row(void *p, const struct row *r)
{
	struct review_read *rr = p;
	struct label_reader reader = { rr->lang, ROLE_ADMIN, LABEL_TEXT };
	label_own(&rr->out->label, &reader, rr->e, r);
	row_copy(r, rr->e->review[REVIEW_STATE].col, rr->out->state, sizeof rr->out->state);
	row_copy(r, rr->e->review[REVIEW_COMMENT].col, rr->out->comment, sizeof rr->out->comment);
	return APP_OK;
}

enum app_err store_notify_review(struct store *st, const struct entity *e, const char *key, enum lang lang,
				 struct review_facts *out)
{
	long long id;
	if (!e->review || !util_parse_ll(key, &id))
		return APP_NOT_FOUND;
	struct query q = { .e = e, .viewer = ROLE_ADMIN, .limit = 1, .labels = LABELS_OWN, .nfilters = 1 };
	q.filters[0].f = ent_keyfield(e);
	q.filters[0].value = p_int(id);
	struct review_read rr = { out, e, lang };
	out->state[0] = '\0';
	enum app_err rc = store_list(st, &q, NULL, review_row, &rr);
	return rc ? rc : out->state[0] ? APP_OK : APP_NOT_FOUND;
}

struct named_account {
	char *email, *lang;
};

static enum app_err named_row(void *p, const struct row *r)
{
	struct named_account *a = p;
	row_copy(r, 0, a->email, 256);
	row_copy(r, 1, a->lang, 4);
	return APP_OK;
}

enum app_err store_notify_submitter(struct store *st, const char *submitted_by, char email[256], char lang[4])
{
	email[0] = lang[0] = '\0';
	struct named_account a = { email, lang };
	if (strncmp(submitted_by, "link:", 5) == 0)
		return store_each(st, "SELECT CAST(? AS TEXT), (SELECT p.language FROM person p WHERE p.email = ? ORDER BY p.id LIMIT 1)",
				  BIND(p_text(submitted_by + 5), p_text(submitted_by + 5)), named_row, &a);
	return store_each(st, "SELECT email, language FROM account WHERE name = ? AND disabled = 0 AND email IS NOT NULL",
			  BIND(p_text(submitted_by)), named_row, &a);
}
