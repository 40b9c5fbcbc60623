/* iati_parse.h — reading an IATI activity file into the in-memory form of
 * iati.h (iati_parse.c).  Apart from iati.h, so that iati.c, which writes
 * that form, does not include what its reader declares. */
#ifndef SUIVI_IATI_PARSE_H
#define SUIVI_IATI_PARSE_H
#include <stdbool.h>
#include <stddef.h>

#include "iati.h"

/* Parses an activity file (2.01–2.03) of n bytes into *d (zeroed first).
 * Never loads a DTD or an external entity and never touches the network.
 * Returns false with d->error set when the file cannot be read at all
 * (malformed XML, not iati-activities, a version outside 2.0x); otherwise
 * true, with what it left out in d->skips. */
bool iati_parse(const char *data, size_t n, struct iati_doc *d);

#endif
