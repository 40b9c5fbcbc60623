/* imports.c — see imports.h. */
#include "imports.h"

#include <string.h>

#include "banned.h"

enum app_err import_any(struct app *app, const struct entity *e, struct csvin *in,
			const struct import_opts *o, struct import_result *res, struct timport_result *t)
{
	struct timport_result own = { 0 };
	if (!t)
		t = &own;
	*t = (struct timport_result){ 0 };
	*res = (struct import_result){ 0 };
	if (!e || !import_may_collection(e))
		return APP_METHOD;
	if (e == ENT(NEED))
		return import_needs(app, in, o, res);
	enum timport_kind kind;
	if (!timport_kind_parse(e->plural, &kind))
		return import_collection(app, e, in, o, res);
	enum app_err rc = import_training(app, kind, in, o, t);
	*res = (struct import_result){ .rows = t->created, .checked = t->checked, .updated = t->updated,
				       .unchanged = t->unchanged, .bad_rows = t->bad_rows, .errors = t->errors };
	return rc;
}
