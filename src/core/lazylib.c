/* lazylib.c — see lazylib.h. */
#define _POSIX_C_SOURCE 200809L
#define LAZYLIB_IMPL
#include "lazylib.h"

#include <dlfcn.h>
#include <pthread.h>

#include "lazy_pdf.h"
#include "lazy_pq.h"
#include "lazy_xml.h"
#include "banned.h"

#define LAZY_DEFINE(f) __typeof__(f) *lazy_##f;
LAZY_PQ_FUNCS(LAZY_DEFINE)
LAZY_XML_FUNCS(LAZY_DEFINE)
LAZY_PDF_FUNCS(LAZY_DEFINE)
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

/* A library loaded on first use. */
struct lib {
	const char *const names[3]; /* a soname, then the development link */
	const char *absent, *old;   /* what is said when it does not open, when it lacks a symbol */
	int (*resolve)(void *h);    /* resolves its symbols; answers how many are missing */
	const char *error;          /* once loaded: NULL, absent or old */
};

static void load(struct lib *l)
{
	void *h = open_first(l->names);
	if (!h)
		l->error = l->absent;
	else if (l->resolve(h))
		l->error = l->old;
}

static int resolve_pq(void *h)
{
	int missing = 0;
	LAZY_PQ_FUNCS(LAZY_RESOLVE)
	return missing;
}

static int resolve_xml(void *h)
{
	int missing = 0;
	LAZY_XML_FUNCS(LAZY_RESOLVE)
	lazy_xmlFree = (xmlFreeFunc *)dlsym(h, "xmlFree");
	return missing + !lazy_xmlFree;
}

static struct lib pq = {
	.names = { "libpq.so.5", "libpq.so", NULL },
	.absent = "the PostgreSQL client library (libpq5) is not installed",
	.old = "the PostgreSQL client library (libpq5) is too old for suivi",
	.resolve = resolve_pq,
};
static struct lib xml = {
	.names = { "libxml2.so.2", "libxml2.so", NULL },
	.absent = "the XML library (libxml2) is not installed",
	.old = "the XML library (libxml2) is too old for suivi",
	.resolve = resolve_xml,
};

/* The PDF group: five libraries, each symbol found in whichever has it. */
static const char *const pdf_libs[][3] = {
	{ "libcairo.so.2", "libcairo.so", NULL },
	{ "libgobject-2.0.so.0", "libgobject-2.0.so", NULL },
	{ "libpango-1.0.so.0", "libpango-1.0.so", NULL },
	{ "libpangocairo-1.0.so.0", "libpangocairo-1.0.so", NULL },
	{ "libqrencode.so.4", "libqrencode.so", NULL },
};
#define PDF_LIBS (sizeof pdf_libs / sizeof *pdf_libs)
static void *pdf_handles[PDF_LIBS];
static const char *pdf_error;

static void *pdf_symbol(const char *name)
{
	void *p = NULL;
	for (size_t i = 0; i < PDF_LIBS && !p; i++)
		p = dlsym(pdf_handles[i], name);
	return p;
}

#define LAZY_RESOLVE_ANY(f) (lazy_##f = (__typeof__(lazy_##f))pdf_symbol(#f)) ? (void)0 : (void)missing++;

static void load_pdf(void)
{
	for (size_t i = 0; i < PDF_LIBS; i++)
		if (!(pdf_handles[i] = open_first(pdf_libs[i]))) {
			pdf_error = "the PDF libraries (cairo, pango, libqrencode) are not installed";
			return;
		}
	int missing = 0;
	LAZY_PDF_FUNCS(LAZY_RESOLVE_ANY)
	if (missing)
		pdf_error = "the PDF libraries (cairo, pango, libqrencode) are too old for suivi";
}

/* pthread_once's functions take nothing: one a library. */
static pthread_once_t pq_once = PTHREAD_ONCE_INIT, xml_once = PTHREAD_ONCE_INIT;
static void load_pq(void)
{
	load(&pq);
}
static void load_xml(void)
{
	load(&xml);
}

bool lazylib_pq(const char **msg)
{
	pthread_once(&pq_once, load_pq);
	*msg = pq.error;
	return !pq.error;
}

static pthread_once_t pdf_once = PTHREAD_ONCE_INIT;

bool lazylib_pdf(const char **msg)
{
	pthread_once(&pdf_once, load_pdf);
	*msg = pdf_error;
	return !pdf_error;
}

bool lazylib_xml(const char **msg)
{
	pthread_once(&xml_once, load_xml);
	*msg = xml.error;
	return !xml.error;
}
