/* review.c — see review.h. */
#define _POSIX_C_SOURCE 200809L
#include "review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "notify.h"
#include "store.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

/* The review fields of e as indexes (entity.h: review[REVIEW_STATE ..]). */
struct review_fields {
	int state, comment, at, by;
};

static bool fields_of(const struct entity *e, struct review_fields *f)
{
	*f = (struct review_fields){ -1, -1, -1, -1 };
	if (!e->review)
		return false;
	f->state = (int)(e->review - e->fields);
	f->comment = f->state + REVIEW_COMMENT;
	f->at = f->state + REVIEW_AT;
	f->by = f->state + REVIEW_BY;
	return true;
}

bool review_applies(const struct entity *e)
{
	return e->review != NULL;
}

bool review_stamp(struct record *r, const struct principal *who, const char *actor, bool create, bool *changed)
{
	struct review_fields f;
	if (!fields_of(r->e, &f))
		return false;
	/* who NULL: suivi itself (data files, the command line) */
	bool staff = !who || (role_staff(who->role) && !who->outside);
	if (staff && !create)
		return false; /* staff's changes keep the record's state */
	if (create && r->v[f.state].set)
		return false; /* a record restored as it was */
	rec_set_text(r, f.state, staff ? "approved" : "submitted");
	if (changed)
		changed[f.state] = true;
	if (staff)
		return false;
	char now[21];
	util_now(now);
	rec_set_text(r, f.at, now);
	rec_set_text(r, f.by, actor);
	if (changed)
		changed[f.at] = changed[f.by] = true;
	return true;
}

/* The decision, in the open transaction: w reads the record (as who sees
 * it) and writes its new state. */
static enum app_err decide_in(struct store *st, struct write *w, const char *key, bool approve, const char *comment,
			      const struct principal *who)
{
	struct review_fields f;
	fields_of(w->e, &f);
	struct query q;
	dom_query_init(&q, w->e, who);
	q.limit = 1;
	dom_filter_key(&q, ent_keyfield(w->e), key);
	enum app_err rc = store_read(st, &q, w);
	dom_query_release(&q);
	if (rc)
		return rc;
	buf_adds(&w->key, key);
	const char *was = rec_text(w->before, f.state);
	bool waits = was && (strcmp(was, "submitted") == 0 || (approve && strcmp(was, "returned") == 0));
	if (!waits)
		return APP_CONFLICT;
	rec_set_text(w->after, f.state, approve ? "approved" : "returned");
	rec_set_text(w->after, f.comment, comment && *comment ? comment : NULL);
	w->changed[f.state] = w->changed[f.comment] = true;
	rc = store_write(st, w);
	if (!rc && !approve)
		rc = notify_review_returned(st, w->e, key, rec_text(w->before, f.by), rec_text(w->before, f.at));
	return rc;
}

enum app_err review_decide(struct app *app, const struct entity *e, const char *key, bool approve,
			   const char *comment, const struct principal *who, struct ferrs *errs)
{
	if (!who || !role_staff(who->role) || who->outside)
		return APP_FORBIDDEN;
	if (!review_applies(e) || !dom_valid_key(e, key))
		return APP_NOT_FOUND;
	if (!approve && (!comment || !*comment)) {
		ferrs_add(errs, "comment", N_("say what is to be corrected"), NULL);
		return APP_INVALID;
	}
	if (comment && strlen(comment) > 4000) {
		ferrs_add(errs, "comment", N_("is too long (at most %s characters)"), "4000");
		return APP_INVALID;
	}
	struct record before, after;
	rec_init(&before, e);
	rec_init(&after, e);
	bool *changed = xcalloc((size_t)e->nfields, sizeof *changed);
	struct write w;
	write_init(&w, e, WRITE_UPDATE, dom_actor(app, who), ROLE_ADMIN);
	w.before = &before;
	w.after = &after;
	w.changed = changed;
	w.errs = errs;
	w.audit_action = approve ? "approve" : "return";
	enum app_err rc = store_begin(app->store);
	if (!rc) {
		rc = decide_in(app->store, &w, key, approve, comment, who);
		if (rc)
			store_rollback(app->store);
		else
			rc = store_commit(app->store);
	}
	write_release(&w);
	free(changed);
	rec_free(&before);
	rec_free(&after);
	return rc;
}
