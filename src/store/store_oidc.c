/* store_oidc.c — see store_oidc.h.  Hand-written SQL, as store_auth.c. */
#define _POSIX_C_SOURCE 200809L
#include "store_oidc.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "store_int.h"
#include "util.h"
#include "banned.h"

static void copy_text(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

/* One write and its audit in one transaction. */
static enum app_err audited(struct store *st, const char *sql, struct binds b, const char *entity, long long id,
			    const char *action, const char *before, const char *after, const char *actor)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	rc = conn_do(c, sql, b);
	char key[24];
	snprintf(key, sizeof key, "%lld", id);
	if (!rc)
		rc = conn_audit(c, actor, entity, key, action, before, after);
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

/* ---- sign-ins under way ---------------------------------------------------------------- */

enum app_err store_oidc_state_add(struct store *st, const char *state_hash, const struct oidc_state *s,
				  long long stale)
{
	long long pending = 0;
	enum app_err rc = store_do(st, "DELETE FROM oidc_state WHERE created_at < ?", BIND(p_int(stale)));
	if (!rc)
		rc = store_value(st, "SELECT COUNT(*) FROM oidc_state", NO_BINDS, &pending, NULL);
	if (!rc && pending >= OIDC_STATES_MAX)
		return APP_TOO_MANY;
	return rc ? rc
		  : store_do(st, "INSERT INTO oidc_state (state_hash, provider, nonce, verifier, next, created_at) "
				 "VALUES (?, ?, ?, ?, ?, ?)",
			     BIND(p_text(state_hash), p_text(s->provider), p_text(s->nonce), p_text(s->verifier),
				  p_text(s->next), p_int(s->created_at)));
}

static enum app_err state_row(void *p, const struct row *r)
{
	struct oidc_state *s = p;
	copy_text(s->provider, sizeof s->provider, row_text(r, 0));
	copy_text(s->nonce, sizeof s->nonce, row_text(r, 1));
	copy_text(s->verifier, sizeof s->verifier, row_text(r, 2));
	copy_text(s->next, sizeof s->next, row_text(r, 3));
	s->created_at = row_int(r, 4);
	return APP_OK;
}

enum app_err store_oidc_state_take(struct store *st, const char *state_hash, long long since, struct oidc_state *out)
{
	memset(out, 0, sizeof *out);
	out->created_at = -1;
	/* of two answers carrying the same state, one finds it */
	enum app_err rc = store_one(st, "DELETE FROM oidc_state WHERE state_hash = ? "
					"RETURNING provider, nonce, verifier, next, created_at",
				    BIND(p_text(state_hash)), state_row, out);
	if (rc)
		return rc;
	return out->created_at >= since ? APP_OK : APP_NOT_FOUND;
}

/* ---- people known by their subject ------------------------------------------------------------ */

enum app_err store_oidc_identity(struct store *st, const char *provider, const char *subject, long long *account)
{
	bool found = false;
	enum app_err rc = store_value(st, "SELECT account FROM oidc_identity WHERE provider = ? AND subject = ?",
				      BIND(p_text(provider), p_text(subject)), account, &found);
	return rc ? rc : found ? APP_OK : APP_NOT_FOUND;
}

enum app_err store_oidc_link(struct store *st, const char *provider, const char *subject, long long account,
			     const char *actor)
{
	struct buf after = BUF_INIT;
	buf_adds(&after, "{\"sign_in_link\":{\"provider\":");
	buf_json_str(&after, provider);
	buf_adds(&after, ",\"subject\":");
	buf_json_str(&after, subject);
	buf_adds(&after, "}}");
	enum app_err rc = audited(st, "INSERT INTO oidc_identity (provider, subject, account) VALUES (?, ?, ?)",
				  BIND(p_text(provider), p_text(subject), p_int(account)), "account", account,
				  "update", "{\"sign_in_link\":null}", buf_cstr(&after), actor);
	buf_release(&after);
	return rc;
}

enum app_err store_account_by_email(struct store *st, const char *email, long long *account)
{
	bool found = false;
	enum app_err rc = store_value(st, "SELECT id FROM account WHERE email = ?", BIND(p_text(email)), account, &found);
	return rc ? rc : found ? APP_OK : APP_NOT_FOUND;
}

/* ---- admission rules ------------------------------------------------------------------------- */

static const char *const kind_name[] = { [RULE_DOMAIN] = "domain", [RULE_GROUP] = "group" };

static void rule_json(struct buf *b, const struct oidc_rule *r)
{
	buf_adds(b, "{\"provider\":");
	buf_json_str(b, r->provider);
	buf_printf(b, ",\"kind\":\"%s\",\"value\":", kind_name[r->kind]);
	buf_json_str(b, r->value);
	buf_printf(b, ",\"admit\":%s,\"role\":\"%s\",\"country\":", r->admit ? "true" : "false", role_name[r->role]);
	buf_json_str(b, r->country[0] ? r->country : NULL);
	if (r->organisation)
		buf_printf(b, ",\"organisation\":%lld}", r->organisation);
	else
		buf_adds(b, ",\"organisation\":null}");
}

struct rule_walk {
	oidc_rule_fn fn;
	void *ctx;
};

static enum app_err rule_row(void *p, const struct row *r)
{
	struct rule_walk *w = p;
	struct oidc_rule x = { .id = row_int(r, 0), .admit = row_int(r, 4) != 0, .organisation = row_int(r, 7) };
	copy_text(x.provider, sizeof x.provider, row_text(r, 1));
	x.kind = strcmp(row_text(r, 2), "group") == 0 ? RULE_GROUP : RULE_DOMAIN;
	copy_text(x.value, sizeof x.value, row_text(r, 3));
	if (!role_parse(row_text(r, 5), &x.role))
		x.role = ROLE_PUBLIC;
	copy_text(x.country, sizeof x.country, row_text(r, 6));
	w->fn(w->ctx, &x);
	return APP_OK;
}

enum app_err store_oidc_rules(struct store *st, const char *provider, oidc_rule_fn fn, void *ctx)
{
	struct rule_walk w = { fn, ctx };
#define RULE_SELECT "SELECT id, provider, kind, value, admit, role, country, organisation FROM oidc_rule "
	return provider ? store_each(st, RULE_SELECT "WHERE provider = ? ORDER BY id", BIND(p_text(provider)), rule_row, &w)
			: store_each(st, RULE_SELECT "ORDER BY provider, id", NO_BINDS, rule_row, &w);
}

enum app_err store_oidc_rule_add(struct store *st, struct oidc_rule *r, const char *actor)
{
	enum app_err rc = store_value(st, "SELECT COALESCE(MAX(id), 0) + 1 FROM oidc_rule", NO_BINDS, &r->id, NULL);
	if (rc)
		return rc;
	char now[21];
	util_now(now);
	struct buf after = BUF_INIT;
	rule_json(&after, r);
	rc = audited(st, "INSERT INTO oidc_rule (id, provider, kind, value, admit, role, country, organisation, "
			 "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		     BIND(p_int(r->id), p_text(r->provider), p_text(kind_name[r->kind]), p_text(r->value), p_int(r->admit),
			  p_text(role_name[r->role]), p_text(r->country[0] ? r->country : NULL),
			  p_int_or_null(r->organisation, r->organisation), p_text(now)),
		     "sign_in_rule", r->id, "create", NULL, buf_cstr(&after), actor);
	buf_release(&after);
	return rc == APP_CONFLICT ? APP_INVALID : rc; /* a foreign key refused */
}

enum app_err store_oidc_rule_delete(struct store *st, long long id, const char *actor)
{
	bool found = false;
	long long gone;
	enum app_err rc = store_value(st, "SELECT id FROM oidc_rule WHERE id = ?", BIND(p_int(id)), &gone, &found);
	if (rc || !found)
		return rc ? rc : APP_NOT_FOUND;
	return audited(st, "DELETE FROM oidc_rule WHERE id = ?", BIND(p_int(id)), "sign_in_rule", id, "delete", NULL,
		       NULL, actor);
}

/* ---- requests for an account ------------------------------------------------------------------ */

enum app_err store_oidc_request_add(struct store *st, const struct oidc_request *r)
{
	long long id = 0;
	enum app_err rc = store_value(st, "SELECT COALESCE(MAX(id), 0) + 1 FROM oidc_request", NO_BINDS, &id, NULL);
	char now[21];
	util_now(now);
	if (!rc)
		rc = store_do(st, "INSERT INTO oidc_request (id, provider, subject, email, name, role, country, "
				  "organisation, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
				  "ON CONFLICT (provider, subject) DO NOTHING",
			      BIND(p_int(id), p_text(r->provider), p_text(r->subject), p_text(r->email), p_text(r->name),
				   p_text(role_name[r->role]), p_text(r->country[0] ? r->country : NULL),
				   p_int_or_null(r->organisation, r->organisation), p_text(now)));
	return rc;
}

struct request_walk {
	oidc_request_fn fn;
	void *ctx;
};

static void request_fill(struct oidc_request *x, const struct row *r)
{
	memset(x, 0, sizeof *x);
	x->id = row_int(r, 0);
	copy_text(x->provider, sizeof x->provider, row_text(r, 1));
	copy_text(x->subject, sizeof x->subject, row_text(r, 2));
	copy_text(x->email, sizeof x->email, row_text(r, 3));
	copy_text(x->name, sizeof x->name, row_text(r, 4));
	if (!role_parse(row_text(r, 5), &x->role))
		x->role = ROLE_PUBLIC;
	copy_text(x->country, sizeof x->country, row_text(r, 6));
	x->organisation = row_int(r, 7);
	copy_text(x->created, sizeof x->created, row_text(r, 8));
}

static enum app_err request_row(void *p, const struct row *r)
{
	struct request_walk *w = p;
	struct oidc_request x;
	request_fill(&x, r);
	w->fn(w->ctx, &x);
	return APP_OK;
}

#define REQUEST_COLUMNS "id, provider, subject, email, name, role, country, organisation, created_at"

enum app_err store_oidc_requests(struct store *st, oidc_request_fn fn, void *ctx)
{
	struct request_walk w = { fn, ctx };
	return store_each(st, "SELECT " REQUEST_COLUMNS " FROM oidc_request ORDER BY created_at, id", NO_BINDS,
			  request_row, &w);
}

static enum app_err request_one(void *p, const struct row *r)
{
	request_fill(p, r);
	return APP_OK;
}

enum app_err store_oidc_request_take(struct store *st, long long id, const char *outcome, struct oidc_request *out,
				     const char *actor)
{
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c)))
		return rc;
	out->id = 0;
	rc = store_one(st, "DELETE FROM oidc_request WHERE id = ? RETURNING " REQUEST_COLUMNS, BIND(p_int(id)),
		       request_one, out);
	if (!rc) {
		struct buf before = BUF_INIT;
		buf_adds(&before, "{\"email\":");
		buf_json_str(&before, out->email);
		buf_adds(&before, ",\"provider\":");
		buf_json_str(&before, out->provider);
		buf_printf(&before, ",\"role\":\"%s\",\"outcome\":\"%s\"}", role_name[out->role], outcome);
		char key[24];
		snprintf(key, sizeof key, "%lld", id);
		rc = conn_audit(c, actor, "sign_in_request", key, "delete", buf_cstr(&before), NULL);
		buf_release(&before);
	}
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}

/* ---- trust in a provider's second factor ------------------------------------------------------ */

enum app_err store_oidc_trust_mfa(struct store *st, const char *provider, bool *trusted)
{
	long long one;
	*trusted = false;
	return store_value(st, "SELECT 1 FROM oidc_trust_mfa WHERE provider = ?", BIND(p_text(provider)), &one, trusted);
}

enum app_err store_oidc_trust_mfa_set(struct store *st, const char *provider, bool trusted, const char *actor)
{
	struct buf after = BUF_INIT;
	buf_adds(&after, "{\"provider\":");
	buf_json_str(&after, provider);
	buf_printf(&after, ",\"trust_provider_mfa\":%s}", trusted ? "true" : "false");
	struct conn *c;
	enum app_err rc = conn_get(st, &c, NULL);
	if (rc || (rc = conn_begin(c))) {
		buf_release(&after);
		return rc;
	}
	rc = conn_do(c, "DELETE FROM oidc_trust_mfa WHERE provider = ?", BIND(p_text(provider)));
	if (!rc && trusted)
		rc = conn_do(c, "INSERT INTO oidc_trust_mfa (provider) VALUES (?)", BIND(p_text(provider)));
	if (!rc)
		rc = conn_audit(c, actor, "settings", "trust_provider_mfa", "update", NULL, buf_cstr(&after));
	buf_release(&after);
	enum app_err end = conn_end(c, rc == APP_OK);
	return rc ? rc : end;
}
