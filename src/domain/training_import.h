/* training_import.h — CSV import of participant lists and of results
 * (enrolments), with the spreadsheet tolerance of the needs import (csvin:
 * UTF-8 or Windows-1252, ',' ';' or tab, quotes, CRLF, DD/MM/YYYY dates).
 *
 * Participants: columns family_name (required), given_names, email, phone,
 * document_number, birth_date, country (required: code or French/English
 * name), agency, function, rank, sex, age_band, sample, source — by their
 * JSON names or their English or French labels ("Nom", "Prénoms", "Pays",
 * "Date de naissance", "Sexe" …).  The same person trained twice must not
 * become two people: a row whose match key (names.h: names folded, words
 * sorted, and country) is an existing participant's, confirmed by an equal
 * birth date or document number, IS that participant (no new row:
 * `matched`); the same key without a confirming field, or with conflicting
 * ones, is a likely duplicate: created, counted in `likely`, and listed on
 * /participants/duplicates for review and merging.
 *
 * Enrolments: the participant by number (column participant) or by
 * family_name, given_names, country and birth_date or document_number (one
 * confirmed match); the session by number; days_attended, pre_score,
 * post_score, satisfaction, completed, sample, source.  A participant
 * enrolled twice in one session (in the file or already) is an error.
 *
 * All or nothing: rows are checked and written in one transaction as they
 * are read (memory stays bounded: lookups go to the database's indexes);
 * any problem rolls everything back after every row was checked and every
 * problem reported with its line.  The summaries of the dashboard are
 * brought up to date in the same transaction.  Staff only. */
#ifndef SUIVI_TRAINING_IMPORT_H
#define SUIVI_TRAINING_IMPORT_H
#include "import.h"

enum timport_kind { TIMPORT_PARTICIPANTS, TIMPORT_ENROLMENTS };

struct timport_result {
	long long checked;  /* data rows read */
	long long created;  /* rows written (0 when the import failed) */
	long long matched;  /* participants: rows that were an existing participant */
	long long likely;   /* participants: created, but likely duplicates */
	long long updated, unchanged; /* rows naming their record (import.h: the round trip) */
	long long bad_rows, errors;
};

/* Imports `in` (header first).  APP_INVALID when anything is bad (nothing
 * written; each problem went to o->on_error), APP_FORBIDDEN for a role
 * that may not write them, APP_UNAVAILABLE/APP_CONFLICT from the database. */
MUST_CHECK enum app_err import_training(struct app *app, enum timport_kind kind, struct csvin *in,
			     const struct import_opts *o, struct timport_result *res);

/* "participants" or "enrolments" to a kind; false when neither. */
bool timport_kind_parse(const char *s, enum timport_kind *out);

#endif
