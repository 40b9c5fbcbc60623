/* dashboard.h — the effectiveness dashboard of the Programme Office's training
 * (DESIGN M4, issue 6): people trained and person-days by country, agency,
 * sex, theme, year and course; completion rate; mean knowledge gain with its
 * 95 % confidence interval; satisfaction; the map of Africa coloured by
 * people trained; and, for those who may read needs, which serious open
 * needs a delivered course answers.  Figures come from the summaries kept
 * on write (store_tsum.h).
 *
 * Routes: /training (the page, for everyone: aggregates are published),
 * /training/needs (the open serious needs and whether training answered
 * them, for those who may read the needs), /training/FIGURE.csv (FIGURE:
 * totals, country, agency, sex, theme, year, course, needs), API GET /api/v1/training/summary and, for staff,
 * GET /api/v1/training/check.  Filters in the query string: year, country,
 * agency, sex, theme, course.  A focal point sees its own country only.
 * For everyone but staff, a group with fewer than 5 enrolments, or with
 * between 1 and 4 people trained, is not shown (small cells could identify
 * people). */
#ifndef SUIVI_DASHBOARD_H
#define SUIVI_DASHBOARD_H
#include <stdbool.h>

#include "route.h"

/* The routes above (routes.c): the page and its figures as CSV; the
 * API's summary and, for staff, its check. */
route_fn dashboard_training_page, dashboard_needs_page, dashboard_figure_csv;
route_fn dashboard_summary_api, dashboard_check_api;

#endif
