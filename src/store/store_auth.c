/* store_auth.c — see store_auth.h.  Hand-written SQL: these tables are the
 * machinery of access, not records people edit through the registry. */
#define _POSIX_C_SOURCE 200809L
#include "store_auth.h"

#include <stdio.h>
#include <string.h>

#include "store_int.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

static void copy_text(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

#define ACCOUNT_COLUMNS "id, name, role, country, organisation, password_hash, disabled"

static void account_from_row(struct dbrows *r, const struct db_ops *ops, struct account *a)
{
	memset(a, 0, sizeof *a);
	a->id = ops->integer(r, 0);
	copy_text(a->name, sizeof a->name, ops->text(r, 1));
	if (!role_parse(ops->text(r, 2), &a->role))
		a->role = ROLE_PUBLIC; /* an unknown role may do nothing */
	copy_text(a->country, sizeof a->country, ops->text(r, 3));
	a->organisation = ops->integer(r, 4);
	copy_text(a->password_hash, sizeof a->password_hash, ops->text(r, 5));
	a->disabled = ops->integer(r, 6) != 0;
}

/* Runs s and hands its first row, if any, to read; APP_NOT_FOUND when there
 * is none.  The shape of every lookup below. */
typedef void (*read_fn)(void *out, struct dbrows *r, const struct db_ops *ops);

static enum app_err first_row(struct conn *c, struct stmt *s, read_fn read, void *out)
{
	struct dbrows *r = NULL;
	enum app_err rc = conn_run(c, s, &r);
	stmt_release(s);
	if (rc)
		return rc;
	int more = c->ops->next(r);
	if (more == 1)
		read(out, r, c->ops);
	c->ops->done(r);
	return more < 0 ? APP_UNAVAILABLE : more ? APP_OK : APP_NOT_FOUND;
}

static void read_account(void *out, struct dbrows *r, const struct db_ops *ops)
{
	account_from_row(r, ops, out);
}

/* The account as the audit trail shows it: never the password hash. */
static void account_json(struct buf *b, const struct account *a)
{
	buf_printf(b, "{\"id\":%lld,\"name\":", a->id);
	buf_json_str(b, a->name);
	buf_printf(b, ",\"role\":\"%s\",\"country\":", role_name[a->role]);
	buf_json_str(b, a->country[0] ? a->country : NULL);
	if (a->organisation)
		buf_printf(b, ",\"organisation\":%lld", a->organisation);
	else
		buf_adds(b, ",\"organisation\":null");
	buf_printf(b, ",\"disabled\":%s}", a->disabled ? "true" : "false");
}

static enum app_err one_account(struct conn *c, const char *name, long long id, struct account *out)
{
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT " ACCOUNT_COLUMNS " FROM account WHERE ");
	if (name) {
		buf_adds(&s.sql, "name = ?");
		stmt_text(&s, name);
	} else {
		buf_adds(&s.sql, "id = ?");
		stmt_int(&s, id);
	}
	return first_row(c, &s, read_account, out);
}

enum app_err store_account_get(struct store *st, const char *name, long long id, struct account *out)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	return rc ? rc : one_account(c, name, id, out);
}

/* Runs one write statement inside a transaction, then audits the account. */
static enum app_err account_write(struct conn *c, struct stmt *s, long long id, const char *action,
				  const struct account *before, const char *actor)
{
	enum app_err rc = conn_begin(c);
	if (rc)
		return rc;
	rc = conn_run(c, s, NULL);
	struct account after;
	struct buf b1 = BUF_INIT, b2 = BUF_INIT;
	if (!rc)
		rc = one_account(c, NULL, id, &after);
	if (!rc) {
		if (before)
			account_json(&b1, before);
		account_json(&b2, &after);
		char key[24];
		snprintf(key, sizeof key, "%lld", id);
		rc = conn_audit(c, actor, "account", key, action, before ? buf_cstr(&b1) : NULL, buf_cstr(&b2));
	}
	if (!rc)
		rc = conn_bump(c); /* remembered principals are stale now */
	buf_release(&b1);
	buf_release(&b2);
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

enum app_err store_account_add(struct store *st, const struct account *a, const char *actor)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc)
		return rc;
	long long id = 0;
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT COALESCE(MAX(id), 0) + 1 FROM account");
	rc = conn_scalar(c, &s, &id, NULL);
	stmt_release(&s);
	if (rc)
		return rc;
	char now[21];
	util_now(now);
	stmt_init(&s);
	buf_adds(&s.sql, "INSERT INTO account (id, name, role, country, organisation, password_hash, "
			 "disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)");
	stmt_int(&s, id);
	stmt_text(&s, a->name);
	stmt_text(&s, role_name[a->role]);
	stmt_text(&s, a->country[0] ? a->country : NULL);
	if (a->organisation)
		stmt_int(&s, a->organisation);
	else
		stmt_text(&s, NULL);
	stmt_text(&s, a->password_hash);
	stmt_text(&s, now);
	stmt_text(&s, now);
	rc = account_write(c, &s, id, "create", NULL, actor);
	stmt_release(&s);
	return rc;
}

/* Ends every session of the account and revokes its API tokens: what a
 * new password or a disabled account must take with it (a token made
 * by someone who learnt the old password would otherwise outlive it). */
static enum app_err end_credentials(struct conn *c, long long id, const char *now)
{
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "UPDATE api_token SET revoked_at = ? WHERE account = ? AND revoked_at IS NULL");
	stmt_text(&s, now);
	stmt_int(&s, id);
	enum app_err rc = conn_run(c, &s, NULL);
	stmt_release(&s);
	if (rc)
		return rc;
	stmt_init(&s);
	buf_adds(&s.sql, "DELETE FROM session WHERE account = ?");
	stmt_int(&s, id);
	rc = conn_run(c, &s, NULL);
	stmt_release(&s);
	return rc;
}

/* Runs the account update s (its id bound by the caller) after
 * end_credentials, in one transaction; audited. */
static enum app_err account_change(struct store *st, long long id, const char *now,
				   struct stmt *s, const char *actor)
{
	struct conn *c;
	struct account before;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = one_account(c, NULL, id, &before)) || (rc = conn_begin(c)))
		return rc;
	rc = end_credentials(c, id, now);
	if (!rc)
		rc = account_write(c, s, id, "update", &before, actor);
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

enum app_err store_account_set_password(struct store *st, long long id, const char *hash,
					const char *actor)
{
	char now[21];
	util_now(now);
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "UPDATE account SET password_hash = ?, updated_at = ? WHERE id = ?");
	stmt_text(&s, hash);
	stmt_text(&s, now);
	stmt_int(&s, id);
	enum app_err rc = account_change(st, id, now, &s, actor);
	stmt_release(&s);
	return rc;
}

enum app_err store_account_disable(struct store *st, long long id, const char *actor)
{
	char now[21];
	util_now(now);
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "UPDATE account SET disabled = 1, updated_at = ? WHERE id = ?");
	stmt_text(&s, now);
	stmt_int(&s, id);
	enum app_err rc = account_change(st, id, now, &s, actor);
	stmt_release(&s);
	return rc;
}

enum app_err store_account_list(struct store *st, account_fn fn, void *ctx)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc)
		return rc;
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT " ACCOUNT_COLUMNS " FROM account ORDER BY name");
	struct dbrows *r = NULL;
	rc = conn_run(c, &s, &r);
	stmt_release(&s);
	if (rc)
		return rc;
	int more;
	while ((more = c->ops->next(r)) == 1) {
		struct account a;
		account_from_row(r, c->ops, &a);
		fn(ctx, &a);
	}
	c->ops->done(r);
	return more < 0 ? APP_UNAVAILABLE : APP_OK;
}

/* ---- sessions ----------------------------------------------------------------- */

/* Runs a statement that needs no transaction of its own. */
static enum app_err simple(struct store *st, struct stmt *s)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (!rc)
		rc = conn_run(c, s, NULL);
	stmt_release(s);
	return rc;
}

enum app_err store_session_add(struct store *st, const char *token_hash, long long account,
			       const char *csrf, long long now)
{
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "INSERT INTO session (token_hash, account, csrf, created_at, seen_at) "
			 "VALUES (?, ?, ?, ?, ?)");
	stmt_text(&s, token_hash);
	stmt_int(&s, account);
	stmt_text(&s, csrf);
	stmt_int(&s, now);
	stmt_int(&s, now);
	return simple(st, &s);
}

static void read_session(void *p, struct dbrows *r, const struct db_ops *ops)
{
	struct session *out = p;
	out->account = ops->integer(r, 0);
	copy_text(out->csrf, sizeof out->csrf, ops->text(r, 1));
	out->created_at = ops->integer(r, 2);
	out->seen_at = ops->integer(r, 3);
}

enum app_err store_session_get(struct store *st, const char *token_hash, struct session *out)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc)
		return rc;
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT account, csrf, created_at, seen_at FROM session WHERE token_hash = ?");
	stmt_text(&s, token_hash);
	return first_row(c, &s, read_session, out);
}

enum app_err store_session_touch(struct store *st, const char *token_hash, long long now)
{
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "UPDATE session SET seen_at = ? WHERE token_hash = ?");
	stmt_int(&s, now);
	stmt_text(&s, token_hash);
	return simple(st, &s);
}

enum app_err store_session_delete(struct store *st, const char *token_hash)
{
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "DELETE FROM session WHERE token_hash = ?");
	stmt_text(&s, token_hash);
	return simple(st, &s);
}

/* ---- API tokens --------------------------------------------------------------- */

static enum app_err token_audit(struct conn *c, const char *actor, long long id, const char *action,
			       const char *json)
{
	char key[24];
	snprintf(key, sizeof key, "%lld", id);
	return conn_audit(c, actor, "api_token", key, action, strcmp(action, "create") ? json : NULL,
			  strcmp(action, "create") ? NULL : json);
}

enum app_err store_token_add(struct store *st, long long account, const char *token_hash,
			     const char *label, long long *id, const char *actor)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT COALESCE(MAX(id), 0) + 1 FROM api_token");
	rc = conn_scalar(c, &s, id, NULL);
	stmt_release(&s);
	char now[21];
	util_now(now);
	stmt_init(&s);
	buf_adds(&s.sql, "INSERT INTO api_token (id, account, token_hash, label, created_at) "
			 "VALUES (?, ?, ?, ?, ?)");
	stmt_int(&s, *id);
	stmt_int(&s, account);
	stmt_text(&s, token_hash);
	stmt_text(&s, label);
	stmt_text(&s, now);
	if (!rc)
		rc = conn_run(c, &s, NULL);
	stmt_release(&s);
	if (!rc) {
		struct buf j = BUF_INIT;
		buf_printf(&j, "{\"id\":%lld,\"account\":%lld,\"label\":", *id, account);
		buf_json_str(&j, label);
		buf_addc(&j, '}');
		rc = token_audit(c, actor, *id, "create", buf_cstr(&j));
		buf_release(&j);
	}
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

enum app_err store_token_account(struct store *st, const char *token_hash, struct account *out)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc)
		return rc;
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT a.id, a.name, a.role, a.country, a.organisation, a.password_hash, "
			 "a.disabled FROM api_token t JOIN account a ON a.id = t.account "
			 "WHERE t.token_hash = ? AND t.revoked_at IS NULL");
	stmt_text(&s, token_hash);
	return first_row(c, &s, read_account, out);
}

enum app_err store_token_revoke(struct store *st, long long id, long long account, const char *actor)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	char now[21];
	util_now(now);
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT count(*) FROM api_token WHERE id = ? AND revoked_at IS NULL "
			 "AND (CAST(? AS BIGINT) = 0 OR account = ?)");
	stmt_int(&s, id);
	stmt_int(&s, account);
	stmt_int(&s, account);
	long long n = 0;
	rc = conn_scalar(c, &s, &n, NULL);
	stmt_release(&s);
	if (!rc && !n)
		rc = APP_NOT_FOUND;
	stmt_init(&s);
	buf_adds(&s.sql, "UPDATE api_token SET revoked_at = ? WHERE id = ?");
	stmt_text(&s, now);
	stmt_int(&s, id);
	if (!rc)
		rc = conn_run(c, &s, NULL);
	stmt_release(&s);
	if (!rc) {
		char j[64];
		snprintf(j, sizeof j, "{\"id\":%lld,\"revoked\":false}", id);
		rc = token_audit(c, actor, id, "delete", j);
	}
	if (!rc)
		rc = conn_bump(c); /* remembered principals are stale now */
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

enum app_err store_token_list(struct store *st, long long account, token_fn fn, void *ctx)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc)
		return rc;
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT t.id, a.name, t.label, t.created_at, t.revoked_at FROM api_token t "
			 "JOIN account a ON a.id = t.account WHERE CAST(? AS BIGINT) = 0 OR t.account = ? "
			 "ORDER BY t.id");
	stmt_int(&s, account);
	stmt_int(&s, account);
	struct dbrows *r = NULL;
	rc = conn_run(c, &s, &r);
	stmt_release(&s);
	if (rc)
		return rc;
	int more;
	while ((more = c->ops->next(r)) == 1)
		fn(ctx, c->ops->integer(r, 0), c->ops->text(r, 1), c->ops->text(r, 2),
		   c->ops->text(r, 3), c->ops->text(r, 4));
	c->ops->done(r);
	return more < 0 ? APP_UNAVAILABLE : APP_OK;
}

/* ---- login throttling ----------------------------------------------------------- */

static void read_throttle(void *p, struct dbrows *r, const struct db_ops *ops)
{
	long long *v = p;
	v[0] = ops->integer(r, 0);
	v[1] = ops->integer(r, 1);
}

enum app_err store_throttle_get(struct store *st, const char *key, long long *failures,
				long long *locked_until)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc)
		return rc;
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "SELECT failures, locked_until FROM login_throttle WHERE key = ?");
	stmt_text(&s, key);
	long long v[2] = { 0, 0 };
	rc = first_row(c, &s, read_throttle, v);
	*failures = v[0];
	*locked_until = v[1];
	return rc == APP_NOT_FOUND ? APP_OK : rc;
}

enum app_err store_throttle_set(struct store *st, const char *key, long long failures,
				long long locked_until)
{
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "INSERT INTO login_throttle (key, failures, locked_until) VALUES (?, ?, ?) "
			 "ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
			 "locked_until = excluded.locked_until");
	stmt_text(&s, key);
	stmt_int(&s, failures);
	stmt_int(&s, locked_until);
	return simple(st, &s);
}

enum app_err store_throttle_clear(struct store *st, const char *key)
{
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "DELETE FROM login_throttle WHERE key = ?");
	stmt_text(&s, key);
	return simple(st, &s);
}

enum app_err store_throttle_prune(struct store *st, long long before)
{
	struct stmt s;
	stmt_init(&s);
	buf_adds(&s.sql, "DELETE FROM login_throttle WHERE locked_until < ?");
	stmt_int(&s, before);
	return simple(st, &s);
}
