/* util.c — see util.h. */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "banned.h"

/* The value of the n digits at s, or -1 when one of them is no digit. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool util_parse_ymd(const char *s, int *y, int *m, int *d)
{
	if (!s || strnlen(s, 10) < 10 || s[4] != '-' || s[7] != '-')
		return false;
	*y = digits(s, 4);
	*m = digits(s + 5, 2);
	*d = digits(s + 8, 2);
	return *y >= 0 && *m >= 0 && *d >= 0;
}

bool util_valid_date(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;
	if (strlen(s) != 10 || !util_parse_ymd(s, &y, &m, &d))
		return false;
	if (y < 1000 || m < 1 || m > 12 || d < 1)
		return false;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int max = mdays[m - 1] + (m == 2 && leap);
	return d <= max;
}

bool util_valid_utf8(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t len;
		unsigned cp;
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2, cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3, cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4, cp = c & 0x07;
		} else {
			return false;
		}
		if (i + len > n)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += len;
	}
	return true;
}

size_t util_utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

bool util_parse_ll(const char *s, long long *out)
{
	if (!s || !*s || isspace((unsigned char)*s) || *s == '+')
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

void util_today(char out[11])
{
	/* Asked by every answer from the cache: formatted again only when the
	 * day (UTC; POSIX time has 86400 seconds a day) has changed since this
	 * thread last asked. */
	static _Thread_local long long day = -1;
	static _Thread_local char text[11];
	time_t t = time(NULL);
	if (t / 86400 != day) {
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(text, sizeof text, "%Y-%m-%d", &tm);
		day = t / 86400;
	}
	memcpy(out, text, sizeof text);
}

void util_now(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

size_t util_utf8_prefix(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

bool util_local_path(const char *s)
{
	if (!s || s[0] != '/')
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return false;
	/* after dropping nothing (no control characters remain), "//" is a host */
	return s[1] != '/';
}

bool util_prefix_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static const char *const wdays[7] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" }; /* from 1970-01-01 */
static const char *const months[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* (H. Hinnant's days_from_civil, and civil_from_days back) */
long long util_days_from_civil(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void util_civil_from_days(long long z, long long *y, int *m, int *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

void util_http_date(long long t, char out[30])
{
	long long days = t >= 0 ? t / 86400 : (t - 86399) / 86400, secs = t - days * 86400, y;
	int m, d;
	util_civil_from_days(days, &y, &m, &d);
	/* (unsigned and reduced: the compiler then sees that each fits its digits) */
	unsigned year = (unsigned)(y < 0 ? 0 : y > 9999 ? 9999 : y), s = (unsigned)secs;
	snprintf(out, 30, "%s, %02u %s %04u %02u:%02u:%02u GMT", wdays[((days % 7) + 7) % 7], (unsigned)d % 100,
		 months[m - 1], year % 10000, s / 3600 % 100, s / 60 % 60, s % 60);
}

bool util_parse_http_date(const char *s, long long *t)
{
	char wday[4], mon[4];
	int d, y, hh, mm, ss, n = 0;
	if (!s || strlen(s) != 29 ||
	    sscanf(s, "%3s, %2d %3s %4d %2d:%2d:%2d GMT%n", wday, &d, mon, &y, &hh, &mm, &ss, &n) != 7 || n != 29)
		return false;
	int m = 0;
	while (m < 12 && strcmp(mon, months[m]) != 0)
		m++;
	if (m == 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60)
		return false;
	*t = util_days_from_civil(y, m + 1, d) * 86400 + hh * 3600 + mm * 60 + ss;
	return true;
}

/* The length of the white-space character at s (UTF-8), or 0 when s starts
 * with anything else: U+0009–000D, U+0020, U+0085, U+00A0, U+1680,
 * U+2000–200B, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF. */
static size_t space_at(const unsigned char *s)
{
	if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		return 1;
	if (s[0] == 0xC2 && (s[1] == 0x85 || s[1] == 0xA0))
		return 2;
	if (s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80)
		return 3;
	if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] <= 0x8B || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
		return 3;
	if (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
		return 3;
	if ((s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) || (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF))
		return 3;
	return 0;
}

bool util_blank(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t n; *p; p += n)
		if (!(n = space_at(p)))
			return false;
	return true;
}

bool util_parse_flag(const char *v, bool *out)
{
	*out = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	return !v || *out || strcmp(v, "0") == 0 || strcmp(v, "false") == 0;
}

bool util_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

size_t util_utf8_chars(const char *s, size_t max_chars)
{
	size_t chars = 0, i = 0;
	for (; s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max_chars)
			break;
	return i;
}
