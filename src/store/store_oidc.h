/* store_oidc.h — the tables of single sign-on (oidc.h): sign-ins under
 * way, the people each provider knows by its subject, the administrator's
 * admission rules, the requests for an account they hold, and which
 * providers are trusted to ask a second factor.  Providers are named by
 * their short id (configuration, oidc.h). */
#ifndef SUIVI_STORE_OIDC_H
#define SUIVI_STORE_OIDC_H
#include <stdbool.h>

#include "entity.h"
#include "err.h"
#include "store.h"

#define OIDC_ID_MAX 32 /* a provider's id */

/* A sign-in begun: sent to the provider, its answer awaited. */
struct oidc_state {
	char provider[OIDC_ID_MAX + 1];
	char nonce[64], verifier[64];
	char next[512]; /* the local page to go back to */
	long long created_at;
};

/* Sign-ins begun and not ended kept at most: anyone may begin one, so a
 * flood of beginnings stops here (APP_TOO_MANY) instead of filling the
 * database; an office has a few a minute. */
#define OIDC_STATES_MAX 10000
/* Keeps a sign-in begun under the hash of its state; forgets those begun
 * before `stale`.  APP_TOO_MANY when OIDC_STATES_MAX are pending. */
MUST_CHECK enum app_err store_oidc_state_add(struct store *st, const char *state_hash, const struct oidc_state *s,
					     long long stale);
/* Takes (reads and deletes, in one statement: once) the sign-in of
 * state_hash begun at `since` or later; APP_NOT_FOUND when none. */
MUST_CHECK enum app_err store_oidc_state_take(struct store *st, const char *state_hash, long long since,
					      struct oidc_state *out);

/* The account the provider's subject is linked to; APP_NOT_FOUND when none. */
MUST_CHECK enum app_err store_oidc_identity(struct store *st, const char *provider, const char *subject,
					    long long *account);
/* Links the provider's subject to account.  Audited. */
MUST_CHECK enum app_err store_oidc_link(struct store *st, const char *provider, const char *subject,
					long long account, const char *actor);
/* The account with this e-mail address (lower case); APP_NOT_FOUND. */
MUST_CHECK enum app_err store_account_by_email(struct store *st, const char *email, long long *account);

/* An admission rule: who a provider vouches for gets an account (admit) or
 * may ask for one (!admit), of this role, country and organisation. */
enum oidc_rule_kind { RULE_DOMAIN, RULE_GROUP };
struct oidc_rule {
	long long id;
	char provider[OIDC_ID_MAX + 1];
	enum oidc_rule_kind kind; /* the e-mail's domain, or a value of the groups claim */
	char value[256];
	bool admit;
	enum role role;
	char country[3];        /* "" when none */
	long long organisation; /* 0 when none */
};
typedef void (*oidc_rule_fn)(void *ctx, const struct oidc_rule *r);
/* The rules of provider (NULL: of all), in the order they are tried. */
MUST_CHECK enum app_err store_oidc_rules(struct store *st, const char *provider, oidc_rule_fn fn, void *ctx);
/* Adds r (its id set); APP_INVALID for an unknown country or organisation.  Audited. */
MUST_CHECK enum app_err store_oidc_rule_add(struct store *st, struct oidc_rule *r, const char *actor);
/* APP_NOT_FOUND when there is no such rule.  Audited. */
MUST_CHECK enum app_err store_oidc_rule_delete(struct store *st, long long id, const char *actor);

/* Someone a rule lets ask for an account, waiting for an administrator. */
struct oidc_request {
	long long id;
	char provider[OIDC_ID_MAX + 1];
	char subject[256], email[256], name[128];
	enum role role;
	char country[3];
	long long organisation;
	char created[21];
};
typedef void (*oidc_request_fn)(void *ctx, const struct oidc_request *r);
/* Keeps a request (a second one of the same person changes nothing). */
MUST_CHECK enum app_err store_oidc_request_add(struct store *st, const struct oidc_request *r);
/* The requests waiting, oldest first. */
MUST_CHECK enum app_err store_oidc_requests(struct store *st, oidc_request_fn fn, void *ctx);
/* Takes (reads and deletes) request id; APP_NOT_FOUND.  Audited, with
 * its outcome ("approved" or "refused"). */
MUST_CHECK enum app_err store_oidc_request_take(struct store *st, long long id, const char *outcome,
						struct oidc_request *out, const char *actor);

/* Is provider trusted to ask a second factor (its ID token's amr then
 * stands for suivi's one-time code)? */
MUST_CHECK enum app_err store_oidc_trust_mfa(struct store *st, const char *provider, bool *trusted);
/* Audited. */
MUST_CHECK enum app_err store_oidc_trust_mfa_set(struct store *st, const char *provider, bool trusted,
						 const char *actor);

#endif
