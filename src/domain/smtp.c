/* smtp.c — see smtp.h. */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>

#include "lazy_oidc.h"
#include "netcurl.h"
#include "smtp.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "banned.h"

bool smtp_url_ok(const char *url, const char **why)
{
	const char *rest = NULL;
	if (url && strncasecmp(url, "smtp://", 7) == 0)
		rest = url + 7;
	else if (url && strncasecmp(url, "smtps://", 8) == 0)
		rest = url + 8;
	if (!rest) {
		*why = "the relay is an smtp:// or smtps:// address";
		return false;
	}
	const char *at = strrchr(rest, '@');
	const char *host = at ? at + 1 : rest;
	if (!*host || *host == ':' || *host == '/') {
		*why = "the relay's address names no host";
		return false;
	}
	return true;
}

/* Is the relay on this machine (a password may then go in the clear)? */
static bool loopback(const char *url)
{
	const char *rest = strstr(url, "://") + 3;
	const char *at = strrchr(rest, '@');
	const char *host = at ? at + 1 : rest;
	return strncmp(host, "127.", 4) == 0 || strncmp(host, "localhost", 9) == 0 || strncmp(host, "[::1]", 5) == 0;
}

struct reader {
	const char *p;
	size_t left;
};

static size_t read_message(char *dst, size_t size, size_t n, void *ctx)
{
	struct reader *r = ctx;
	size_t want = size * n, take = r->left < want ? r->left : want;
	memcpy(dst, r->p, take);
	r->p += take;
	r->left -= take;
	return take;
}

/* The relay's last answer line ("451 4.3.0 try later"), printable only:
 * what the administrators are shown of a failure. */
struct last_reply {
	char line[160];
};

static int keep_reply(CURL *h, curl_infotype type, char *data, size_t n, void *ctx)
{
	(void)h;
	struct last_reply *r = ctx;
	if (type != CURLINFO_HEADER_IN)
		return 0;
	size_t k = 0;
	for (size_t i = 0; i < n && k < sizeof r->line - 1 && data[i] != '\r' && data[i] != '\n'; i++)
		r->line[k++] = data[i] >= ' ' && data[i] <= '~' ? data[i] : '?';
	r->line[k] = 0;
	return 0;
}

enum app_err smtp_send(const char *url, const char *from, const char *to, const char *message, char error[256])
{
	const char *why;
	error[0] = 0;
	if (!smtp_url_ok(url, &why)) {
		snprintf(error, 256, "%s", why);
		return APP_UNAVAILABLE;
	}
	char curl_error[CURL_ERROR_SIZE];
	CURL *h = netcurl_start(url, "smtp,smtps", 10L, 60L, curl_error, error);
	if (!h)
		return APP_UNAVAILABLE;
	char from_angle[300], to_angle[300];
	snprintf(from_angle, sizeof from_angle, "<%s>", from);
	snprintf(to_angle, sizeof to_angle, "<%s>", to);
	struct curl_slist *rcpt = curl_slist_append(NULL, to_angle);
	struct reader r = { message, strlen(message) };
	bool has_password = strchr(strstr(url, "://") + 3, '@') != NULL;
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)(has_password && !loopback(url) ? CURLUSESSL_ALL : CURLUSESSL_TRY));
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from_angle);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(h, CURLOPT_READDATA, &r);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	struct last_reply reply = { "" };
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, keep_reply);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, &reply);
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L); /* to the function above, not to stderr */
	CURLcode cc = curl_easy_perform(h);
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(h);
	curl_slist_free_all(rcpt);
	if (cc == CURLE_OK)
		return APP_OK;
	if (code && reply.line[0])
		snprintf(error, 256, "the relay answered: %s", reply.line);
	else
		netcurl_error(error, cc, curl_error);
	/* 550–554: the relay refuses this recipient or message for good;
	 * anything else (a wrong password, a relay down, a full queue) may
	 * pass once someone mends it */
	return code >= 550 && code <= 554 ? APP_INVALID : APP_UNAVAILABLE;
}
