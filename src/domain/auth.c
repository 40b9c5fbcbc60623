/* auth.c — see auth.h. */
#define _POSIX_C_SOURCE 200809L
#include "auth.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "store_auth.h"
#include "util.h"
#include "twofa.h"
#include "banned.h"

#define TOKEN_BYTES 32
#define TOKEN_PREFIX "suivi_" /* API tokens: recognisable in a leaked config file */

/* Argon2id's cost.  The release binary, which serves and is measured, always
 * uses libsodium's interactive cost (2 passes over 64 MiB).  The test build
 * (SUIVI_TEST_PWHASH, set by the Makefile for build/test only) uses its
 * minimum, as Rails and Django do in their test settings: the suites sign in
 * and make accounts about a thousand times, and at the interactive cost the
 * hashing was a sixth of make test's CPU. */
#ifdef SUIVI_TEST_PWHASH
#define PWHASH_OPS crypto_pwhash_OPSLIMIT_MIN
#define PWHASH_MEM crypto_pwhash_MEMLIMIT_MIN
#else
#define PWHASH_OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PWHASH_MEM crypto_pwhash_MEMLIMIT_INTERACTIVE
#endif

/* An Argon2id hash, with the parameters auth_hash_password uses, of a
 * random password that was thrown away: verified for unknown names so that
 * they cost what a wrong password costs (Argon2id's work is set by the
 * parameters in the hash, which auth_dummy_hash_matches checks).  Constants,
 * so that starting the server does not spend 64 MiB and tens of milliseconds
 * making one. */
const char auth_dummy_hash_interactive[DUMMY_HASH_SIZE] = /* zero-padded to the size the API reads */
	"$argon2id$v=19$m=65536,t=2,p=1$/O6KnM9xqCzxokknxZiAwA$Juwg/SqXrO/SBJ8wQdJEGvi0H3i3xuSfQ3UbwVIxq2Q";
const char auth_dummy_hash_min[DUMMY_HASH_SIZE] =
	"$argon2id$v=19$m=8,t=1,p=1$BYpIgFmKC50lDIbKG7hmzQ$dYcrXC7zH0T9SHXbbgTiJIp+F/9599Ac204H2uyLeDE";
_Static_assert(DUMMY_HASH_SIZE == crypto_pwhash_STRBYTES, "the size libsodium reads");
#ifdef SUIVI_TEST_PWHASH
#define DUMMY_HASH auth_dummy_hash_min
#else
#define DUMMY_HASH auth_dummy_hash_interactive
#endif

bool auth_dummy_hash_matches(const char *hash, bool interactive)
{
	unsigned long long ops = interactive ? crypto_pwhash_OPSLIMIT_INTERACTIVE : crypto_pwhash_OPSLIMIT_MIN;
	size_t mem = interactive ? crypto_pwhash_MEMLIMIT_INTERACTIVE : crypto_pwhash_MEMLIMIT_MIN;
	return crypto_pwhash_str_needs_rehash(hash, ops, mem) == 0;
}

static long long env_seconds(const char *name, long long dflt)
{
	long long v;
	const char *s = getenv(name);
	return s && util_parse_ll(s, &v) && v > 0 ? v : dflt;
}

void auth_init(void)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "suivi: libsodium cannot start\n");
		abort();
	}
}

enum app_err auth_hash_password(const char *password, char out[256])
{
	_Static_assert(crypto_pwhash_STRBYTES <= 256, "hash buffer");
	if (crypto_pwhash_str(out, password, strlen(password), PWHASH_OPS, PWHASH_MEM) != 0)
		return APP_INTERNAL; /* out of memory */
	return APP_OK;
}

void auth_random_token(char out[TOKEN_TEXT])
{
	unsigned char raw[TOKEN_BYTES];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, TOKEN_TEXT, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void auth_new_password(char out[TOKEN_TEXT])
{
	auth_random_token(out);
	out[20] = '\0';
}

bool auth_password_ok(const char *pw)
{
	return util_utf8_len(pw) >= PASSWORD_MIN && util_valid_utf8(pw, strlen(pw));
}

/* The stored form of a token: hex BLAKE2b-256. */
void auth_token_hash(const char *token, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

bool auth_token_plausible(const char *t)
{
	size_t n = strlen(t);
	if (n < 20 || n > TOKEN_TEXT + 8)
		return false;
	for (; *t; t++)
		if (!(isalnum((unsigned char)*t) || *t == '-' || *t == '_'))
			return false;
	return true;
}

static void fill(struct principal *who, const struct account *a)
{
	who->id = a->id;
	who->role = a->role;
	snprintf(who->name, sizeof who->name, "%s", a->name);
	snprintf(who->country, sizeof who->country, "%s", a->country);
	who->organisation = a->organisation;
	who->must_change = a->must_change;
	who->two_factor = a->two_factor;
}

static enum app_err from_session(struct store *st, const char *cookie, struct principal *who)
{
	char hash[65];
	struct session s;
	struct account a;
	auth_token_hash(cookie, hash);
	enum app_err rc = store_session_get(st, hash, &s);
	if (rc)
		return rc == APP_NOT_FOUND ? APP_OK : rc;
	long long now = (long long)time(NULL), idle = env_seconds("SUIVI_SESSION_IDLE", SESSION_IDLE);
	if (now - s.seen_at > idle ||
	    now - s.created_at > env_seconds("SUIVI_SESSION_MAX", SESSION_MAX)) {
		/* refused whatever; a row left behind is deleted at its next use */
		err_ignore(store_session_delete(st, hash));
		return APP_OK;
	}
	rc = store_account_get(st, NULL, s.account, &a);
	if (rc || a.disabled)
		return rc == APP_NOT_FOUND ? APP_OK : rc;
	fill(who, &a);
	snprintf(who->csrf, sizeof who->csrf, "%s", s.csrf);
	snprintf(who->session, sizeof who->session, "%s", cookie);
	if (s.pending) { /* the code still to give: nothing beyond the public's */
		who->role = ROLE_PUBLIC;
		who->must_change = false;
		who->code_pending = true;
	} else {
		who->must_enrol = a.two_factor_required && !a.two_factor && !s.provider_mfa;
	}
	/* one write a minute at most per session, and often enough for the idle limit */
	if (now - s.seen_at >= (idle / 2 < 60 ? idle / 2 : 60))
		err_ignore(store_session_touch(st, hash, now)); /* tried again at the next request */
	return APP_OK;
}

const char *auth_bearer_token(const char *header)
{
	if (!header || strncasecmp(header, "Bearer ", 7) != 0)
		return NULL;
	const char *t = header + 7;
	while (*t == ' ')
		t++;
	return auth_token_plausible(t) ? t : NULL;
}

/* Bearer tokens seen lately and whom they stand for, valid while the change
 * counter has not moved: a script's calls cost no lookup each. */
#define KNOWN_SLOTS 64
static struct {
	char hash[65];
	long long generation;
	struct principal who;
} known_tokens[KNOWN_SLOTS];
static pthread_mutex_t known_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned slot_of(const char *hash)
{
	unsigned h = 0;
	for (int i = 0; i < 8 && hash[i]; i++)
		h = h * 31 + (unsigned char)hash[i];
	return h % KNOWN_SLOTS;
}

static bool recall(const char *hash, long long generation, struct principal *who)
{
	unsigned slot = slot_of(hash);
	pthread_mutex_lock(&known_lock);
	bool hit = known_tokens[slot].generation == generation && strcmp(known_tokens[slot].hash, hash) == 0;
	if (hit)
		*who = known_tokens[slot].who;
	pthread_mutex_unlock(&known_lock);
	return hit;
}

static void remember(const char *hash, long long generation, const struct principal *who)
{
	unsigned slot = slot_of(hash);
	pthread_mutex_lock(&known_lock);
	snprintf(known_tokens[slot].hash, sizeof known_tokens[slot].hash, "%s", hash);
	known_tokens[slot].generation = generation;
	known_tokens[slot].who = *who;
	pthread_mutex_unlock(&known_lock);
}

static enum app_err from_bearer(struct store *st, long long generation, const char *header,
				struct principal *who)
{
	const char *t = auth_bearer_token(header);
	if (!t)
		return APP_OK;
	char hash[65];
	struct account a;
	auth_token_hash(t, hash);
	if (recall(hash, generation, who))
		return APP_OK;
	enum app_err rc = store_token_account(st, hash, &a);
	if (rc)
		return rc == APP_NOT_FOUND ? APP_OK : rc;
	if (!a.disabled) {
		fill(who, &a);
		who->bearer = true;
		who->must_change = false; /* tokens are made by admins, not with a one-time password */
		remember(hash, generation, who);
	}
	return APP_OK;
}

enum app_err auth_identify(struct store *st, long long generation, const char *cookie,
			   const char *authorization, struct principal *who)
{
	memset(who, 0, sizeof *who);
	who->role = ROLE_PUBLIC;
	if (authorization && strncasecmp(authorization, "Bearer ", 7) == 0)
		return from_bearer(st, generation, authorization, who);
	if (cookie && auth_token_plausible(cookie))
		return from_session(st, cookie, who);
	return APP_OK;
}

/* ---- throttling of failed sign-ins (auth.h) ---- */

enum { KEY_PAIR, KEY_ADDR, KEY_ALL, NKEYS };
#define KEY_SIZE 160
#define CEILING_WINDOW 60 /* seconds: the ceiling counts the failures of a minute */

/* The keys a sign-in is counted under: the name (in lower case) from this
 * address, the address, and every sign-in. */
static void throttle_keys(const char *name, const char *client, char keys[NKEYS][KEY_SIZE])
{
	int n = snprintf(keys[KEY_PAIR], KEY_SIZE, "pair:%.60s|", client ? client : "?");
	snprintf(keys[KEY_PAIR] + n, KEY_SIZE - (size_t)n, "%.80s", name);
	for (char *p = keys[KEY_PAIR] + n; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	snprintf(keys[KEY_ADDR], KEY_SIZE, "addr:%.60s", client ? client : "?");
	snprintf(keys[KEY_ALL], KEY_SIZE, "all");
}

/* Seconds to wait after `failures` failures, the first `free_of_charge` free. */
static long long lock_for(long long failures, long long free_of_charge)
{
	if (failures < free_of_charge)
		return 0;
	long long shift = failures - free_of_charge;
	return shift >= 10 || (1LL << shift) > THROTTLE_MAX ? THROTTLE_MAX : 1LL << shift;
}

/* Raises *wait to what the key asks (for "all": only beyond the ceiling). */
static enum app_err key_wait(struct store *st, int k, const char *key, long long now, long long *wait)
{
	long long failures, until;
	enum app_err rc = store_throttle_get(st, key, &failures, &until);
	bool held = until > now && (k != KEY_ALL || failures >= env_seconds("SUIVI_LOGIN_CEILING", LOGIN_CEILING));
	if (!rc && held && until - now > *wait)
		*wait = until - now;
	return rc;
}

/* Counts a failure under the key: a lock for the name from this address
 * and for the address; for "all", one more in the current minute. */
static enum app_err count_failure(struct store *st, int k, const char *key, long long now)
{
	long long failures = 0, until = 0;
	enum app_err rc = store_throttle_get(st, key, &failures, &until);
	if (rc)
		return rc;
	if (k == KEY_ALL) {
		if (until <= now) { /* a new minute */
			failures = 0;
			until = now + CEILING_WINDOW;
		}
		return store_throttle_set(st, key, failures + 1, until);
	}
	if (now - until > THROTTLE_FORGET) /* quiet long enough: forgotten */
		failures = 0;
	failures++;
	return store_throttle_set(st, key, failures, now + lock_for(failures, k == KEY_PAIR ? PAIR_FREE : ADDRESS_FREE));
}

/* The keys one attempt is counted under (throttle_keys), and an account's
 * own key for the one-time code ("" for a password: no account is known
 * before it is right). */
struct throttle {
	char keys[NKEYS][KEY_SIZE];
	char account[KEY_SIZE];
	long long now;
};

/* APP_TOO_MANY, with the seconds in *retry_after, while a key of t is
 * held; else APP_OK or the database's error. */
static enum app_err throttle_check(struct store *st, const struct throttle *t, long long *retry_after)
{
	long long wait = 0;
	enum app_err rc = t->account[0] ? key_wait(st, KEY_PAIR, t->account, t->now, &wait) : APP_OK;
	for (int k = 0; k < NKEYS && !rc; k++)
		rc = key_wait(st, k, t->keys[k], t->now, &wait);
	if (!rc && wait) {
		*retry_after = wait;
		rc = APP_TOO_MANY;
	}
	return rc;
}

/* Counts a wrong attempt under every key of t: APP_FORBIDDEN, or the
 * database's error (a failure that cannot be counted is not answered as a
 * wrong attempt: the next guess would find no lock). */
static enum app_err throttle_failed(struct store *st, const struct throttle *t)
{
	enum app_err rc = t->account[0] ? count_failure(st, KEY_PAIR, t->account, t->now) : APP_OK;
	for (int k = 0; k < NKEYS && !rc; k++)
		rc = count_failure(st, k, t->keys[k], t->now);
	return rc ? rc : APP_FORBIDDEN;
}

/* The password check: the same Argon2id work whether or not the name
 * exists (and is enabled). */
static bool password_ok(struct store *st, const char *name, const char *password,
			struct account *a, bool *known_out, enum app_err *rc)
{
	*rc = store_account_get(st, name, 0, a);
	*known_out = false;
	if (*rc && *rc != APP_NOT_FOUND)
		return false;
	bool known = *rc == APP_OK && !a->disabled;
	*known_out = known;
	*rc = APP_OK;
	const char *hash = known ? a->password_hash : DUMMY_HASH;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 && known;
}

/* A new session for a: a new token at every login, so that a token planted
 * before cannot be used. */
static enum app_err new_session(struct store *st, const struct account *a, long long now, const char *client,
				bool provider_mfa, struct principal *who, char cookie_token[TOKEN_TEXT])
{
	bool pending = a->two_factor && !provider_mfa;
	char hashed[65], csrf[TOKEN_TEXT];
	auth_random_token(cookie_token);
	auth_random_token(csrf);
	auth_token_hash(cookie_token, hashed);
	enum app_err rc = store_session_add(st, hashed, a->id, csrf, now, client, pending, provider_mfa);
	if (rc)
		return rc;
	memset(who, 0, sizeof *who);
	fill(who, a);
	snprintf(who->csrf, sizeof who->csrf, "%s", csrf);
	snprintf(who->session, sizeof who->session, "%s", cookie_token);
	who->code_pending = pending;
	return APP_OK;
}

/* The time in Unix microseconds (a sign-in's record). */
static long long now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}

/* Notes a sign-in that opened a session: the session stands, so a
 * sign-in that could not be noted is still one. */
static void signed_in(struct store *st, long long account, const char *client)
{
	char when[21];
	util_now(when);
	err_ignore(store_account_signed_in(st, account, when));
	err_ignore(store_sign_in_add(st, account, now_us(), client, true));
}

enum app_err auth_login(struct store *st, const char *name, const char *password,
			const char *client, struct principal *who, char cookie_token[TOKEN_TEXT],
			long long *retry_after)
{
	struct throttle t = { .now = (long long)time(NULL) };
	throttle_keys(name, client, t.keys);
	enum app_err rc = throttle_check(st, &t, retry_after);
	if (rc)
		return rc;
	struct account a;
	bool known;
	if (!password_ok(st, name, password, &a, &known, &rc)) {
		if (rc)
			return rc;
		if (known) /* shown to the account's owner on their account page */
			err_ignore(store_sign_in_add(st, a.id, now_us(), client, false));
		return throttle_failed(st, &t);
	}
	/* the right password: a count left behind only locks a little sooner,
	 * and counts long forgotten are pruned at the next sign-in */
	err_ignore(store_throttle_clear(st, t.keys[KEY_PAIR]));
	err_ignore(store_throttle_prune(st, t.now - THROTTLE_FORGET));
	rc = new_session(st, &a, t.now, client, false, who, cookie_token);
	if (!rc)
		signed_in(st, a.id, client);
	return rc;
}

enum app_err auth_session_for(struct store *st, long long account, bool provider_mfa, const char *client,
			      struct principal *who, char cookie_token[TOKEN_TEXT])
{
	struct account a;
	enum app_err rc = store_account_get(st, NULL, account, &a);
	if (rc || a.disabled)
		return rc == APP_OK || rc == APP_NOT_FOUND ? APP_FORBIDDEN : rc;
	rc = new_session(st, &a, (long long)time(NULL), client, provider_mfa, who, cookie_token);
	if (!rc)
		signed_in(st, a.id, client);
	return rc;
}

void auth_session_hash(const struct principal *who, char out[65])
{
	out[0] = '\0';
	if (who->session[0])
		auth_token_hash(who->session, out);
}

enum app_err auth_code(struct store *st, const char *key_file, const struct principal *who, const char *code,
		       const char *client, long long *retry_after, long long *recovery_left)
{
	*recovery_left = -1;
	if (!who->code_pending || !who->session[0])
		return APP_FORBIDDEN;
	struct throttle t = { .now = (long long)time(NULL) };
	char name[80];
	snprintf(name, sizeof name, "code:%s", who->name);
	throttle_keys(name, client, t.keys);
	/* and the account's own count, whatever the address: an attacker with
	 * the password and many addresses is held back all the same */
	snprintf(t.account, sizeof t.account, "code-account:%lld", who->id);
	enum app_err rc = throttle_check(st, &t, retry_after);
	if (rc)
		return rc;
	rc = twofa_verify(st, key_file, who->id, code ? code : "", recovery_left);
	if (rc == APP_FORBIDDEN)
		return throttle_failed(st, &t);
	if (rc)
		return rc;
	err_ignore(store_throttle_clear(st, t.keys[KEY_PAIR]));
	err_ignore(store_throttle_clear(st, t.account));
	char hash[65];
	auth_token_hash(who->session, hash);
	return store_session_confirm(st, hash);
}

enum app_err auth_logout(struct store *st, const struct principal *who)
{
	if (!who->session[0])
		return APP_OK;
	char hash[65];
	auth_token_hash(who->session, hash);
	return store_session_delete(st, hash);
}

bool auth_csrf_ok(const struct principal *who, const char *given)
{
	size_t n = strlen(who->csrf);
	return n > 0 && given && strlen(given) == n && sodium_memcmp(who->csrf, given, n) == 0;
}

enum app_err auth_change_password(struct store *st, const struct principal *who,
				  const char *current, const char *next)
{
	struct account a;
	enum app_err rc = store_account_get(st, NULL, who->id, &a);
	if (rc)
		return rc;
	if (crypto_pwhash_str_verify(a.password_hash, current, strlen(current)) != 0)
		return APP_FORBIDDEN;
	if (!auth_password_ok(next))
		return APP_INVALID;
	if (a.must_change && strcmp(current, next) == 0)
		return APP_CONFLICT; /* a one-time password is replaced, not kept */
	char hash[256];
	rc = auth_hash_password(next, hash);
	return rc ? rc : store_account_set_password(st, who->id, hash, false, who->name);
}

enum app_err auth_token_add(struct store *st, const char *name, const char *label,
			    char out[TOKEN_TEXT + 8], long long *id, const char *actor)
{
	struct account a;
	enum app_err rc = store_account_get(st, name, 0, &a);
	if (rc)
		return rc;
	if (a.disabled)
		return APP_FORBIDDEN;
	char raw[TOKEN_TEXT], hash[65];
	auth_random_token(raw);
	snprintf(out, TOKEN_TEXT + 8, TOKEN_PREFIX "%s", raw);
	auth_token_hash(out, hash);
	return store_token_add(st, a.id, hash, label, id, actor);
}
