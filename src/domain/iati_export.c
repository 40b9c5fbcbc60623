/* iati_export.c — see iati_export.h. */
#include "iati_export.h"

#include "domain.h"
#include "results.h"
#include "store_iati.h"
#include "banned.h"

/* A computed indicator's period rows take the figure the results module
 * computes for their dates and cell (sex or country), as published to
 * everyone (the file is public: statistical disclosure control, sdc.h); a
 * row with nothing to compute from keeps what was typed, if anything. */
static enum app_err fill_indicator(struct app *app, struct iati_indicator *ind)
{
	static const char *const sexes[] = { NULL, "female", "male" };
	for (size_t k = 0; k < ind->nrows; k++) {
		struct iati_prow *p = &ind->rows[k];
		struct rcomputed f;
		enum app_err rc = results_period_actual(app, ind->id, p->start, p->end,
							p->sex >= 1 && p->sex <= 2 ? sexes[p->sex] : NULL,
							p->country[0] ? p->country : NULL, false, &f);
		if (rc)
			return rc;
		if (f.has || f.hidden) { /* (a hidden figure: no actual at all) */
			p->has_actual = f.has;
			p->actual = f.actual;
		}
	}
	return APP_OK;
}

enum app_err iati_export_load(struct app *app, const struct query *programmes, struct iati_doc *d)
{
	enum app_err rc = store_iati_load(app->store, programmes, d);
	for (size_t a = 0; !rc && a < d->nacts; a++) {
		struct iati_activity *act = &d->acts[a];
		for (size_t r = 0; !rc && r < act->nresults; r++)
			for (size_t i = 0; !rc && i < act->results[r].nind; i++)
				if (act->results[r].ind[i].computed)
					rc = fill_indicator(app, &act->results[r].ind[i]);
	}
	if (rc)
		iati_doc_free(d);
	return rc;
}

void iati_published_query(struct query *q)
{
	const struct entity *e = ENT(PROGRAMME);
	dom_query_init(q, e, NULL);
	q->filters[q->nfilters].f = FLD(PROGRAMME, PUBLISHED);
	q->filters[q->nfilters++].value = (struct dbparam){ .type = DBP_INT, .i = 1 };
}
