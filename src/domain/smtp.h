/* smtp.h — hands a message (mail.h) to a mail relay by SMTP, through
 * libcurl (loaded on first use, lazy_oidc.h).  The relay is an address
 * smtp://[user:password@]host[:port] — STARTTLS when the relay offers it,
 * and required when a password would otherwise cross the network in the
 * clear — or smtps:// (TLS from the first byte). */
#ifndef SUIVI_SMTP_H
#define SUIVI_SMTP_H
#include <stdbool.h>

#include "err.h"

/* Is url an smtp:// or smtps:// address with a host?  *why: what is wrong. */
bool smtp_url_ok(const char *url, const char **why);

/* Sends message from `from` to `to`.  APP_OK once the relay took it;
 * APP_UNAVAILABLE when it did not (error: one line saying why, for the
 * outbox); APP_INVALID when it refused the recipient or the message for
 * good (550–554). */
MUST_CHECK enum app_err smtp_send(const char *url, const char *from, const char *to, const char *message,
				  char error[256]);

#endif
