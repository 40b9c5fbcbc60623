/* store_training.h — the SQL of the training pages (training.c): a
 * session's roster and counts, a participant's sessions, the course
 * catalogue with the next sessions, the certificate of an enrolment and
 * the public verification of a certificate number; and the assignment of
 * certificate numbers.
 *
 * Certificates.  An enrolment gets its number when it becomes completed,
 * inside the transaction of the write that completes it: the enrolments'
 * hook (hooks.c: store_training_certificate_before) gives it to every enrolment written,
 * so the API, the page forms, the results grid and data files all get it
 * from the one place.  A batch of creates (an import) gets them after the
 * batch (store_training_certificate_assign_since, the hook after_batch).
 *
 * A number is "PO-YYYY-" (the year it was given) and 8 characters of
 * Crockford base32 (no I, L, O, U: nothing to misread) from libsodium's
 * random generator: 40 random bits, so numbers are not guessable from one
 * another.  The unique index enrolment_certificate (migration 7) keeps them
 * unique; a number already taken is drawn again.
 *
 * An enrolment keeps its number for good: un-completing it later does not
 * clear it (so a number is never given to another enrolment), but the
 * certificate is then not valid — /verify says so and the certificate page
 * is not shown — until the enrolment is completed again, with the same
 * number.
 *
 * Rows are handed to a row_fn in the column layouts below; multilingual
 * text is three columns fr, en, ar as page_i18n() reads them.  Strings in
 * rows are valid during the callback only. */
#ifndef SUIVI_STORE_TRAINING_H
#define SUIVI_STORE_TRAINING_H
#include <stdbool.h>

#include "sdc.h"
#include "store.h"

#define CERT_PREFIX "PO-"
#define CERT_NUMBER_MAX 32 /* "PO-2025-ABCDEFGH" is 16; room to spare */

/* Is s shaped like a certificate number ("PO-" 4 digits "-" 8 base32)? */
bool store_training_certificate_well_formed(const char *s);
/* A number as a person types it from the paper — any case, spaces and
 * dashes anywhere or none (a PDF's non-breaking spaces and typographic
 * dashes too), Crockford's look-alikes (O for 0, I and L for 1) in the
 * random part — written as it is printed into out; false when it cannot be
 * a certificate number at all. */
bool store_training_certificate_normalise(const char *typed, char out[CERT_NUMBER_MAX]);

/* Gives every completed enrolment numbered above `since` that has none a
 * number (a batch's: an import); *n (may be NULL) counts them.  Inside the
 * caller's transaction, or its own. */
MUST_CHECK enum app_err store_training_certificate_assign_since(struct store *st, long long since, long long *n);

/* The enrolments' hook before each write (hooks.c): a completed enrolment
 * without a number gets one, set in the record written (w->after). */
struct write;
MUST_CHECK enum app_err store_training_certificate_before(struct store *st, struct write *w);

/* Columns of store_training_roster rows: the enrolments of a session with their
 * participant (ordered by family name, given names; a page of them). */
enum {
	TRR_ID = 0, TRR_PARTICIPANT = 1, TRR_FAMILY = 2, TRR_GIVEN = 3, TRR_COUNTRY = 4,
	TRR_COUNTRY_NAME = 5 /* 3 */, TRR_AGENCY = 8, TRR_DAYS = 9, TRR_PRE = 10, TRR_POST = 11,
	TRR_SATISFACTION = 12, TRR_COMPLETED = 13, TRR_CERTIFICATE = 14, TRR_VERSION = 15,
};
MUST_CHECK enum app_err store_training_roster(struct store *st, long long session, long long limit, long long offset,
				   row_fn fn, void *ctx);

/* One enrolment of store_training_roster's layout, by id (APP_NOT_FOUND when none). */
MUST_CHECK enum app_err store_training_roster_row(struct store *st, long long enrolment, row_fn fn, void *ctx);

/* What figures about a set of enrolments count (sdc.h): its enrolments, the
 * completed ones, those with both scores — each with the sum of their
 * records' keys — and the people with a completed enrolment among them
 * with the sum of their keys; and the sum of the knowledge gains. */
struct store_training_counts {
	struct sdc_counts n;
	long long gain_sum; /* Σ post − pre over the enrolments with both scores */
};
/* The counts of a session's enrolments. */
MUST_CHECK enum app_err store_training_session_counts(struct store *st, long long session, struct store_training_counts *out);
/* The sdc_counts (people not counted: -1) of TR_COUNTS_COLUMNS columns of
 * a row from col on, as the store's queries give them (TR_COUNTS). */
void store_training_row_counts(const struct row *row, int col, struct sdc_counts *n);
#define TR_COUNTS_COLUMNS 6

/* Columns of store_training_history rows: a participant's enrolments, latest first. */
enum {
	TRH_ID = 0, TRH_SESSION = 1, TRH_START = 2, TRH_END = 3, TRH_VENUE = 4, TRH_COURSE = 5,
	TRH_TITLE = 6 /* 3 */, TRH_DAYS = 9, TRH_PRE = 10, TRH_POST = 11, TRH_SATISFACTION = 12,
	TRH_COMPLETED = 13, TRH_CERTIFICATE = 14,
};
MUST_CHECK enum app_err store_training_history(struct store *st, long long participant, row_fn fn, void *ctx);

/* Columns of store_training_courses rows: every course with its theme's name, by theme
 * code (courses without a theme last), then number. */
enum {
	TRC_ID = 0, TRC_TITLE = 1 /* 3 */, TRC_THEME = 4, TRC_THEME_NAME = 5 /* 3 */, TRC_LEVEL = 8,
	TRC_DAYS = 9, TRC_LANGUAGES = 10, TRC_AUDIENCE = 11 /* 3 */, TRC_SAMPLE = 14,
};
MUST_CHECK enum app_err store_training_courses(struct store *st, row_fn fn, void *ctx);

/* Columns of store_training_next_sessions rows: sessions not cancelled that have not
 * ended by `today`, by course then start date (at most `limit`). */
enum {
	TRN_ID = 0, TRN_COURSE = 1, TRN_START = 2, TRN_END = 3, TRN_VENUE = 4, TRN_MODE = 5,
	TRN_STATUS = 6,
};
MUST_CHECK enum app_err store_training_next_sessions(struct store *st, const char *today, long long limit, row_fn fn,
					  void *ctx);

/* Columns of store_training_certificate rows: what a printed certificate shows. */
enum {
	TRX_ID = 0, TRX_COMPLETED = 1, TRX_NUMBER = 2, TRX_FAMILY = 3, TRX_GIVEN = 4,
	TRX_TITLE = 5 /* 3 */, TRX_START = 8, TRX_END = 9, TRX_VENUE = 10, TRX_DAYS = 11,
	TRX_SAMPLE = 12, TRX_SESSION = 13, TRX_COURSE = 14,
};
MUST_CHECK enum app_err store_training_certificate(struct store *st, long long enrolment, row_fn fn, void *ctx);
/* The same for every certificate of a session (completed enrolments with
 * their number), by the participants' names. */
MUST_CHECK enum app_err store_training_session_certificates(struct store *st, long long session, row_fn fn,
							    void *ctx);

/* Columns of store_training_verify rows: the course and dates of the completed
 * enrolment holding certificate `number` — nothing about the person. */
enum { TRV_COURSE = 0, TRV_TITLE = 1 /* 3 */, TRV_START = 4, TRV_END = 5 };
/* *found says whether a valid certificate has that number. */
MUST_CHECK enum app_err store_training_verify(struct store *st, const char *number, row_fn fn, void *ctx, bool *found);

#endif
