/* store_lock.h — locked reporting periods.  Staff lock a programme's
 * reporting period, or a meeting's follow-up, as of a date; from then on
 * the records dated up to that day under it refuse every change (create,
 * update, delete; an import too) with APP_LOCKED, until an administrator
 * unlocks it.  Which records, by which date (lock_rules in store_lock.c):
 *
 *   a programme's funding transactions      by their date
 *   its indicators' periods                 by the period's end
 *   a meeting's actions' progress updates   by the update's date
 *
 * One lock per programme or meeting (table period_lock, migration 21); a
 * new date replaces the old one.  Each lock and unlock is audited. */
#ifndef SUIVI_STORE_LOCK_H
#define SUIVI_STORE_LOCK_H
#include <stdbool.h>

#include "err.h"
#include "record.h"
#include "store.h"

enum lock_scope { LOCK_PROGRAMME, LOCK_MEETING };

/* "programme" or "meeting": the audit's entity and the API's word. */
const char *lock_scope_name(enum lock_scope scope);

struct period_lock {
	bool locked;
	char as_of[11];       /* YYYY-MM-DD: records dated up to it are locked */
	char locked_by[128];
	char locked_at[21];
};

/* The lock of a programme or meeting (out->locked false: none). */
MUST_CHECK enum app_err store_lock_get(struct store *st, enum lock_scope scope, long long id,
				       struct period_lock *out);
/* Locks it as of the date as_of (replacing the date it had), audited
 * under actor.  APP_NOT_FOUND when no such programme or meeting;
 * APP_FORBIDDEN when as_of is earlier than its lock's and not earlier_ok
 * (an officer's: only an administrator unlocks, even in part). */
MUST_CHECK enum app_err store_lock_set(struct store *st, enum lock_scope scope, long long id, const char *as_of,
				       const char *actor, bool earlier_ok);
/* Unlocks it, audited (one not locked: nothing to do); APP_NOT_FOUND when
 * no such programme or meeting. */
MUST_CHECK enum app_err store_lock_clear(struct store *st, enum lock_scope scope, long long id, const char *actor);

/* Does the write w, in its open transaction, touch a locked record (as it
 * was, or as it would be)?  APP_LOCKED with a field error naming the lock
 * (on the date's field) in w->errs; a delete, the lock's date in w->why. */
MUST_CHECK enum app_err conn_lock_check(struct conn *c, const struct write *w);
/* The same for a record r of e about to be created by an import, in the
 * import's transaction: APP_LOCKED with the field error in errs. */
MUST_CHECK enum app_err store_lock_check_new(struct store *st, const struct entity *e, const struct record *r,
					     struct ferrs *errs);
/* Does any lock hold records of e's kind?  (An import asks once, in its
 * transaction, rather than for each row.) */
MUST_CHECK enum app_err store_lock_held(struct store *st, const struct entity *e, bool *any);

#endif
