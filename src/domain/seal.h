/* seal.h — a strategic dialogue edition sealed when it closes: what it
 * agreed (its outcomes), the actions each gave rise to and where they
 * stood that day, in a form that nobody can rewrite later, so that the
 * next edition reviews its commitments against it.
 *
 * The seal is a file (JSON, UTF-8):
 *
 *   {"format": "suivi-seal-1", "meeting": ID, "sealed_at": "2026-12-04T10:00:00Z",
 *    "snapshot": "…",      the canonical JSON below, as a string
 *    "sha256": "…",        its bytes' SHA-256, in hex
 *    "signature": "…",     Ed25519 (RFC 8032) over "suivi seal 1\n" then those
 *                          bytes, in base64url without padding
 *    "public_key": "…"}    the installation's key (certsign.h), base64url
 *
 * The snapshot has its keys sorted and no spaces:
 *
 *   {"meeting": {"id", "kind", "title": {"fr", "en", "ar"}, "start_date",
 *                "end_date", "venue"},
 *    "outcomes": [{"id", "number", "kind", "text": {…},
 *                  "actions": [{"id", "title": {…}, "owner", "due_date",
 *                               "status", "percent"}]}],
 *    "sealed_at": "…"}
 *
 * Its key is the one published at /.well-known/suivi-certificate-key, so
 * that anyone checks a seal offline (`suivi seal verify FILE KEY`). */
#ifndef SUIVI_SEAL_H
#define SUIVI_SEAL_H
#include <stddef.h>

#include "app.h"
#include "buf.h"
#include "err.h"

/* Seals meeting (a strategic dialogue) as it stands, audited under actor;
 * its file into file.  APP_NOT_FOUND: no such meeting; APP_INVALID: not a
 * strategic dialogue; APP_CONFLICT: sealed already. */
MUST_CHECK enum app_err seal_edition(struct app *app, long long meeting, const char *actor, struct buf *file);

/* What a seal file says, once checked. */
struct seal_check {
	long long meeting, outcomes, actions;
	char sealed_at[32], sha256[65], public_key[64], public_key_hex[65];
};
/* Checks the n bytes of a seal file: NULL when the snapshot is whole (its
 * SHA-256) and signed by the key the file names, else why not (English). */
const char *seal_verify(const char *text, size_t n, struct seal_check *out);

/* Each action of a (checked) seal file, where it stood at the seal; false
 * when the file cannot be read. */
typedef void (*seal_action_fn)(void *ctx, long long action, const char *status, long long percent);
bool seal_each_action(const char *file, seal_action_fn fn, void *ctx);

#endif
