/* lazylib.c — see lazylib.h. */
#define _POSIX_C_SOURCE 200809L
#define LAZYLIB_IMPL
#include "lazylib.h"

#include <dlfcn.h>
#include <pthread.h>

#include "lazy_pq.h"
#include "lazy_xml.h"
#include "banned.h"

#define LAZY_DEFINE(f) __typeof__(f) *lazy_##f;
LAZY_PQ_FUNCS(LAZY_DEFINE)
LAZY_XML_FUNCS(LAZY_DEFINE)
xmlFreeFunc *lazy_xmlFree;

/* Resolves one symbol into its pointer; counts what is missing. */
#define LAZY_RESOLVE(f) (lazy_##f = (__typeof__(lazy_##f))dlsym(h, #f)) ? (void)0 : (void)missing++;

/* The first of the names that opens (a soname, then the development
 * link), kept open for the life of the process. */
static void *open_first(const char *const *names)
{
	void *h = NULL;
	for (; *names && !h; names++)
		h = dlopen(*names, RTLD_NOW | RTLD_LOCAL);
	return h;
}

static const char *pq_error;
static pthread_once_t pq_once = PTHREAD_ONCE_INIT;

static void load_pq(void)
{
	static const char *const names[] = { "libpq.so.5", "libpq.so", NULL };
	void *h = open_first(names);
	int missing = 0;
	if (!h) {
		pq_error = "the PostgreSQL client library (libpq5) is not installed";
		return;
	}
	LAZY_PQ_FUNCS(LAZY_RESOLVE)
	if (missing)
		pq_error = "the PostgreSQL client library (libpq5) is too old for suivi";
}

bool lazylib_pq(const char **msg)
{
	pthread_once(&pq_once, load_pq);
	*msg = pq_error;
	return !pq_error;
}

static const char *xml_error;
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void load_xml(void)
{
	static const char *const names[] = { "libxml2.so.2", "libxml2.so", NULL };
	void *h = open_first(names);
	int missing = 0;
	if (!h) {
		xml_error = "the XML library (libxml2) is not installed";
		return;
	}
	LAZY_XML_FUNCS(LAZY_RESOLVE)
	lazy_xmlFree = (xmlFreeFunc *)dlsym(h, "xmlFree");
	if (missing || !lazy_xmlFree)
		xml_error = "the XML library (libxml2) is too old for suivi";
}

bool lazylib_xml(const char **msg)
{
	pthread_once(&xml_once, load_xml);
	*msg = xml_error;
	return !xml_error;
}
