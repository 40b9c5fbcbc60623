/* twofa.h — two-factor sign-in (issue 16): an account's TOTP secret
 * (totp.h) kept sealed (sealed.h) and confirmed by a first code, and
 * RECOVERY_CODES single-use recovery codes kept hashed.  After the password,
 * a session of such an account waits for a code (auth.h: auth_code). */
#ifndef SUIVI_TWOFA_H
#define SUIVI_TWOFA_H
#include "buf.h"
#include "err.h"
#include "store_auth.h"
#include "totp.h"

#define RECOVERY_TEXT 12 /* "abcde-fghjk" and its NUL */
#define TWOFA_ISSUER "suivi"

/* Sessions are named by their token's hash (auth.h: auth_session_hash): a
 * secret not confirmed yet is the session's that began it, shown to no
 * other and confirmed by no other. */

/* Begins enrolling account `id` named name from session: a new secret, not
 * confirmed yet (one begun before is replaced); its base32 text into base32
 * and its otpauth address at the end of uri, to show.  APP_CONFLICT when
 * the account has two-factor sign-in already. */
MUST_CHECK enum app_err twofa_begin(struct store *st, const char *key_file, long long id, const char *name,
				    const char *session, char base32[TOTP_BASE32_MAX], struct buf *uri);
/* The secret session began and did not confirm, as twofa_begin gave it (a
 * page shown again); APP_NOT_FOUND when it has none. */
MUST_CHECK enum app_err twofa_pending(struct store *st, const char *key_file, long long id, const char *name,
				      const char *session, char base32[TOTP_BASE32_MAX], struct buf *uri);
/* Confirms the secret session began with a first code; the recovery codes
 * into codes (shown once, kept hashed); every other session of the account
 * ends.  APP_FORBIDDEN: the code is not right; APP_NOT_FOUND: nothing
 * begun by session.  Audited under actor. */
MUST_CHECK enum app_err twofa_confirm(struct store *st, const char *key_file, long long id, const char *session,
				      const char *code, char codes[RECOVERY_CODES][RECOVERY_TEXT], const char *actor);
/* Enrols at once, without a first code (`suivi user 2fa`): base32, uri and
 * codes as above; every session of the account ends.  Audited under actor. */
MUST_CHECK enum app_err twofa_enrol(struct store *st, const char *key_file, long long id, const char *name,
				    char base32[TOTP_BASE32_MAX], struct buf *uri,
				    char codes[RECOVERY_CODES][RECOVERY_TEXT], const char *actor);
/* Is code right for account id: a code of its app (once each) or one of
 * its recovery codes (then spent; *recovery_left says how many remain,
 * else -1)?  APP_FORBIDDEN when it is neither. */
MUST_CHECK enum app_err twofa_verify(struct store *st, const char *key_file, long long id, const char *code,
				     long long *recovery_left);

#endif
