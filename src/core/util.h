/* util.h — small checks shared by the parsers of outside input. */
#ifndef SUIVI_UTIL_H
#define SUIVI_UTIL_H
#include <stdbool.h>
#include <stddef.h>

/* True when s is a real calendar date written YYYY-MM-DD (years 1000..9999). */
bool util_valid_date(const char *s);
/* Reads "YYYY-MM-DD" (at least those ten characters) into its numbers, without
 * checking their ranges; false when it is not of that form. */
bool util_parse_ymd(const char *s, int *y, int *m, int *d);
/* True when the n bytes at s are well-formed UTF-8 (no overlongs, no
 * surrogates, no NUL). */
bool util_valid_utf8(const char *s, size_t n);
/* Number of code points in a valid UTF-8 string. */
size_t util_utf8_len(const char *s);
/* Parses a whole decimal integer (optional '-') into *out; false on any
 * other character, empty input or overflow. */
bool util_parse_ll(const char *s, long long *out);
/* Today's date in UTC as YYYY-MM-DD into out[11]. */
void util_today(char out[11]);
/* Does s end with suffix? */
bool util_ends_with(const char *s, const char *suffix);
/* The current UTC time as YYYY-MM-DDTHH:MM:SSZ into out[21]. */
void util_now(char out[21]);
/* The length of the longest prefix of s of at most max bytes that does not
 * cut a UTF-8 character in two. */
size_t util_utf8_prefix(const char *s, size_t max);
/* The bytes of s's first max_chars characters (all of s when shorter). */
size_t util_utf8_chars(const char *s, size_t max_chars);
/* Is s a path on this site ("/actions?late=true"), safe to redirect to?
 * Not "//host", not "/\host", no control characters (a browser drops a tab
 * or newline and may then read "//host"). */
bool util_local_path(const char *s);
/* Does valid UTF-8 s hold nothing but white space (ASCII white space, the
 * no-break and other Unicode spaces, zero-width ones)?  True for "".  A
 * required text of spaces only says nothing: it counts as missing. */
bool util_blank(const char *s);
/* A yes/no flag of a query: absent (false), 1, true, 0 or false; false
 * when v is something else. */
bool util_parse_flag(const char *v, bool *out);
/* Case-insensitive ASCII comparison of a prefix. */
bool util_prefix_ci(const char *s, const char *prefix);
/* Days from 1970-01-01 to the date y-m-d (proleptic Gregorian calendar). */
long long util_days_from_civil(long long y, int m, int d);
/* The date z days after 1970-01-01: y-m-d. */
void util_civil_from_days(long long z, long long *y, int *m, int *d);
/* The time t as an HTTP date (RFC 9110 IMF-fixdate, "Sun, 06 Nov 1994
 * 08:49:37 GMT") into out[30], in English whatever the locale. */
void util_http_date(long long t, char out[30]);
/* Reads an IMF-fixdate into *t (seconds since 1970); false for anything
 * else (the obsolete forms included: a client that sends them gets the
 * whole answer again, never a wrong 304). */
bool util_parse_http_date(const char *s, long long *t);

#endif
