/* webhook.c — see webhook.h. */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>

#include "lazy_oidc.h"
#include "netcurl.h"
#include "webhook.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "banned.h"

void webhook_new_secret(char out[WEBHOOK_SECRET_TEXT])
{
	unsigned char r[32];
	randombytes_buf(r, sizeof r);
	sodium_bin2base64(out, WEBHOOK_SECRET_TEXT, r, sizeof r, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool webhook_url_ok(const char *url, const char **why)
{
	size_t n = url ? strlen(url) : 0;
	const char *rest = n > 8 && strncasecmp(url, "https://", 8) == 0 ? url + 8
			 : n > 7 && strncasecmp(url, "http://", 7) == 0  ? url + 7
									 : NULL;
	if (!rest || !*rest || *rest == '/') {
		*why = N_("a webhook's address is an http:// or https:// address, such as https://example.org/hooks/suivi");
		return false;
	}
	for (const char *p = url; *p; p++)
		if (*p <= ' ' || *p > '~') {
			*why = N_("a webhook's address has no spaces and no letters outside ASCII (percent-encode them)");
			return false;
		}
	if (n > 500) {
		*why = N_("a webhook's address is at most 500 characters");
		return false;
	}
	return true;
}

void webhook_signature(const char *secret, long long t, const char *body, char out[100])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state s;
	char stamp[24];
	int n = snprintf(stamp, sizeof stamp, "%lld.", t);
	crypto_auth_hmacsha256_init(&s, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&s, (const unsigned char *)stamp, (unsigned long long)n);
	crypto_auth_hmacsha256_update(&s, (const unsigned char *)body, strlen(body));
	crypto_auth_hmacsha256_final(&s, mac);
	char hex[2 * sizeof mac + 1];
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	snprintf(out, 100, "t=%lld,sha256=%s", t, hex);
}

static size_t drop_answer(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * n;
}

enum app_err webhook_post(const char *url, const char *secret, const char *event, long long delivery,
			  const char *body, long long now, char error[256])
{
	char curl_error[CURL_ERROR_SIZE];
	CURL *h = netcurl_start(url, "http,https", 10L, 30L, curl_error, error);
	if (!h)
		return APP_UNAVAILABLE;
	char sig[100], line[160];
	webhook_signature(secret, now, body, sig);
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
	snprintf(line, sizeof line, "X-Suivi-Event: %.100s", event);
	headers = curl_slist_append(headers, line);
	snprintf(line, sizeof line, "X-Suivi-Delivery: %lld", delivery);
	headers = curl_slist_append(headers, line);
	snprintf(line, sizeof line, "X-Suivi-Signature: %s", sig);
	headers = curl_slist_append(headers, line);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, drop_answer);
	CURLcode cc = curl_easy_perform(h);
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(h);
	curl_slist_free_all(headers);
	if (cc == CURLE_OK && code >= 200 && code < 300)
		return APP_OK;
	if (cc == CURLE_OK)
		snprintf(error, 256, "the receiver answered HTTP %ld", code);
	else
		netcurl_error(error, cc, curl_error);
	return APP_UNAVAILABLE;
}
