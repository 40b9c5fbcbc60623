/* lazylib.h — libraries loaded when first needed (dlopen), not at start.
 *
 * libpq (the PostgreSQL backend) and libxml2 (the IATI import) bring in
 * some 4.5 MiB of shared objects — OpenSSL, Kerberos, LDAP, ICU, the C++
 * runtime — that a server on SQLite never runs; loaded at start, their
 * pages were a third of its resident memory.  Their functions are reached
 * through pointers typed from the libraries' own headers (__typeof__), so
 * the compiler checks every call as before: lazy_pq.h and lazy_xml.h name
 * them like the functions themselves.  A missing library or symbol is a
 * message, never a crash. */
#ifndef SUIVI_LAZYLIB_H
#define SUIVI_LAZYLIB_H
#include <stdbool.h>

/* Loads libpq once (thread-safe); false with *msg (static text) when it
 * cannot be had. */
bool lazylib_pq(const char **msg);
/* The same for libxml2. */
bool lazylib_xml(const char **msg);
/* The same for cairo, pango and libqrencode (lazy_pdf.h). */
bool lazylib_pdf(const char **msg);
/* The same for libcurl and cjose (lazy_oidc.h): the single sign-on. */
bool lazylib_oidc(const char **msg);

#endif
