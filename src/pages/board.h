/* board.h — the follow-up board: every action with filters (edition,
 * outcome, owner, theme, status, late, due dates), counts by status, a
 * timeline of progress updates per action, quick entry for staff, and CSV
 * and JSON of exactly what is filtered.
 *
 *   GET  /board?FILTERS          the page (50 actions a page, ?offset=)
 *   POST /board?FILTERS          quick entry (status, percent, note), then
 *                                back to the same filtered board (303)
 *   GET  /board.csv?FILTERS      every filtered action as CSV
 *   GET  /api/v1/followup?FILTERS&limit&offset   JSON (docs/API.md) */
#ifndef SUIVI_BOARD_H
#define SUIVI_BOARD_H
#include <stdbool.h>

#include "route.h"
#include "store_followup.h"

/* Actions on a page of the board: with their quick entry forms and
 * timelines, 25 rows keep a page well under the 100 kB it may weigh. */
#define BOARD_PAGE 25
#define BOARD_API_LIMIT 50 /* the API's default page, as the collections' */

/* Fills f (and *limit, *offset when non-NULL: default BOARD_API_LIMIT and 0)
 * from query arguments: meeting, outcome, owner (positive integers), theme
 * (a code), status (an action status), late (true|false), due_after,
 * due_before (YYYY-MM-DD), limit (0..500), offset.  Strings in f borrow
 * from a.  strict: any other argument is an error too (the API); else it
 * is ignored (pages keep notices in their URL).  APP_BAD_QUERY with *msg
 * (English, caller frees) for an argument not understood. */
MUST_CHECK enum app_err board_filter_parse(const struct args *a, bool strict, struct store_followup_filter *f,
				long long *limit, long long *offset, char **msg);

/* The routes (routes.c): the page, GET|POST /board; its CSV, GET
 * /board.csv; its JSON, GET /api/v1/followup (public visitors are refused
 * by the route table). */
route_fn board_route, board_csv_route, board_api;

#endif
