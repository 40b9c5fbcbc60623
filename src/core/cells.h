/* cells.h — the values of spreadsheet cells, as the CSV imports read them
 * (DESIGN §5: what spreadsheets in the field export).  Shared by the needs
 * import (import.c) and the training imports (training_import.c). */
#ifndef SUIVI_CELLS_H
#define SUIVI_CELLS_H
#include <stdbool.h>
#include <stddef.h>

/* s without surrounding blanks (spaces, tabs, a trailing newline): a
 * pointer into s; *n receives the trimmed length. */
const char *cell_trim(const char *s, size_t *n);
/* The n bytes at s as a date: YYYY-MM-DD as it is, or D/M/YYYY, DD/MM/YYYY
 * with '/', '.' or '-' between; out receives YYYY-MM-DD.  false when it is
 * neither, or not a real calendar date. */
bool cell_date(const char *s, size_t n, char out[11]);
/* A yes/no cell, already folded to lower case without accents: 1, true,
 * yes, oui, vrai, x, o, y → 1; 0, false, no, non, faux, n → 0.  false when
 * it is none of them. */
bool cell_bool(const char *folded, long long *out);

#endif
