/* store_seal.h — the SQL of sealed editions (seal.h): the facts a seal
 * holds, read in one transaction's view, and the seals kept (table seal,
 * migration 20: one per meeting, never changed). */
#ifndef SUIVI_STORE_SEAL_H
#define SUIVI_STORE_SEAL_H
#include "buf.h"
#include "db.h"
#include "err.h"
#include "store.h"

/* The meeting's row: SEALM_* columns.  APP_NOT_FOUND. */
enum { SEALM_ID, SEALM_KIND, SEALM_TITLE /* fr, en, ar */, SEALM_START = 5, SEALM_END, SEALM_VENUE };
MUST_CHECK enum app_err store_seal_meeting(struct store *st, long long meeting, row_fn fn, void *ctx);
/* Each outcome of the meeting with each of its actions (none: the action
 * columns NULL), by the outcome's order then the action's number:
 * SEALO_* and SEALA_* columns. */
enum {
	SEALO_ID, SEALO_NUMBER, SEALO_KIND, SEALO_TEXT /* fr, en, ar */,
	SEALA_ID = 6, SEALA_TITLE /* fr, en, ar */, SEALA_OWNER = 10, SEALA_DUE, SEALA_STATUS, SEALA_PERCENT,
};
MUST_CHECK enum app_err store_seal_facts(struct store *st, long long meeting, row_fn fn, void *ctx);

/* Keeps the seal file of meeting, audited under actor; APP_CONFLICT when
 * the meeting is sealed already. */
MUST_CHECK enum app_err store_seal_add(struct store *st, long long meeting, const char *sealed_at, const char *actor,
				       const char *file);
/* The seal of meeting: its file into file_out, when and by whom it was
 * made; APP_NOT_FOUND when the meeting is not sealed. */
struct seal_kept {
	char sealed_at[21], sealed_by[128];
};
MUST_CHECK enum app_err store_seal_get(struct store *st, long long meeting, struct buf *file_out, struct seal_kept *out);

#endif
