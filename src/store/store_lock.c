/* store_lock.c — see store_lock.h. */
#define _POSIX_C_SOURCE 200809L
#include "store_lock.h"

#include <stdio.h>
#include <string.h>

#include "store_int.h"
#include "util.h"
#include "banned.h"

static const char *const scope_names[] = { [LOCK_PROGRAMME] = "programme", [LOCK_MEETING] = "meeting" };

const char *lock_scope_name(enum lock_scope scope)
{
	return scope_names[scope];
}

/* A kind of record that a lock holds: its date field, the reference that
 * leads to the programme or meeting, and the query that answers the lock's
 * date when that record (?: the reference's number) dated ? is locked. */
struct lock_rule {
	enum ent_id entity;
	enum lock_scope scope;
	int date, parent;
	const char *msgid; /* the field error; %s: the lock's date */
	const char *sql;
};

static const struct lock_rule lock_rules[] = {
	{ ENT_TRANSACTION, LOCK_PROGRAMME, TRANSACTION_DATE, TRANSACTION_PROGRAMME,
	  N_("falls in the programme's reporting period, locked as of %s: an administrator unlocks it"),
	  "SELECT as_of FROM period_lock WHERE scope = 'programme' AND scope_id = ? AND as_of >= ?" },
	{ ENT_PERIOD, LOCK_PROGRAMME, PERIOD_END_DATE, PERIOD_INDICATOR,
	  N_("falls in the programme's reporting period, locked as of %s: an administrator unlocks it"),
	  "SELECT l.as_of FROM indicator i JOIN result r ON r.id = i.result "
	  "JOIN period_lock l ON l.scope = 'programme' AND l.scope_id = r.programme "
	  "WHERE i.id = ? AND l.as_of >= ?" },
	{ ENT_ACTION_UPDATE, LOCK_MEETING, ACTION_UPDATE_DATE, ACTION_UPDATE_ACTION,
	  N_("falls in the edition's follow-up, locked as of %s: an administrator unlocks it"),
	  "SELECT l.as_of FROM action a JOIN outcome o ON o.id = a.outcome "
	  "JOIN period_lock l ON l.scope = 'meeting' AND l.scope_id = o.meeting "
	  "WHERE a.id = ? AND l.as_of >= ?" },
};

static const struct lock_rule *rule_of(const struct entity *e)
{
	for (size_t i = 0; i < sizeof lock_rules / sizeof *lock_rules; i++)
		if (ent_get(lock_rules[i].entity) == e)
			return &lock_rules[i];
	return NULL;
}

enum app_err store_lock_held(struct store *st, const struct entity *e, bool *any)
{
	const struct lock_rule *rule = rule_of(e);
	long long n = 0;
	enum app_err rc = rule ? store_value(st, "SELECT COUNT(*) FROM period_lock WHERE scope = ?",
					     BIND(p_text(scope_names[rule->scope])), &n, NULL)
			       : APP_OK;
	*any = n > 0;
	return rc;
}

static enum app_err as_of_row(void *ctx, const struct row *row)
{
	row_copy(row, 0, ctx, 11);
	return APP_OK;
}

/* The date of the lock that holds record r (a rule's entity), "" none. */
static enum app_err locked_as_of(struct conn *c, const struct lock_rule *rule, const struct record *r,
				 char as_of[11])
{
	as_of[0] = '\0';
	const char *day = rec_text(r, rule->date), *parent = rec_text(r, rule->parent);
	long long id;
	if (!day || !parent || !util_parse_ll(parent, &id))
		return APP_OK; /* (a record missing them is refused by its checks) */
	return conn_each(c, rule->sql, BIND(p_int(id), p_text(day)), as_of_row, as_of);
}

/* A delete says the lock's date in why; a create or update, on the date's
 * field. */
static enum app_err refuse(const struct lock_rule *rule, const char *as_of, struct ferrs *errs, struct buf *why)
{
	if (why) {
		buf_reset(why);
		buf_adds(why, as_of);
	} else if (errs) {
		ferrs_add(errs, ent_get(rule->entity)->fields[rule->date].name, rule->msgid, as_of);
	}
	return APP_LOCKED;
}

enum app_err conn_lock_check(struct conn *c, const struct write *w)
{
	const struct lock_rule *rule = rule_of(w->e);
	if (!rule)
		return APP_OK;
	char as_of[11];
	enum app_err rc = APP_OK;
	/* as it was (an update or delete), then as it would be */
	if (w->before && w->op != WRITE_CREATE && !(rc = locked_as_of(c, rule, w->before, as_of)) && as_of[0])
		return refuse(rule, as_of, w->errs, w->op == WRITE_DELETE ? w->why : NULL);
	if (!rc && w->after && !(rc = locked_as_of(c, rule, w->after, as_of)) && as_of[0])
		return refuse(rule, as_of, w->errs, NULL);
	return rc;
}

enum app_err store_lock_check_new(struct store *st, const struct entity *e, const struct record *r,
				  struct ferrs *errs)
{
	const struct lock_rule *rule = rule_of(e);
	struct conn *c;
	enum app_err rc = rule ? conn_get(st, &c, NULL) : APP_OK;
	if (!rule || rc)
		return rc;
	char as_of[11];
	rc = locked_as_of(c, rule, r, as_of);
	return rc ? rc : as_of[0] ? refuse(rule, as_of, errs, NULL) : APP_OK;
}

/* ---- the locks themselves ------------------------------------------------------------- */

static enum app_err lock_row(void *ctx, const struct row *row)
{
	struct period_lock *l = ctx;
	l->locked = true;
	row_copy(row, 0, l->as_of, sizeof l->as_of);
	row_copy(row, 1, l->locked_by, sizeof l->locked_by);
	row_copy(row, 2, l->locked_at, sizeof l->locked_at);
	return APP_OK;
}

static enum app_err lock_read(struct conn *c, enum lock_scope scope, long long id, struct period_lock *out)
{
	memset(out, 0, sizeof *out);
	return conn_each(c, "SELECT as_of, locked_by, locked_at FROM period_lock WHERE scope = ? AND scope_id = ?",
			 BIND(p_text(scope_names[scope]), p_int(id)), lock_row, out);
}

enum app_err store_lock_get(struct store *st, enum lock_scope scope, long long id, struct period_lock *out)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	return rc ? rc : lock_read(c, scope, id, out);
}

/* The audit's image of a lock: {"as_of": "…"}, or NULL for none. */
static char *lock_json(const struct period_lock *l, char *out, size_t size)
{
	if (!l->locked)
		return NULL;
	snprintf(out, size, "{\"as_of\":\"%s\"}", l->as_of); /* (a checked date: nothing to escape) */
	return out;
}

/* Changes the lock of scope id to as_of (NULL: none) in one transaction;
 * to an earlier date only when earlier_ok. */
static enum app_err lock_change(struct store *st, enum lock_scope scope, long long id, const char *as_of,
				const char *actor, bool earlier_ok)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	const char *table = scope_names[scope];
	char sql[64], key[24], before[40], after[40];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE id = ?", table); /* (a name of ours) */
	snprintf(key, sizeof key, "%lld", id);
	long long exists = 0;
	struct period_lock was, now = { .locked = as_of != NULL };
	if (!(rc = conn_value(c, sql, BIND(p_int(id)), &exists, NULL)) && !exists)
		rc = APP_NOT_FOUND;
	if (!rc)
		rc = lock_read(c, scope, id, &was);
	if (!rc && as_of && was.locked && strcmp(as_of, was.as_of) < 0 && !earlier_ok)
		rc = APP_FORBIDDEN;
	bool nothing = !rc && !as_of && !was.locked; /* (unlocking what is not locked: done) */
	if (!rc && !nothing)
		rc = conn_do(c, "DELETE FROM period_lock WHERE scope = ? AND scope_id = ?", BIND(p_text(table), p_int(id)));
	if (!rc && as_of) {
		char at[21];
		util_now(at);
		snprintf(now.as_of, sizeof now.as_of, "%s", as_of);
		rc = conn_do(c, "INSERT INTO period_lock (scope, scope_id, as_of, locked_by, locked_at) VALUES (?, ?, ?, ?, ?)",
			     BIND(p_text(table), p_int(id), p_text(as_of), p_text(actor), p_text(at)));
	}
	if (!rc && !nothing)
		rc = conn_audit(c, actor, table, key, as_of ? "lock" : "unlock", lock_json(&was, before, sizeof before),
				lock_json(&now, after, sizeof after));
	if (!rc && !nothing)
		rc = conn_bump(c); /* (pages cached on the change counter show the lock) */
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

enum app_err store_lock_set(struct store *st, enum lock_scope scope, long long id, const char *as_of,
			    const char *actor, bool earlier_ok)
{
	return lock_change(st, scope, id, as_of, actor, earlier_ok);
}

enum app_err store_lock_clear(struct store *st, enum lock_scope scope, long long id, const char *actor)
{
	return lock_change(st, scope, id, NULL, actor, true);
}
