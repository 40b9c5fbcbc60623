/* accounts.c — see accounts.h. */
#define _POSIX_C_SOURCE 200809L
#include "accounts.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "record.h"
#include "util.h"
#include "banned.h"

bool account_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n < 1 || n > ACCOUNT_NAME_MAX)
		return false;
	for (; *name; name++)
		if (!((*name >= 'a' && *name <= 'z') || (*name >= '0' && *name <= '9') || strchr("._-", *name)))
			return false;
	return true;
}

static bool given(const char *s)
{
	return s && *s;
}

bool account_email_parse(const char *s, char out[256])
{
	out[0] = 0;
	size_t n = s ? strlen(s) : 0;
	const char *at = n ? strchr(s, '@') : NULL;
	if (!at || at == s || !at[1] || strchr(at + 1, '@') || n >= 256)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '"' || c == ',')
			return false;
		out[i] = (char)(c < 0x80 ? tolower(c) : c);
	}
	out[n] = 0;
	return true;
}

enum account_fault account_parse(const struct account_spec *spec, struct account *out)
{
	memset(out, 0, sizeof *out);
	if (!spec->name || !account_name_ok(spec->name))
		return AF_NAME;
	enum account_fault f = account_parse_place(spec, out);
	if (f == AF_OK && given(spec->email) && !account_email_parse(spec->email, out->email))
		f = AF_EMAIL;
	if (f == AF_OK)
		snprintf(out->name, sizeof out->name, "%s", spec->name);
	return f;
}

enum account_fault account_parse_place(const struct account_spec *spec, struct account *out)
{
	if (!given(spec->role) || !role_parse(spec->role, &out->role))
		return AF_ROLE;
	if (out->role == ROLE_FOCAL && !given(spec->country))
		return AF_NO_COUNTRY;
	if (given(spec->country) && (strlen(spec->country) != 2 || rec_pattern_error("A2", spec->country)))
		return AF_COUNTRY;
	if (given(spec->organisation) && (!util_parse_ll(spec->organisation, &out->organisation) || out->organisation < 1))
		return AF_ORGANISATION;
	snprintf(out->country, sizeof out->country, "%s", given(spec->country) ? spec->country : "");
	return AF_OK;
}

/* APP_CONFLICT when an account has that name, APP_OK when none has. */
static enum app_err name_taken(struct store *st, const char *name)
{
	struct account other;
	enum app_err rc = store_account_get(st, name, 0, &other);
	return rc == APP_NOT_FOUND ? APP_OK : rc ? rc : APP_CONFLICT;
}

enum app_err account_add(struct store *st, struct account *a, const char *password, const char *actor)
{
	enum app_err rc = name_taken(st, a->name);
	if (rc || (rc = auth_hash_password(password, a->password_hash)))
		return rc;
	rc = store_account_add(st, a, actor);
	if (rc != APP_CONFLICT)
		return rc;
	/* the store's conflict is the name (made meanwhile) or a reference */
	rc = name_taken(st, a->name);
	return rc ? rc : APP_INVALID;
}

enum app_err account_add_one_time(struct store *st, struct account *a, char password[TOKEN_TEXT], const char *actor)
{
	auth_new_password(password);
	a->must_change = true;
	return account_add(st, a, password, actor);
}

enum app_err account_reset(struct store *st, long long id, char password[TOKEN_TEXT], const char *actor)
{
	char hash[256];
	auth_new_password(password);
	enum app_err rc = auth_hash_password(password, hash);
	return rc ? rc : store_account_set_password(st, id, hash, true, actor);
}

enum app_err account_set_disabled(struct store *st, const struct principal *who, long long id, bool disabled)
{
	if (disabled && id == who->id)
		return APP_FORBIDDEN;
	return store_account_set_disabled(st, id, disabled, who->name);
}

enum app_err account_reset_link(struct store *st, long long id, char token[TOKEN_TEXT], const char *actor)
{
	char hash[65];
	auth_random_token(token);
	auth_token_hash(token, hash);
	return store_reset_add(st, id, hash, (long long)time(NULL) + RESET_LINK_MINUTES * 60, actor);
}

enum app_err account_reset_check(struct store *st, const char *token)
{
	if (!token || !auth_token_plausible(token))
		return APP_NOT_FOUND;
	char hash[65];
	long long account;
	auth_token_hash(token, hash);
	return store_reset_account(st, hash, (long long)time(NULL), &account);
}

enum app_err account_reset_by_link(struct store *st, const char *token, const char *password)
{
	if (!token || !auth_token_plausible(token))
		return APP_NOT_FOUND;
	if (!auth_password_ok(password))
		return APP_INVALID;
	char hash[65], pw_hash[256];
	auth_token_hash(token, hash);
	enum app_err rc = auth_hash_password(password, pw_hash);
	return rc ? rc : store_reset_use(st, hash, (long long)time(NULL), pw_hash);
}
