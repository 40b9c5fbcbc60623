/* ics.c — see ics.h. */
#define _POSIX_C_SOURCE 200809L
#include "ics.h"

#include <stdio.h>
#include <string.h>

#include "util.h"
#include "banned.h"

/* Adds one content line, folded at 75 bytes between whole UTF-8
 * characters (RFC 5545 §3.1), ended by CRLF. */
static void add_line(struct buf *out, const char *line)
{
	size_t n = strlen(line), width = 75;
	for (size_t i = 0; i < n;) {
		size_t take = n - i < width ? n - i : width;
		while (take > 1 && i + take < n && ((unsigned char)line[i + take] & 0xC0) == 0x80)
			take--;
		if (i)
			buf_addc(out, ' ');
		buf_add(out, line + i, take);
		buf_adds(out, "\r\n");
		i += take;
		width = 74; /* a continuation begins with its space */
	}
}

/* NAME;LANGUAGE=xx:TEXT with TEXT escaped (§3.3.11). */
static void add_text(struct buf *out, const char *name, const char *lang, const char *text)
{
	struct buf l = BUF_INIT;
	buf_adds(&l, name);
	if (lang)
		buf_printf(&l, ";LANGUAGE=%s", lang);
	buf_addc(&l, ':');
	for (const char *p = text ? text : ""; *p; p++) {
		if (*p == '\\' || *p == ';' || *p == ',')
			buf_addc(&l, '\\');
		if (*p == '\n')
			buf_adds(&l, "\\n");
		else if (*p != '\r')
			buf_addc(&l, *p);
	}
	add_line(out, buf_cstr(&l));
	buf_release(&l);
}

/* A date as YYYYMMDD, days later. */
static bool ics_date(const char *iso, int days, char out[16])
{
	int y, m, d;
	if (!iso || !util_parse_ymd(iso, &y, &m, &d))
		return false;
	long long yy;
	util_civil_from_days(util_days_from_civil(y, m, d) + days, &yy, &m, &d);
	snprintf(out, 16, "%04lld%02d%02d", yy % 10000, m, d);
	return true;
}

bool ics_write(struct buf *out, const struct ics_event *ev)
{
	char start[16], end[16], stamp[16];
	const char *last = ev->end_date && *ev->end_date ? ev->end_date : ev->start_date;
	if (!ics_date(ev->start_date, 0, start) || !ics_date(last, 1, end) || strcmp(end, start) <= 0)
		return false;
	long long yy;
	int m, d;
	long long secs = ev->stamp % 86400;
	util_civil_from_days(ev->stamp / 86400, &yy, &m, &d);
	snprintf(stamp, sizeof stamp, "%04lld%02d%02d", yy % 10000, m, d);
	char line[400];
	add_line(out, "BEGIN:VCALENDAR");
	add_line(out, "VERSION:2.0");
	add_line(out, "PRODID:-//suivi//notifications//EN");
	add_line(out, "METHOD:REQUEST");
	add_line(out, "BEGIN:VEVENT");
	snprintf(line, sizeof line, "UID:%s", ev->uid);
	add_line(out, line);
	snprintf(line, sizeof line, "DTSTAMP:%sT%02lld%02lld%02lldZ", stamp, secs / 3600, secs / 60 % 60, secs % 60);
	add_line(out, line);
	snprintf(line, sizeof line, "DTSTART;VALUE=DATE:%s", start);
	add_line(out, line);
	snprintf(line, sizeof line, "DTEND;VALUE=DATE:%s", end); /* the day after the last (exclusive) */
	add_line(out, line);
	add_text(out, "SUMMARY", ev->lang, ev->summary);
	if (ev->location && *ev->location)
		add_text(out, "LOCATION", ev->lang, ev->location);
	if (ev->description && *ev->description)
		add_text(out, "DESCRIPTION", ev->lang, ev->description);
	snprintf(line, sizeof line, "ORGANIZER:mailto:%s", ev->organizer);
	add_line(out, line);
	snprintf(line, sizeof line, "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:%s", ev->attendee);
	add_line(out, line);
	add_line(out, "TRANSP:TRANSPARENT");
	add_line(out, "END:VEVENT");
	add_line(out, "END:VCALENDAR");
	return true;
}
