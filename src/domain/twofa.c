/* twofa.c — see twofa.h. */
#define _POSIX_C_SOURCE 200809L
#include "twofa.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "auth.h"
#include "sealed.h"
#include "banned.h"

#define SEALED_TEXT 128

/* The secret's base32 text and otpauth address. */
static void describe(const unsigned char secret[TOTP_SECRET_BYTES], const char *name, char base32[TOTP_BASE32_MAX],
		     struct buf *uri)
{
	totp_base32(secret, TOTP_SECRET_BYTES, base32);
	totp_uri(uri, TWOFA_ISSUER, name, base32);
}

enum app_err twofa_begin(struct store *st, const char *key_file, long long id, const char *name,
			 const char *session, char base32[TOTP_BASE32_MAX], struct buf *uri)
{
	unsigned char secret[TOTP_SECRET_BYTES];
	randombytes_buf(secret, sizeof secret);
	struct buf sealed = BUF_INIT;
	enum app_err rc = sealed_seal(key_file, secret, sizeof secret, &sealed);
	if (!rc)
		rc = store_totp_begin(st, id, session, buf_cstr(&sealed));
	if (!rc)
		describe(secret, name, base32, uri);
	buf_release(&sealed);
	sodium_memzero(secret, sizeof secret);
	return rc;
}

/* Account id's secret as session may see it (store_totp_get), opened, and
 * whether it is confirmed. */
static enum app_err secret_of(struct store *st, const char *key_file, long long id, const char *session,
			      unsigned char secret[TOTP_SECRET_BYTES], bool *confirmed, long long *last_step)
{
	char sealed[SEALED_TEXT];
	enum app_err rc = store_totp_get(st, id, session, sealed, sizeof sealed, confirmed, last_step);
	return rc ? rc : sealed_open(key_file, sealed, secret, TOTP_SECRET_BYTES);
}

enum app_err twofa_pending(struct store *st, const char *key_file, long long id, const char *name,
			   const char *session, char base32[TOTP_BASE32_MAX], struct buf *uri)
{
	unsigned char secret[TOTP_SECRET_BYTES];
	bool confirmed;
	long long last;
	enum app_err rc = secret_of(st, key_file, id, session, secret, &confirmed, &last);
	if (!rc && confirmed)
		rc = APP_NOT_FOUND;
	if (!rc)
		describe(secret, name, base32, uri);
	sodium_memzero(secret, sizeof secret);
	return rc;
}

/* A recovery code as typed, lower case, without its dash or spaces, into
 * out; false when it is not ten letters and digits. */
static bool recovery_plain(const char *code, char out[11])
{
	size_t n = 0;
	for (const char *p = code; p && *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		if (!isalnum((unsigned char)*p) || n == 10)
			return false;
		out[n++] = (char)tolower((unsigned char)*p);
	}
	out[n] = '\0';
	return n == 10;
}

/* RECOVERY_CODES new codes into codes, and their hashes into hashes. */
static void new_recovery_codes(char codes[RECOVERY_CODES][RECOVERY_TEXT], char hashes[RECOVERY_CODES][65])
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789"; /* no 0/o, 1/l/i */
	for (int i = 0; i < RECOVERY_CODES; i++) {
		char plain[11];
		for (int k = 0; k < 10; k++)
			plain[k] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
		plain[10] = '\0';
		snprintf(codes[i], RECOVERY_TEXT, "%.5s-%.5s", plain, plain + 5);
		auth_token_hash(plain, hashes[i]);
	}
}

static enum app_err confirm_at(struct store *st, long long id, long long step, const char *keep,
			       char codes[RECOVERY_CODES][RECOVERY_TEXT], const char *actor)
{
	char hashes[RECOVERY_CODES][65];
	const char *h[RECOVERY_CODES];
	new_recovery_codes(codes, hashes);
	for (int i = 0; i < RECOVERY_CODES; i++)
		h[i] = hashes[i];
	return store_totp_confirm(st, id, step, h, keep, actor);
}

enum app_err twofa_confirm(struct store *st, const char *key_file, long long id, const char *session,
			   const char *code, char codes[RECOVERY_CODES][RECOVERY_TEXT], const char *actor)
{
	unsigned char secret[TOTP_SECRET_BYTES];
	bool confirmed;
	long long last, step;
	enum app_err rc = session && *session ? secret_of(st, key_file, id, session, secret, &confirmed, &last)
					      : APP_NOT_FOUND;
	if (!rc && confirmed)
		rc = APP_NOT_FOUND; /* nothing left to confirm */
	if (!rc && !totp_check(secret, sizeof secret, code, (long long)time(NULL), 0, &step))
		rc = APP_FORBIDDEN;
	sodium_memzero(secret, sizeof secret);
	return rc ? rc : confirm_at(st, id, step, session, codes, actor);
}

enum app_err twofa_enrol(struct store *st, const char *key_file, long long id, const char *name,
			 char base32[TOTP_BASE32_MAX], struct buf *uri, char codes[RECOVERY_CODES][RECOVERY_TEXT],
			 const char *actor)
{
	enum app_err rc = twofa_begin(st, key_file, id, name, NULL, base32, uri);
	return rc ? rc : confirm_at(st, id, 0, NULL, codes, actor);
}

enum app_err twofa_verify(struct store *st, const char *key_file, long long id, const char *code,
			  long long *recovery_left)
{
	*recovery_left = -1;
	char plain[11];
	if (recovery_plain(code, plain)) {
		char hash[65];
		auth_token_hash(plain, hash);
		enum app_err rc = store_recovery_use(st, id, hash, recovery_left);
		if (rc != APP_NOT_FOUND)
			return rc;
	}
	unsigned char secret[TOTP_SECRET_BYTES];
	bool confirmed;
	long long last, step;
	enum app_err rc = secret_of(st, key_file, id, NULL, secret, &confirmed, &last);
	bool ok = !rc && confirmed && totp_check(secret, sizeof secret, code, (long long)time(NULL), last, &step);
	sodium_memzero(secret, sizeof secret);
	if (rc && rc != APP_NOT_FOUND)
		return rc;
	if (!ok)
		return APP_FORBIDDEN;
	rc = store_totp_step(st, id, step);
	return rc == APP_CONFLICT ? APP_FORBIDDEN : rc; /* used meanwhile by another sign-in */
}
