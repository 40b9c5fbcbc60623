/* programme.h — a technical-assistance programme's page (DESIGN M5) and
 * its funding figures:
 *
 *   the sections of a programme's record page (web.c record_extras):
 *   funding (budget, committed, disbursed, spent as an SVG chart and a
 *   table, the execution rate, other currencies apart), in-kind support
 *   apart from cash, the beneficiary countries on the map of Africa, the
 *   needs it answers, the sessions delivered, its results framework and
 *   its documents;
 *   GET /programmes/overview   every programme the reader may see with its
 *                              funding and countries.
 *
 * Amounts are in minor units (money.h).  Only transactions in the
 * programme's own currency are summed; others are shown apart, never
 * converted. */
#ifndef SUIVI_PROGRAMME_H
#define SUIVI_PROGRAMME_H
#include <stdbool.h>

#include "app.h"
#include "buf.h"
#include "err.h"
#include "route.h"

struct funding {
	char currency[4];       /* the programme's */
	bool has_budget;
	long long budget;
	/* sums of the transactions in the programme's currency, by kind */
	long long incoming, committed, disbursed, spent;
	long long other;        /* transactions in another currency (not summed) */
	/* The execution rate: (disbursed + spent) / committed, or / budget
	 * when nothing is committed yet; has_rate false when the base is 0
	 * or missing. */
	bool has_rate, rate_on_budget;
	double rate;
};

/* The funding of a programme (no scope: the caller checks who may see it).
 * APP_NOT_FOUND: no such programme. */
MUST_CHECK enum app_err programme_funding(struct app *app, long long programme, struct funding *out);

/* The execution rate of f's sums (fills has_rate, rate_on_budget, rate). */
void programme_execution(struct funding *f);

void programme_sections(struct request *req, struct buf *b, const char *key);

/* GET /programmes/overview (routes.c). */
route_fn programme_overview;

#endif
