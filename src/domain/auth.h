/* auth.h — who is asking: passwords, sessions, API tokens, CSRF and login
 * throttling (DESIGN §2).
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str).
 * Session and API tokens are 256-bit random values; the database keeps
 * only their BLAKE2b hashes, so a copy of it opens no session.  Sessions
 * end after SESSION_IDLE seconds without a request and SESSION_MAX seconds
 * after login, whichever comes first (both can be lowered for tests with
 * SUIVI_SESSION_IDLE / SUIVI_SESSION_MAX). */
#ifndef SUIVI_AUTH_H
#define SUIVI_AUTH_H
#include <stdbool.h>

#include "entity.h"
#include "err.h"
#include "store.h"

#define SESSION_IDLE (2 * 3600)
#define SESSION_MAX (12 * 3600)
#define PASSWORD_MIN 10        /* characters */
#define TOKEN_TEXT 64          /* room for a token as text, NUL included */
/* Failed sign-ins (auth.c: throttling).  A name from one address, and one
 * address whatever the names, may fail so many times; then each further
 * attempt waits 1, 2, 4 … seconds, up to THROTTLE_MAX.  A count is
 * forgotten THROTTLE_FORGET seconds after its last failure (or lock).
 * Beyond LOGIN_CEILING failures in a minute, of every name and address
 * together (SUIVI_LOGIN_CEILING), every sign-in waits for the minute's end. */
#define PAIR_FREE 5
#define ADDRESS_FREE 10
#define THROTTLE_MAX 900
#define THROTTLE_FORGET 900
#define LOGIN_CEILING 60

/* The person behind a request; role ROLE_PUBLIC and id 0 when nobody is
 * signed in. */
struct principal {
	long long id;
	enum role role;
	char name[64];
	char country[3];
	long long organisation;
	char csrf[64];          /* the session's CSRF token; "" for bearer tokens */
	char session[TOKEN_TEXT]; /* the session cookie's token; "" when none */
	bool bearer;            /* authenticated by an API token */
	/* A session opened with a one-time password: until a new password is
	 * set it reaches the change-password page only (routes.c).  Never for
	 * bearer tokens, which a one-time password cannot make. */
	bool must_change;
	/* Writes for someone without an account (a progress link's holder):
	 * its entries are submitted for review as a focal point's are (review.h). */
	bool outside;
	/* A session that gave the password and not yet the one-time code: the
	 * public's rights until it does (auth_code); id and name say whose. */
	bool code_pending;
	/* A session whose role must sign in with a code, not enrolled yet: it
	 * reaches the enrolment page only (routes.c: R_ENROL). */
	bool must_enrol;
	bool two_factor; /* the account signs in with a one-time code (twofa.h) */
};

/* Call once before anything else here (libsodium). */
void auth_init(void);

/* An Argon2id hash of password into out (NUL-terminated). */
MUST_CHECK enum app_err auth_hash_password(const char *password, char out[256]);

/* The hashes verified for unknown names, at libsodium's interactive cost
 * (the release build) and its minimum (the test build); and whether a hash
 * has the parameters of that cost, so that an unknown name costs exactly
 * the work of a wrong password (tests/unit/test_auth.c). */
#define DUMMY_HASH_SIZE 128 /* crypto_pwhash_STRBYTES */
extern const char auth_dummy_hash_interactive[DUMMY_HASH_SIZE];
extern const char auth_dummy_hash_min[DUMMY_HASH_SIZE];
bool auth_dummy_hash_matches(const char *hash, bool interactive);
/* A new random token (base64url, 43 characters) into out. */
void auth_random_token(char out[TOKEN_TEXT]);
/* A new random password to show once (20 base64url characters: 120 bits). */
void auth_new_password(char out[TOKEN_TEXT]);
/* May pw be a password: valid UTF-8 of at least PASSWORD_MIN characters? */
bool auth_password_ok(const char *pw);

/* The token of an "Authorization: Bearer TOKEN" header, or NULL when the
 * header is of another scheme or the token is not of our alphabet and size
 * (such a value is never looked up). */
const char *auth_bearer_token(const char *header);
/* Could s be a token of ours (base64url, plausible length)? */
bool auth_token_plausible(const char *s);

/* Resolves the principal from a session cookie value and/or an
 * Authorization header (either may be NULL).  A bearer token's principal is
 * remembered while the database's change counter stays at generation
 * (every account or token change moves it).  An invalid, expired or
 * revoked credential yields the public principal; APP_UNAVAILABLE when the
 * database cannot be asked. */
MUST_CHECK enum app_err auth_identify(struct store *st, long long generation, const char *cookie,
			   const char *authorization, struct principal *who);

/* Checks a name and password.  On success a new session is made: its
 * token goes to cookie_token and *who is filled.  A wrong password and an
 * unknown name give the same APP_FORBIDDEN, after the same work.  While the
 * name from this client address, the address, or every sign-in (the
 * ceiling) is throttled: APP_TOO_MANY, with the seconds to wait in
 * *retry_after.  The same name from another address is not held back: a
 * name is never locked for everyone by whoever guesses at it. */
MUST_CHECK enum app_err auth_login(struct store *st, const char *name, const char *password,
			const char *client, struct principal *who, char cookie_token[TOKEN_TEXT],
			long long *retry_after);
/* A new session for account (signed in through a provider: oidc.h), as
 * auth_login makes one after the password: its code is still to be given
 * when the account uses two-factor, unless provider_mfa (the provider,
 * trusted for it, asserted a second factor).  APP_FORBIDDEN when the
 * account is disabled or gone. */
MUST_CHECK enum app_err auth_session_for(struct store *st, long long account, bool provider_mfa, const char *client,
					 struct principal *who, char cookie_token[TOKEN_TEXT]);
MUST_CHECK enum app_err auth_logout(struct store *st, const struct principal *who);
/* The one-time code of who's session, pending its code (twofa.h: a code of
 * the app, once, or a recovery code, spent): right, the session is signed
 * in; *recovery_left then says how many recovery codes remain when one was
 * used (else -1).  APP_FORBIDDEN when it is not right; throttled as
 * sign-ins are (under the account's name from this client address, the
 * address, and all): APP_TOO_MANY with the seconds in *retry_after. */
MUST_CHECK enum app_err auth_code(struct store *st, const char *key_file, const struct principal *who,
				  const char *code, const char *client, long long *retry_after,
				  long long *recovery_left);
/* The hash by which the store knows a token (a session's, an API token's, a
 * password reset link's): never the token itself. */
void auth_token_hash(const char *token, char out[65]);
/* The hash by which the store knows who's session ("" without one): what
 * store_session_list names each session by. */
void auth_session_hash(const struct principal *who, char out[65]);
/* Is given the CSRF token of who's session? (Constant time.) */
bool auth_csrf_ok(const struct principal *who, const char *given);
/* Changes who's password after checking the current one; ends every
 * session of the account (the caller logs in again) and revokes its API
 * tokens.  A one-time password so replaced is one no more; kept as it
 * is, APP_CONFLICT.  APP_FORBIDDEN: current is wrong; APP_INVALID: next
 * is too short. */
MUST_CHECK enum app_err auth_change_password(struct store *st, const struct principal *who,
				  const char *current, const char *next);
/* Makes an API token for the named account; the token text goes to out,
 * shown once, and *id receives its number.  actor: who makes it (audit). */
MUST_CHECK enum app_err auth_token_add(struct store *st, const char *name, const char *label,
			    char out[TOKEN_TEXT + 8], long long *id, const char *actor);

#endif
