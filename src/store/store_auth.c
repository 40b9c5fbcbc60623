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

/* Every query of accounts names the table `a`. */
#define ACCOUNT_COLUMNS                                                                            \
	"a.id, a.name, a.role, a.country, a.organisation, a.password_hash, a.disabled, a.must_change, " \
	"a.created_at, a.last_login_at, "                                                             \
	"(SELECT COUNT(*) FROM totp t WHERE t.account = a.id AND t.confirmed = 1), "                 \
	"(SELECT COUNT(*) FROM twofa_role r WHERE r.role = a.role), a.email"

static enum app_err account_row(void *out, const struct row *r)
{
	struct account *a = out;
	memset(a, 0, sizeof *a);
	a->id = row_int(r, 0);
	copy_text(a->name, sizeof a->name, row_text(r, 1));
	if (!role_parse(row_text(r, 2), &a->role))
		a->role = ROLE_PUBLIC; /* an unknown role may do nothing */
	copy_text(a->country, sizeof a->country, row_text(r, 3));
	a->organisation = row_int(r, 4);
	copy_text(a->password_hash, sizeof a->password_hash, row_text(r, 5));
	a->disabled = row_int(r, 6) != 0;
	a->must_change = row_int(r, 7) != 0;
	copy_text(a->created, sizeof a->created, row_text(r, 8));
	copy_text(a->last_login, sizeof a->last_login, row_text(r, 9));
	a->two_factor = row_int(r, 10) != 0;
	a->two_factor_required = row_int(r, 11) != 0;
	copy_text(a->email, sizeof a->email, row_text(r, 12));
	return APP_OK;
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
	buf_adds(b, ",\"email\":");
	buf_json_str(b, a->email[0] ? a->email : NULL);
	buf_printf(b, ",\"disabled\":%s,\"must_change\":%s}", a->disabled ? "true" : "false",
		   a->must_change ? "true" : "false");
}

static enum app_err account_by_id(struct store *st, long long id, struct account *out)
{
	return store_one(st, "SELECT " ACCOUNT_COLUMNS " FROM account a WHERE a.id = ?", BIND(p_int(id)), account_row, out);
}

enum app_err store_account_get(struct store *st, const char *name, long long id, struct account *out)
{
	if (!name)
		return account_by_id(st, id, out);
	return store_one(st, "SELECT " ACCOUNT_COLUMNS " FROM account a WHERE a.name = ?", BIND(p_text(name)),
			 account_row, out);
}

/* Runs one write statement inside a transaction, then audits the account. */
static enum app_err account_write(struct store *st, const char *sql, struct binds b, long long id,
				  const char *action, const struct account *before, const char *actor)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	rc = conn_do(c, sql, b);
	struct account after;
	struct buf b1 = BUF_INIT, b2 = BUF_INIT;
	if (!rc)
		rc = account_by_id(st, id, &after);
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
	long long id = 0;
	enum app_err rc = store_value(st, "SELECT COALESCE(MAX(id), 0) + 1 FROM account", NO_BINDS, &id, NULL);
	if (rc)
		return rc;
	char now[21];
	util_now(now);
	return account_write(st,
			     "INSERT INTO account (id, name, role, country, organisation, password_hash, "
			     "disabled, must_change, created_at, updated_at, email) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",
			     BIND(p_int(id), p_text(a->name), p_text(role_name[a->role]),
				  p_text(a->country[0] ? a->country : NULL), p_int_or_null(a->organisation, a->organisation),
				  p_text(a->password_hash), p_int(a->must_change), p_text(now), p_text(now),
				  p_text(a->email[0] ? a->email : NULL)),
			     id, "create", NULL, actor);
}

/* Ends every session of the account and revokes its API tokens: what a
 * new password or a disabled account must take with it (a token made
 * by someone who learnt the old password would otherwise outlive it). */
static enum app_err end_credentials(struct conn *c, long long id, const char *now)
{
	enum app_err rc = conn_do(c, "UPDATE api_token SET revoked_at = ? WHERE account = ? AND revoked_at IS NULL",
				  BIND(p_text(now), p_int(id)));
	return rc ? rc : conn_do(c, "DELETE FROM session WHERE account = ?", BIND(p_int(id)));
}

/* Runs the account update sql (its values b bind the id too) after
 * end_credentials, in one transaction; audited. */
static enum app_err account_change(struct store *st, long long id, const char *now, const char *sql,
				   struct binds b, const char *actor)
{
	struct conn *c;
	struct account before;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = account_by_id(st, id, &before)) || (rc = conn_begin(c)))
		return rc;
	rc = end_credentials(c, id, now);
	if (!rc)
		rc = account_write(st, sql, b, id, "update", &before, actor);
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

enum app_err store_account_set_password(struct store *st, long long id, const char *hash,
					bool one_time, const char *actor)
{
	char now[21];
	util_now(now);
	return account_change(st, id, now,
			      "UPDATE account SET password_hash = ?, must_change = ?, updated_at = ? WHERE id = ?",
			      BIND(p_text(hash), p_int(one_time), p_text(now), p_int(id)), actor);
}

enum app_err store_account_set_disabled(struct store *st, long long id, bool disabled, const char *actor)
{
	char now[21];
	util_now(now);
	return account_change(st, id, now, "UPDATE account SET disabled = ?, updated_at = ? WHERE id = ?",
			      BIND(p_int(disabled), p_text(now), p_int(id)), actor);
}

enum app_err store_account_set_email(struct store *st, long long id, const char *email, const char *actor)
{
	struct account before;
	char now[21];
	util_now(now);
	enum app_err rc = account_by_id(st, id, &before);
	return rc ? rc
		  : account_write(st, "UPDATE account SET email = ?, updated_at = ? WHERE id = ?",
				  BIND(p_text(email && *email ? email : NULL), p_text(now), p_int(id)), id, "update",
				  &before, actor);
}

enum app_err store_account_language(struct store *st, long long id, const char *lang)
{
	return store_do(st, "UPDATE account SET language = ? WHERE id = ? AND (language IS NULL OR language <> ?)",
			BIND(p_text(lang), p_int(id), p_text(lang)));
}

enum app_err store_account_signed_in(struct store *st, long long id, const char *when)
{
	return store_do(st, "UPDATE account SET last_login_at = ? WHERE id = ?", BIND(p_text(when), p_int(id)));
}

struct account_walk {
	account_fn fn;
	void *ctx;
};

static enum app_err account_walk_row(void *ctx, const struct row *r)
{
	struct account_walk *w = ctx;
	struct account a;
	account_row(&a, r);
	w->fn(w->ctx, &a);
	return APP_OK;
}

enum app_err store_account_list(struct store *st, bool descending, account_fn fn, void *ctx)
{
	struct account_walk w = { .fn = fn, .ctx = ctx };
	return store_each(st,
			  descending ? "SELECT " ACCOUNT_COLUMNS " FROM account a ORDER BY a.name DESC"
				     : "SELECT " ACCOUNT_COLUMNS " FROM account a ORDER BY a.name",
			  NO_BINDS, account_walk_row, &w);
}

/* ---- sessions ----------------------------------------------------------------- */

enum app_err store_session_add(struct store *st, const char *token_hash, long long account,
			       const char *csrf, long long now, const char *client, bool pending, bool provider_mfa)
{
	return store_do(st, "INSERT INTO session (token_hash, account, csrf, created_at, seen_at, client, pending, "
			    "provider_mfa) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			BIND(p_text(token_hash), p_int(account), p_text(csrf), p_int(now), p_int(now), p_text(client),
			     p_int(pending), p_int(provider_mfa)));
}

enum app_err store_session_confirm(struct store *st, const char *token_hash)
{
	return store_do(st, "UPDATE session SET pending = 0 WHERE token_hash = ?", BIND(p_text(token_hash)));
}

struct session_walk {
	session_fn fn;
	void *ctx;
};

static enum app_err session_walk_row(void *ctx, const struct row *r)
{
	struct session_walk *w = ctx;
	w->fn(w->ctx, row_text(r, 0), row_int(r, 1), row_int(r, 2), row_text(r, 3));
	return APP_OK;
}

enum app_err store_session_list(struct store *st, long long account, session_fn fn, void *ctx)
{
	struct session_walk w = { fn, ctx };
	return store_each(st, "SELECT token_hash, created_at, seen_at, client FROM session WHERE account = ? "
			       "ORDER BY seen_at DESC, created_at DESC",
			   BIND(p_int(account)), session_walk_row, &w);
}

enum app_err store_session_end(struct store *st, long long account, const char *token_hash)
{
	bool found = false;
	long long id;
	enum app_err rc = store_value(st, "DELETE FROM session WHERE token_hash = ? AND account = ? RETURNING account",
				      BIND(p_text(token_hash), p_int(account)), &id, &found);
	return rc ? rc : found ? APP_OK : APP_NOT_FOUND;
}

/* ---- sign-ins ---------------------------------------------------------------------- */

enum app_err store_sign_in_add(struct store *st, long long account, long long now_us, const char *client, bool ok)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	rc = conn_do(c, "INSERT INTO sign_in (account, at_us, client, ok) VALUES (?, ?, ?, ?)",
		     BIND(p_int(account), p_int(now_us), p_text(client), p_int(ok)));
	if (!rc)
		rc = conn_do(c, "DELETE FROM sign_in WHERE account = ? AND at_us < ?",
			     BIND(p_int(account), p_int(now_us - SIGN_IN_KEEP * 86400LL * 1000000LL)));
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

struct sign_in_walk {
	sign_in_fn fn;
	void *ctx;
};

static enum app_err sign_in_row(void *ctx, const struct row *r)
{
	struct sign_in_walk *w = ctx;
	w->fn(w->ctx, row_int(r, 0) / 1000000, row_text(r, 1), row_int(r, 2) != 0);
	return APP_OK;
}

enum app_err store_sign_in_list(struct store *st, long long account, int limit, sign_in_fn fn, void *ctx)
{
	struct sign_in_walk w = { fn, ctx };
	return store_each(st, "SELECT at_us, client, ok FROM sign_in WHERE account = ? ORDER BY at_us DESC LIMIT ?",
			   BIND(p_int(account), p_int(limit)), sign_in_row, &w);
}

static enum app_err session_row(void *p, const struct row *r)
{
	struct session *out = p;
	out->account = row_int(r, 0);
	copy_text(out->csrf, sizeof out->csrf, row_text(r, 1));
	out->created_at = row_int(r, 2);
	out->seen_at = row_int(r, 3);
	out->pending = row_int(r, 4) != 0;
	out->provider_mfa = row_int(r, 5) != 0;
	return APP_OK;
}

enum app_err store_session_get(struct store *st, const char *token_hash, struct session *out)
{
	return store_one(st, "SELECT account, csrf, created_at, seen_at, pending, provider_mfa FROM session "
			     "WHERE token_hash = ?",
			 BIND(p_text(token_hash)), session_row, out);
}

enum app_err store_session_touch(struct store *st, const char *token_hash, long long now)
{
	return store_do(st, "UPDATE session SET seen_at = ? WHERE token_hash = ?", BIND(p_int(now), p_text(token_hash)));
}

enum app_err store_session_delete(struct store *st, const char *token_hash)
{
	return store_do(st, "DELETE FROM session WHERE token_hash = ?", BIND(p_text(token_hash)));
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
	rc = conn_value(c, "SELECT COALESCE(MAX(id), 0) + 1 FROM api_token", NO_BINDS, id, NULL);
	char now[21];
	util_now(now);
	if (!rc)
		rc = conn_do(c, "INSERT INTO api_token (id, account, token_hash, label, created_at) VALUES (?, ?, ?, ?, ?)",
			     BIND(p_int(*id), p_int(account), p_text(token_hash), p_text(label), p_text(now)));
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
	return store_one(st, "SELECT " ACCOUNT_COLUMNS " FROM api_token t JOIN account a ON a.id = t.account "
			     "WHERE t.token_hash = ? AND t.revoked_at IS NULL",
			 BIND(p_text(token_hash)), account_row, out);
}

enum app_err store_token_revoke(struct store *st, long long id, long long account, const char *actor)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	char now[21];
	util_now(now);
	long long n = 0;
	rc = conn_value(c, "SELECT count(*) FROM api_token WHERE id = ? AND revoked_at IS NULL "
			   "AND (CAST(? AS BIGINT) = 0 OR account = ?)",
			BIND(p_int(id), p_int(account), p_int(account)), &n, NULL);
	if (!rc && !n)
		rc = APP_NOT_FOUND;
	if (!rc)
		rc = conn_do(c, "UPDATE api_token SET revoked_at = ? WHERE id = ?", BIND(p_text(now), p_int(id)));
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

struct token_walk {
	token_fn fn;
	void *ctx;
};

static enum app_err token_walk_row(void *ctx, const struct row *r)
{
	struct token_walk *w = ctx;
	w->fn(w->ctx, row_int(r, 0), row_text(r, 1), row_text(r, 2), row_text(r, 3), row_text(r, 4));
	return APP_OK;
}

enum app_err store_token_list(struct store *st, long long account, token_fn fn, void *ctx)
{
	struct token_walk w = { .fn = fn, .ctx = ctx };
	return store_each(st, "SELECT t.id, a.name, t.label, t.created_at, t.revoked_at FROM api_token t "
			      "JOIN account a ON a.id = t.account WHERE CAST(? AS BIGINT) = 0 OR t.account = ? "
			      "ORDER BY t.id",
			  BIND(p_int(account), p_int(account)), token_walk_row, &w);
}

/* ---- login throttling ----------------------------------------------------------- */

static enum app_err throttle_row(void *p, const struct row *r)
{
	long long *v = p;
	v[0] = row_int(r, 0);
	v[1] = row_int(r, 1);
	return APP_OK;
}

enum app_err store_throttle_get(struct store *st, const char *key, long long *failures,
				long long *locked_until)
{
	long long v[2] = { 0, 0 };
	enum app_err rc = store_one(st, "SELECT failures, locked_until FROM login_throttle WHERE key = ?",
				    BIND(p_text(key)), throttle_row, v);
	*failures = v[0];
	*locked_until = v[1];
	return rc == APP_NOT_FOUND ? APP_OK : rc;
}

enum app_err store_throttle_set(struct store *st, const char *key, long long failures,
				long long locked_until)
{
	return store_do(st, "INSERT INTO login_throttle (key, failures, locked_until) VALUES (?, ?, ?) "
			    "ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
			    "locked_until = excluded.locked_until",
			BIND(p_text(key), p_int(failures), p_int(locked_until)));
}

enum app_err store_throttle_clear(struct store *st, const char *key)
{
	return store_do(st, "DELETE FROM login_throttle WHERE key = ?", BIND(p_text(key)));
}

enum app_err store_throttle_prune(struct store *st, long long before)
{
	return store_do(st, "DELETE FROM login_throttle WHERE locked_until < ?", BIND(p_int(before)));
}

/* ---- the key that signs certificates ---------------------------------------------------- */

struct key_ctx {
	char *pk, *sk;
	size_t pk_n, sk_n;
};

static enum app_err key_row(void *ctx, const struct row *r)
{
	struct key_ctx *k = ctx;
	row_copy(r, 0, k->pk, k->pk_n);
	row_copy(r, 1, k->sk, k->sk_n);
	return APP_OK;
}

enum app_err store_signing_key_get(struct store *st, char *pk, size_t pk_n, char *sk, size_t sk_n)
{
	struct key_ctx k = { pk, sk, pk_n, sk_n };
	return store_one(st, "SELECT public_key, secret_key FROM signing_key WHERE id = 1", NO_BINDS, key_row, &k);
}

enum app_err store_signing_key_add(struct store *st, const char *pk, const char *sk, const char *now)
{
	return store_do(st, "INSERT INTO signing_key (id, public_key, secret_key, created_at) VALUES (1, ?, ?, ?) "
			    "ON CONFLICT (id) DO NOTHING",
			BIND(p_text(pk), p_text(sk), p_text(now)));
}

/* ---- links that set a forgotten password ------------------------------------------ */

enum app_err store_reset_add(struct store *st, long long account, const char *token_hash, long long expires_at,
			     const char *actor)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	rc = conn_do(c, "DELETE FROM password_reset WHERE account = ? AND used_at IS NULL", BIND(p_int(account)));
	if (!rc)
		rc = conn_do(c, "INSERT INTO password_reset (token_hash, account, expires_at) VALUES (?, ?, ?)",
			     BIND(p_text(token_hash), p_int(account), p_int(expires_at)));
	if (!rc) {
		char key[24], json[96];
		snprintf(key, sizeof key, "%lld", account);
		snprintf(json, sizeof json, "{\"password_reset_link_until\":%lld}", expires_at);
		rc = conn_audit(c, actor, "account", key, "update", "{\"password_reset_link_until\":null}", json);
	}
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

enum app_err store_reset_account(struct store *st, const char *token_hash, long long now, long long *account)
{
	bool found = false;
	enum app_err rc = store_value(st, "SELECT account FROM password_reset WHERE token_hash = ? AND used_at IS NULL "
					  "AND expires_at > ?",
				      BIND(p_text(token_hash), p_int(now)), account, &found);
	return rc ? rc : found ? APP_OK : APP_NOT_FOUND;
}

enum app_err store_reset_use(struct store *st, const char *token_hash, long long now, const char *hash)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	long long id = 0;
	bool found = false;
	struct account a;
	/* spent and read in one statement: of two uses at once, one finds it */
	rc = conn_value(c, "UPDATE password_reset SET used_at = ? WHERE token_hash = ? AND used_at IS NULL "
			   "AND expires_at > ? RETURNING account",
			BIND(p_int(now), p_text(token_hash), p_int(now)), &id, &found);
	if (!rc && !found)
		rc = APP_NOT_FOUND;
	if (!rc)
		rc = account_by_id(st, id, &a);
	if (!rc) {
		char *actor = xasprintf("%s (password reset link)", a.name);
		rc = store_account_set_password(st, id, hash, false, actor);
		free(actor);
	}
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

/* ---- two-factor sign-in ----------------------------------------------------------------- */

struct totp_out {
	char *secret;
	size_t n;
	bool *confirmed;
	long long *last_step;
};

static enum app_err totp_row(void *ctx, const struct row *r)
{
	struct totp_out *o = ctx;
	copy_text(o->secret, o->n, row_text(r, 0));
	*o->confirmed = row_int(r, 1) != 0;
	*o->last_step = row_int(r, 2);
	return APP_OK;
}

enum app_err store_totp_get(struct store *st, long long account, const char *session, char *secret, size_t n,
			    bool *confirmed, long long *last_step)
{
	struct totp_out o = { secret, n, confirmed, last_step };
	return store_one(st, "SELECT secret, confirmed, last_step FROM totp WHERE account = ? "
			     "AND (confirmed = 1 OR session = ?)",
			 BIND(p_int(account), p_text(session ? session : "")), totp_row, &o);
}

enum app_err store_totp_begin(struct store *st, long long account, const char *session, const char *secret)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	long long confirmed = 0;
	bool found = false;
	rc = conn_value(c, "SELECT confirmed FROM totp WHERE account = ?", BIND(p_int(account)), &confirmed, &found);
	if (!rc && found && confirmed)
		rc = APP_CONFLICT;
	char now[21];
	util_now(now);
	if (!rc)
		rc = conn_do(c, "DELETE FROM totp WHERE account = ?", BIND(p_int(account)));
	if (!rc)
		rc = conn_do(c, "INSERT INTO totp (account, secret, created_at, session) VALUES (?, ?, ?, ?)",
			     BIND(p_int(account), p_text(secret), p_text(now), p_text(session)));
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

static enum app_err twofa_audit(struct conn *c, const char *actor, long long account, bool on)
{
	char key[24];
	snprintf(key, sizeof key, "%lld", account);
	return conn_audit(c, actor, "account", key, "update", on ? "{\"two_factor\":false}" : "{\"two_factor\":true}",
			  on ? "{\"two_factor\":true}" : "{\"two_factor\":false}");
}

enum app_err store_totp_confirm(struct store *st, long long account, long long step,
				const char *const code_hashes[RECOVERY_CODES], const char *keep, const char *actor)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	long long id = 0;
	bool found = false;
	rc = conn_value(c, "UPDATE totp SET confirmed = 1, last_step = ? WHERE account = ? AND confirmed = 0 RETURNING account",
			BIND(p_int(step), p_int(account)), &id, &found);
	if (!rc && !found)
		rc = APP_CONFLICT; /* confirmed meanwhile, or removed */
	if (!rc)
		rc = conn_do(c, "DELETE FROM recovery_code WHERE account = ?", BIND(p_int(account)));
	for (int i = 0; i < RECOVERY_CODES && !rc; i++)
		rc = conn_do(c, "INSERT INTO recovery_code (account, code_hash) VALUES (?, ?)",
			     BIND(p_int(account), p_text(code_hashes[i])));
	if (!rc)
		rc = conn_do(c, "DELETE FROM session WHERE account = ? AND token_hash <> ?",
			     BIND(p_int(account), p_text(keep ? keep : "")));
	if (!rc)
		rc = twofa_audit(c, actor, account, true);
	if (!rc)
		rc = conn_bump(c);
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

enum app_err store_totp_step(struct store *st, long long account, long long step)
{
	long long id = 0;
	bool found = false;
	/* one statement: of two sign-ins with one code at once, one gets it */
	enum app_err rc = store_value(st, "UPDATE totp SET last_step = ? WHERE account = ? AND confirmed = 1 "
					  "AND last_step < ? RETURNING account",
				      BIND(p_int(step), p_int(account), p_int(step)), &id, &found);
	return rc ? rc : found ? APP_OK : APP_CONFLICT;
}

enum app_err store_recovery_left(struct store *st, long long account, long long *left)
{
	return store_value(st, "SELECT COUNT(*) FROM recovery_code WHERE account = ? AND used_at IS NULL",
			   BIND(p_int(account)), left, NULL);
}

enum app_err store_recovery_use(struct store *st, long long account, const char *code_hash, long long *left)
{
	char now[21];
	util_now(now);
	long long id = 0;
	bool found = false;
	enum app_err rc = store_value(st, "UPDATE recovery_code SET used_at = ? WHERE account = ? AND code_hash = ? "
					  "AND used_at IS NULL RETURNING account",
				      BIND(p_text(now), p_int(account), p_text(code_hash)), &id, &found);
	if (!rc && !found)
		return APP_NOT_FOUND;
	return rc ? rc : store_recovery_left(st, account, left);
}

enum app_err store_totp_remove(struct store *st, long long account, const char *actor)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	rc = conn_do(c, "DELETE FROM totp WHERE account = ?", BIND(p_int(account)));
	if (!rc)
		rc = conn_do(c, "DELETE FROM recovery_code WHERE account = ?", BIND(p_int(account)));
	if (!rc)
		rc = twofa_audit(c, actor, account, false);
	if (!rc)
		rc = conn_bump(c);
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

static enum app_err role_bit_row(void *ctx, const struct row *r)
{
	enum role role;
	if (role_parse(row_text(r, 0), &role))
		*(unsigned *)ctx |= ROLE_BIT(role);
	return APP_OK;
}

enum app_err store_twofa_roles(struct store *st, unsigned *roles)
{
	*roles = 0;
	return store_each(st, "SELECT role FROM twofa_role", NO_BINDS, role_bit_row, roles);
}

/* The roles as JSON for the audit trail: ["admin","officer"]. */
static void roles_json(struct buf *b, unsigned roles)
{
	buf_addc(b, '[');
	int n = 0;
	for (int r = 0; r < ROLE__MAX; r++)
		if (roles & ROLE_BIT(r))
			buf_printf(b, "%s\"%s\"", n++ ? "," : "", role_name[r]);
	buf_addc(b, ']');
}

enum app_err store_twofa_roles_set(struct store *st, unsigned roles, const char *actor)
{
	unsigned before = 0;
	enum app_err rc = store_twofa_roles(st, &before);
	struct conn *c;
	if (rc || (rc = conn_get(st, &c, NULL)) || (rc = conn_begin(c)))
		return rc;
	rc = conn_do(c, "DELETE FROM twofa_role", NO_BINDS);
	for (int r = 0; r < ROLE__MAX && !rc; r++)
		if (roles & ROLE_BIT(r))
			rc = conn_do(c, "INSERT INTO twofa_role (role) VALUES (?)", BIND(p_text(role_name[r])));
	if (!rc) {
		struct buf was = BUF_INIT, is = BUF_INIT;
		buf_adds(&was, "{\"two_factor_roles\":");
		roles_json(&was, before);
		buf_adds(&was, "}");
		buf_adds(&is, "{\"two_factor_roles\":");
		roles_json(&is, roles);
		buf_adds(&is, "}");
		rc = conn_audit(c, actor, "settings", "two_factor_roles", "update", buf_cstr(&was), buf_cstr(&is));
		buf_release(&was);
		buf_release(&is);
	}
	if (!rc)
		rc = conn_bump(c);
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}
