/* netcurl.c — see netcurl.h. */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>

#include "lazy_oidc.h"
#include "netcurl.h"

#include <stdio.h>

#include "banned.h"

#ifndef SUIVI_VERSION
#define SUIVI_VERSION "0.0.0"
#endif

CURL *netcurl_start(const char *url, const char *protocols, long connect_seconds, long total_seconds, char *errbuf,
		    char error[256])
{
	const char *why;
	error[0] = errbuf[0] = 0;
	if (!lazylib_oidc(&why)) {
		snprintf(error, 256, "%s", why);
		return NULL;
	}
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(error, 256, "libcurl could not start");
		return NULL;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for the timeouts */
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, connect_seconds);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, total_seconds);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "suivi/" SUIVI_VERSION);
	return h;
}

void netcurl_error(char error[256], CURLcode cc, const char *errbuf)
{
	snprintf(error, 256, "%.90s%s%.150s", curl_easy_strerror(cc), errbuf[0] ? ": " : "", errbuf);
}
