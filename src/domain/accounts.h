/* accounts.h — making and managing accounts (DESIGN §2: users are the
 * admin's).  The rules `suivi user` and the administration pages share:
 * what a name, a role and its country or organisation may be, one-time
 * passwords, and who may disable whom.  Each caller words the faults for
 * its readers (usage lines, translated pages). */
#ifndef SUIVI_ACCOUNTS_H
#define SUIVI_ACCOUNTS_H
#include <stdbool.h>

#include "auth.h"
#include "err.h"
#include "store_auth.h"

/* What is wrong with the description of a new account, the first fault
 * in this order. */
enum account_fault {
	AF_OK,
	AF_NAME,         /* not 1 to ACCOUNT_NAME_MAX of a-z 0-9 . _ - */
	AF_ROLE,         /* not admin, officer, focal or donor */
	AF_NO_COUNTRY,   /* a focal point needs its state */
	AF_COUNTRY,      /* not a code such as MA */
	AF_ORGANISATION, /* not an organisation's number */
	AF_EMAIL,        /* given, but not an address */
};

/* A new account as given from outside: text, NULL or "" when not given. */
struct account_spec {
	const char *name, *role, *country, *organisation, *email;
};

bool account_name_ok(const char *name);
/* Checks spec and, when it is well formed (AF_OK), fills out's name,
 * role, country and organisation (the rest zero).  Whether the country or
 * the organisation exists is account_add's to find out. */
enum account_fault account_parse(const struct account_spec *spec, struct account *out);
/* The role, country and organisation of spec only (its name and e-mail
 * unread) into out's, the rest of out unchanged: what an admission rule
 * gives (oidc.h). */
enum account_fault account_parse_place(const struct account_spec *spec, struct account *out);
/* An e-mail address as accounts keep it (lower case, without spaces, one
 * @ with text either side) into out; false when s is not one. */
bool account_email_parse(const char *s, char out[256]);

/* Adds account a with password (hashed here; auth_password_ok is the
 * caller's to check), a one-time one when a->must_change.  APP_CONFLICT
 * when the name is taken; APP_INVALID when its country or organisation
 * does not exist.  Audited under actor. */
MUST_CHECK enum app_err account_add(struct store *st, struct account *a, const char *password, const char *actor);
/* account_add with a new one-time password, written into password (shown
 * once, kept nowhere). */
MUST_CHECK enum app_err account_add_one_time(struct store *st, struct account *a, char password[TOKEN_TEXT],
					     const char *actor);
/* Gives account id a new one-time password (into password), which ends
 * its sessions and revokes its API tokens.  Audited. */
MUST_CHECK enum app_err account_reset(struct store *st, long long id, char password[TOKEN_TEXT], const char *actor);
/* A link that sets a forgotten password: valid RESET_LINK_MINUTES, once. */
#define RESET_LINK_MINUTES 30
/* Makes a link for account id: its token into token (shown once, kept
 * only hashed); a link the account had unused is withdrawn.  Audited. */
MUST_CHECK enum app_err account_reset_link(struct store *st, long long id, char token[TOKEN_TEXT], const char *actor);
/* APP_OK while token is a link unused and not expired; APP_NOT_FOUND
 * otherwise (the same answer for a link mistyped, used or too old). */
MUST_CHECK enum app_err account_reset_check(struct store *st, const char *token);
/* Sets the password of token's account to password (its own, not a
 * one-time one), which ends its sessions and revokes its API tokens, and
 * spends the link.  APP_INVALID: the password is too short; APP_NOT_FOUND:
 * the link is not (or no longer) valid.  Audited. */
MUST_CHECK enum app_err account_reset_by_link(struct store *st, const char *token, const char *password);
/* Disables (or enables) account id as who: APP_FORBIDDEN for one's own
 * account (an admin who locks themselves out needs the command line).
 * Disabling ends its sessions and revokes its tokens.  Audited. */
MUST_CHECK enum app_err account_set_disabled(struct store *st, const struct principal *who, long long id,
					     bool disabled);

#endif
