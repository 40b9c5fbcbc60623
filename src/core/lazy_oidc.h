/* lazy_oidc.h — libcurl's and cjose's functions as the single sign-on
 * (oidc.c, jwt.c) calls them, loaded by lazylib_oidc() (lazylib.h): include
 * after <curl/curl.h> and <cjose/cjose.h>.  Most installations never sign
 * anyone in through a provider: libcurl (GnuTLS, nghttp2, libssh2, LDAP,
 * Kerberos …) and cjose (OpenSSL's libcrypto) stay out of the process
 * until someone does. */
#ifndef SUIVI_LAZY_OIDC_H
#define SUIVI_LAZY_OIDC_H
#include <cjose/cjose.h>
#include <curl/curl.h>

#include "lazylib.h"

#define LAZY_OIDC_FUNCS(X)                                                                     \
	X(curl_easy_cleanup) X(curl_easy_getinfo) X(curl_easy_init) X(curl_easy_perform)      \
	X(curl_easy_setopt) X(curl_easy_strerror) X(curl_global_init) X(curl_slist_append)    \
	X(curl_slist_free_all) X(cjose_jwk_get_kty) X(cjose_jwk_import_json) X(cjose_jwk_release) \
	X(cjose_jws_get_plaintext) X(cjose_jws_get_protected) X(cjose_jws_import)             \
	X(cjose_jws_release) X(cjose_jws_verify)

#define LAZY_DECLARE(f) extern __typeof__(f) *lazy_##f;
LAZY_OIDC_FUNCS(LAZY_DECLARE)

#ifndef LAZYLIB_IMPL
/* curl.h defines curl_easy_setopt and curl_easy_getinfo as macros that check
 * their arguments' types; the calls then go to the pointers. */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_easy_cleanup lazy_curl_easy_cleanup
#define curl_easy_getinfo lazy_curl_easy_getinfo
#define curl_easy_init lazy_curl_easy_init
#define curl_easy_perform lazy_curl_easy_perform
#define curl_easy_setopt lazy_curl_easy_setopt
#define curl_easy_strerror lazy_curl_easy_strerror
#define curl_global_init lazy_curl_global_init
#define curl_slist_append lazy_curl_slist_append
#define curl_slist_free_all lazy_curl_slist_free_all
#define cjose_jwk_get_kty lazy_cjose_jwk_get_kty
#define cjose_jwk_import_json lazy_cjose_jwk_import_json
#define cjose_jwk_release lazy_cjose_jwk_release
#define cjose_jws_get_plaintext lazy_cjose_jws_get_plaintext
#define cjose_jws_get_protected lazy_cjose_jws_get_protected
#define cjose_jws_import lazy_cjose_jws_import
#define cjose_jws_release lazy_cjose_jws_release
#define cjose_jws_verify lazy_cjose_jws_verify
#endif

#endif
