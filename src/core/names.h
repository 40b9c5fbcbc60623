/* names.h — people's names compared as people compare them: the match key
 * that finds the same person trained twice (issue 6).
 *
 * The key of a participant is its names folded — lower case, accents and
 * ligatures of Latin letters dropped (é → e, œ → oe, ß → ss), every run of
 * other characters (spaces, hyphens, apostrophes) a word break — with the
 * words sorted, then '|' and the country code:
 * "Dupont", "Marie-Claire", SN and "marie claire", "DUPONT", SN both give
 * "claire dupont marie|SN".  Letters outside Latin-1 (Arabic) are kept as
 * they are.  The store keeps it in participant.match_key (indexed) on every
 * write, so that matching needs no memory. */
#ifndef SUIVI_NAMES_H
#define SUIVI_NAMES_H
#include "buf.h"

/* The match key of family and given names (either may be NULL) and a
 * country, into out (reset first).  Empty names give "|CC". */
void names_match_key(struct buf *out, const char *family, const char *given, const char *country);

/* s folded as above, words joined by '_' in their order: "Date de
 * naissance" gives "date_de_naissance" (column names, enum labels). */
void names_norm(struct buf *out, const char *s);

#endif
