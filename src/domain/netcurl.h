/* netcurl.h — what the messages' senders (smtp.c, webhook.c) set on every
 * libcurl transfer, once: libcurl loaded on first use (lazy_oidc.h), no
 * signals (threads), the protocols allowed, the timeouts, an error buffer,
 * suivi's User-Agent;
 * and the line a failure is told by.  Include after <curl/curl.h>. */
#ifndef SUIVI_NETCURL_H
#define SUIVI_NETCURL_H

/* A transfer to url (protocols: "smtp,smtps"), or NULL with error[256]
 * saying why.  errbuf: the caller's, CURL_ERROR_SIZE bytes. */
CURL *netcurl_start(const char *url, const char *protocols, long connect_seconds, long total_seconds, char *errbuf,
		    char error[256]);
/* The line of a failed transfer: libcurl's words and its buffer's. */
void netcurl_error(char error[256], CURLcode cc, const char *errbuf);

#endif
