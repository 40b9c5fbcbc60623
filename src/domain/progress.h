/* progress.h — a progress report on a follow-up action, as the board's
 * quick entry and an owner's progress link (notify.h) write it. */
#ifndef SUIVI_PROGRESS_H
#define SUIVI_PROGRESS_H
#include "app.h"
#include "auth.h"
#include "err.h"
#include "i18n.h"
#include "record.h"

struct progress {
	const char *status;  /* the action's status chosen, or NULL/"" */
	const char *was;     /* the status the form showed, or NULL */
	const char *percent; /* as typed, or NULL/"" */
	const char *note;    /* in lang, or NULL/"" */
	enum lang lang;
	long long version;   /* the action's as the form showed it; -1: none */
};

/* With a percent or a note: a progress update of action id dated today
 * (a note said for a percent alone) and the status when it changed, in one
 * transaction; with neither, the status alone, against p->version. */
MUST_CHECK enum app_err progress_report(struct app *app, long long id, const struct progress *p,
					const struct principal *who, struct ferrs *errs);

#endif
