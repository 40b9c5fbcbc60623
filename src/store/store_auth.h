/* store_auth.h — accounts, sessions, API tokens and login throttling in the
 * database (so that several suivi processes share them).  Secrets never
 * reach this layer: it keeps password hashes (Argon2id strings) and the
 * hashes of session and API tokens, made by auth.c. */
#ifndef SUIVI_STORE_AUTH_H
#define SUIVI_STORE_AUTH_H
#include <stdbool.h>

#include "entity.h"
#include "err.h"
#include "store.h"

#define ACCOUNT_NAME_MAX 60

struct account {
	long long id;
	char name[ACCOUNT_NAME_MAX + 1];
	enum role role;
	char country[3];        /* "" when none */
	long long organisation; /* 0 when none */
	char password_hash[256];
	bool disabled;
	bool must_change;     /* its password is a one-time one: the next sign-in must replace it */
	char created[21];     /* when it was made, ISO 8601 UTC */
	char last_login[21];  /* its last successful sign-in, ISO 8601 UTC; "" when never */
	bool two_factor;          /* signs in with a one-time code after the password */
	bool two_factor_required; /* its role must (twofa_role) */
	char email[256];          /* lower case; "" when none (oidc.h matches a provider's verified one) */
};

/* Writes that are audited name their actor: the signed-in person's name,
 * or the command line's ("cli:LOGIN"). */

/* APP_CONFLICT when the name is taken; APP_INVALID for an unknown country
 * or organisation.  Audited. */
MUST_CHECK enum app_err store_account_add(struct store *st, const struct account *a, const char *actor);
/* By name (id 0) or by id. APP_NOT_FOUND when none. */
MUST_CHECK enum app_err store_account_get(struct store *st, const char *name, long long id, struct account *out);
/* A new password hash, one_time when the account must replace it at its
 * next sign-in; ends every session of the account and revokes its API
 * tokens.  Audited. */
MUST_CHECK enum app_err store_account_set_password(struct store *st, long long id, const char *hash,
						   bool one_time, const char *actor);
/* Disables (or enables again) the account; either way its sessions end
 * and its tokens are revoked.  Audited. */
/* Sets (or with "" clears) the account's e-mail address, lower case;
 * APP_CONFLICT when another account has it.  Audited. */
MUST_CHECK enum app_err store_account_set_email(struct store *st, long long id, const char *email, const char *actor);
MUST_CHECK enum app_err store_account_set_disabled(struct store *st, long long id, bool disabled,
						   const char *actor);
/* Records a successful sign-in at `when` (ISO 8601 UTC).  Not audited: the
 * sign-in is no change anyone made to the account. */
/* The language the account's person reads (the one they signed in with):
 * that of the messages suivi sends them (notify.h).  Not audited. */
MUST_CHECK enum app_err store_account_language(struct store *st, long long id, const char *lang);
MUST_CHECK enum app_err store_account_signed_in(struct store *st, long long id, const char *when);
typedef void (*account_fn)(void *ctx, const struct account *a);
/* Every account, by name (descending: Z to A). */
MUST_CHECK enum app_err store_account_list(struct store *st, bool descending, account_fn fn, void *ctx);

struct session {
	long long account;
	char csrf[64];
	long long created_at, seen_at; /* Unix seconds */
	bool pending;                  /* the password given, the one-time code not yet */
	bool provider_mfa;             /* signed in through a provider trusted to ask a second factor */
};

/* A session opened from client (an address; NULL: unknown); pending: the
 * one-time code is still to be given; provider_mfa: a provider trusted for
 * it asserted a second factor (no code is asked, no enrolment required). */
MUST_CHECK enum app_err store_session_add(struct store *st, const char *token_hash, long long account,
			       const char *csrf, long long now, const char *client, bool pending, bool provider_mfa);
/* The session's code was given: it is pending no more. */
MUST_CHECK enum app_err store_session_confirm(struct store *st, const char *token_hash);
/* The sessions of account, the last seen first: the hash of each token, when
 * it was opened and last seen (Unix seconds), and from where (NULL:
 * unknown). */
typedef void (*session_fn)(void *ctx, const char *token_hash, long long created_at, long long seen_at,
			   const char *client);
MUST_CHECK enum app_err store_session_list(struct store *st, long long account, session_fn fn, void *ctx);
/* Ends the session whose token hashes to token_hash if it is account's;
 * APP_NOT_FOUND when it is not (or no longer) one of its. */
MUST_CHECK enum app_err store_session_end(struct store *st, long long account, const char *token_hash);

/* ---- links that set a forgotten password (accounts.h) ---- */

/* A link that sets account's password once, until expires_at (Unix
 * seconds), known by the hash of its token; an unused link the account had
 * is withdrawn.  Audited under actor. */
MUST_CHECK enum app_err store_reset_add(struct store *st, long long account, const char *token_hash,
					long long expires_at, const char *actor);
/* The account a link is for, while it is unused and not expired at now;
 * APP_NOT_FOUND otherwise. */
MUST_CHECK enum app_err store_reset_account(struct store *st, const char *token_hash, long long now,
					    long long *account);
/* Spends the link: in one transaction its account's password becomes
 * hash (one of its own, not a one-time one), its sessions end and its API
 * tokens are revoked (store_account_set_password, audited under the
 * account's name).  APP_NOT_FOUND when the link is no longer valid. */
MUST_CHECK enum app_err store_reset_use(struct store *st, const char *token_hash, long long now, const char *hash);

/* ---- two-factor sign-in (twofa.h) ---- */

#define RECOVERY_CODES 10

/* Account's TOTP secret as sealed (sealed.h) into secret (n bytes),
 * whether it is confirmed, and the last step accepted; APP_NOT_FOUND when
 * it has none — or, for a secret not confirmed yet, when session (a
 * session's token hash) is not the one that began it: nobody else may see
 * it (a thief of the password would read the owner's, or plant theirs). */
MUST_CHECK enum app_err store_totp_get(struct store *st, long long account, const char *session, char *secret,
				       size_t n, bool *confirmed, long long *last_step);
/* A new secret for account, not confirmed yet, begun by session (NULL: the
 * command line); one not confirmed is replaced.  APP_CONFLICT when it has a
 * confirmed one. */
MUST_CHECK enum app_err store_totp_begin(struct store *st, long long account, const char *session,
					 const char *secret);
/* Confirms account's secret at step, with its RECOVERY_CODES recovery codes
 * (hashes), those it had withdrawn; every session of the account but keep
 * (NULL: all) ends, so that none opened with the password alone goes on.
 * Audited under actor. */
MUST_CHECK enum app_err store_totp_confirm(struct store *st, long long account, long long step,
					   const char *const code_hashes[RECOVERY_CODES], const char *keep,
					   const char *actor);
/* Accepts step for account if it is after the last accepted (a code is
 * used once); APP_CONFLICT when it is not. */
MUST_CHECK enum app_err store_totp_step(struct store *st, long long account, long long step);
/* Spends one of account's recovery codes; APP_NOT_FOUND when it is not an
 * unused one.  *left receives how many remain. */
MUST_CHECK enum app_err store_recovery_use(struct store *st, long long account, const char *code_hash,
					   long long *left);
/* The recovery codes account has left. */
MUST_CHECK enum app_err store_recovery_left(struct store *st, long long account, long long *left);
/* Removes account's two-factor sign-in (its secret and recovery codes):
 * a lost phone.  Audited under actor. */
MUST_CHECK enum app_err store_totp_remove(struct store *st, long long account, const char *actor);
/* The roles that must sign in with a code: a bit per role (ROLE_BIT). */
MUST_CHECK enum app_err store_twofa_roles(struct store *st, unsigned *roles);
/* Sets them.  Audited under actor. */
MUST_CHECK enum app_err store_twofa_roles_set(struct store *st, unsigned roles, const char *actor);

/* Sign-ins are kept this many days (a person's own record of them). */
#define SIGN_IN_KEEP 90
/* Records a sign-in to account at now_us (Unix microseconds: two sign-ins
 * of one account, each an Argon2id hash apart, keep their order) from
 * client: right (ok) or a wrong password; forgets the account's sign-ins
 * older than SIGN_IN_KEEP days. */
MUST_CHECK enum app_err store_sign_in_add(struct store *st, long long account, long long now_us, const char *client,
					  bool ok);
/* The account's last `limit` sign-ins, the newest first (at: Unix seconds). */
typedef void (*sign_in_fn)(void *ctx, long long at, const char *client, bool ok);
MUST_CHECK enum app_err store_sign_in_list(struct store *st, long long account, int limit, sign_in_fn fn, void *ctx);
MUST_CHECK enum app_err store_session_get(struct store *st, const char *token_hash, struct session *out);
MUST_CHECK enum app_err store_session_touch(struct store *st, const char *token_hash, long long now);
MUST_CHECK enum app_err store_session_delete(struct store *st, const char *token_hash);

/* A new API token for account; *id receives its number.  Audited. */
MUST_CHECK enum app_err store_token_add(struct store *st, long long account, const char *token_hash,
			     const char *label, long long *id, const char *actor);
/* The account of an unrevoked token, in one query (every API request asks);
 * APP_NOT_FOUND when none. */
MUST_CHECK enum app_err store_token_account(struct store *st, const char *token_hash, struct account *out);
/* APP_NOT_FOUND when no unrevoked token has that number (of that account,
 * unless account is 0: the command line revokes anyone's).  Audited. */
MUST_CHECK enum app_err store_token_revoke(struct store *st, long long id, long long account, const char *actor);
typedef void (*token_fn)(void *ctx, long long id, const char *account, const char *label,
			 const char *created, const char *revoked);
/* The tokens of one account, or of every account (account 0), in the
 * order they were made; revoked ones too (revoked: when, else NULL). */
MUST_CHECK enum app_err store_token_list(struct store *st, long long account, token_fn fn, void *ctx);

/* Failed logins by key ("pair:…", "addr:…", "all"; auth.c): when the key is locked,
 * *locked_until (Unix seconds) is in the future. */
MUST_CHECK enum app_err store_throttle_get(struct store *st, const char *key, long long *failures,
				long long *locked_until);
MUST_CHECK enum app_err store_throttle_set(struct store *st, const char *key, long long failures,
				long long locked_until);
MUST_CHECK enum app_err store_throttle_clear(struct store *st, const char *key);
/* Forgets every key whose lock ended before `before` (Unix seconds). */
MUST_CHECK enum app_err store_throttle_prune(struct store *st, long long before);

/* The installation's key that signs certificates (certsign.h), as text
 * (hex): APP_NOT_FOUND before the first is added.  Adding one when there
 * is one already leaves that one (the first of two servers wins). */
MUST_CHECK enum app_err store_signing_key_get(struct store *st, char *pk, size_t pk_n, char *sk, size_t sk_n);
MUST_CHECK enum app_err store_signing_key_add(struct store *st, const char *pk, const char *sk, const char *now);

#endif
