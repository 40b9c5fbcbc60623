/* progress.c — see progress.h. */
#define _POSIX_C_SOURCE 200809L
#include "progress.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "entity.h"
#include "store.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

static bool given(const char *s)
{
	return s && *s;
}

static enum app_err status_alone(struct app *app, const char *key, const struct progress *p,
				 const struct principal *who, struct ferrs *errs)
{
	json_t *patch = json_pack("{s:s}", "status", p->status);
	enum app_err rc = dom_update(app, ENT(ACTION), key, patch, p->version, who, errs);
	json_decref(patch);
	return rc;
}

enum app_err progress_report(struct app *app, long long id, const struct progress *p, const struct principal *who,
			     struct ferrs *errs)
{
	bool new_status = given(p->status) && (!p->was || strcmp(p->status, p->was) != 0);
	/* someone outside (a progress link) reports even a status alone by an
	 * update, which waits for review before it moves the action (review.h) */
	bool outside = who && who->outside;
	char key[24];
	snprintf(key, sizeof key, "%lld", id);
	if (!given(p->percent) && !given(p->note) && !(outside && new_status))
		return new_status ? status_alone(app, key, p, who, errs) : APP_OK; /* nothing changed */
	char today[11];
	util_today(today);
	json_t *obj = json_pack("{s:I, s:s}", "action", (json_int_t)id, "date", today);
	long long pct;
	if (given(p->percent))
		json_object_set_new(obj, "percent",
				    util_parse_ll(p->percent, &pct) ? json_integer(pct) : json_string(p->percent));
	if (new_status) /* (the update's status becomes the action's: model.c's propagate) */
		json_object_set_new(obj, "status", json_string(p->status));
	/* a note is required: say what the update is */
	char *generated = given(p->note) ? NULL
			: given(p->percent) ? xasprintf(tr(p->lang, "Percentage set to %s %%."), p->percent)
					    : xasprintf(tr(p->lang, "Status set to “%s”."), tr(p->lang, p->status));
	json_t *nt = json_object();
	json_object_set_new(nt, lang_code[p->lang], json_string(generated ? generated : p->note));
	json_object_set_new(obj, "note", nt);
	enum app_err rc = store_begin(app->store);
	struct buf newkey = BUF_INIT;
	if (!rc)
		rc = dom_create(app, ENT(ACTION_UPDATE), obj, REC_CREATE, who, &newkey, errs);
	if (!rc)
		rc = store_commit(app->store);
	else
		store_rollback(app->store);
	buf_release(&newkey);
	json_decref(obj);
	free(generated);
	return rc;
}
