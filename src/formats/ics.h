/* ics.h — a calendar invitation (RFC 5545): one all-day event, as a
 * registration confirmation carries it (METHOD:REQUEST), lines folded at
 * 75 bytes, text escaped. */
#ifndef SUIVI_ICS_H
#define SUIVI_ICS_H
#include "buf.h"

struct ics_event {
	const char *uid;        /* stable: the same event updates, not duplicates */
	long long stamp;        /* DTSTAMP, seconds since the epoch */
	const char *start_date; /* YYYY-MM-DD */
	const char *end_date;   /* YYYY-MM-DD, the last day (inclusive), or NULL: one day */
	const char *summary, *location, *description; /* UTF-8; location may be NULL */
	const char *organizer;  /* an address */
	const char *attendee;   /* an address */
	const char *lang;       /* LANGUAGE of the texts */
};

/* Writes the VCALENDAR; false (nothing written) when a date is not one. */
bool ics_write(struct buf *out, const struct ics_event *ev);

#endif
