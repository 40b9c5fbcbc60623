/* lazylib.c — see lazylib.h. */
#define _POSIX_C_SOURCE 200809L
#define LAZYLIB_IMPL
#include "lazylib.h"

#include <dlfcn.h>
#include <pthread.h>

#include "lazy_oidc.h"
#include "lazy_pdf.h"
#include "lazy_pq.h"
#include "lazy_xml.h"
#include "banned.h"

#define LAZY_DEFINE(f) __typeof__(f) *lazy_##f;
LAZY_PQ_FUNCS(LAZY_DEFINE)
LAZY_XML_FUNCS(LAZY_DEFINE)
LAZY_PDF_FUNCS(LAZY_DEFINE)
LAZY_OIDC_FUNCS(LAZY_DEFINE)
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

/* A group of libraries loaded together, each symbol found in whichever
 * has it. */
struct group {
	const char *const (*libs)[3]; /* each: a soname, then the development link */
	size_t n;
	void *handles[5];
	const char *absent, *old;
	const char *error; /* once loaded: NULL, absent or old */
};

static void *group_symbol(const struct group *g, const char *name)
{
	void *p = NULL;
	for (size_t i = 0; i < g->n && !p; i++)
		p = dlsym(g->handles[i], name);
	return p;
}

/* Opens every library of g; false (g->error set) when one does not open. */
static bool group_open(struct group *g)
{
	for (size_t i = 0; i < g->n; i++)
		if (!(g->handles[i] = open_first(g->libs[i]))) {
			g->error = g->absent;
			return false;
		}
	return true;
}

#define LAZY_RESOLVE_IN_(g, f) (lazy_##f = (__typeof__(lazy_##f))group_symbol(g, #f)) ? (void)0 : (void)missing++;

/* The PDF group: cairo, pango (and gobject) and libqrencode. */
static const char *const pdf_libs[][3] = {
	{ "libcairo.so.2", "libcairo.so", NULL },
	{ "libgobject-2.0.so.0", "libgobject-2.0.so", NULL },
	{ "libpango-1.0.so.0", "libpango-1.0.so", NULL },
	{ "libpangocairo-1.0.so.0", "libpangocairo-1.0.so", NULL },
	{ "libqrencode.so.4", "libqrencode.so", NULL },
};
static struct group pdf = {
	.libs = pdf_libs, .n = sizeof pdf_libs / sizeof *pdf_libs,
	.absent = "the PDF libraries (cairo, pango, libqrencode) are not installed",
	.old = "the PDF libraries (cairo, pango, libqrencode) are too old for suivi",
};

static void load_pdf(void)
{
	if (!group_open(&pdf))
		return;
	int missing = 0;
#define LAZY_RESOLVE_PDF(f) LAZY_RESOLVE_IN_(&pdf, f)
	LAZY_PDF_FUNCS(LAZY_RESOLVE_PDF)
	if (missing)
		pdf.error = pdf.old;
}

/* The single sign-on group: libcurl (either TLS flavour) and cjose. */
static const char *const oidc_libs[][3] = {
	{ "libcurl-gnutls.so.4", "libcurl.so.4", NULL },
	{ "libcjose.so.0", "libcjose.so", NULL },
};
static struct group oidc = {
	.libs = oidc_libs, .n = sizeof oidc_libs / sizeof *oidc_libs,
	.absent = "the single sign-on libraries (libcurl, cjose) are not installed",
	.old = "the single sign-on libraries (libcurl, cjose) are too old for suivi",
};

static void load_oidc(void)
{
	if (!group_open(&oidc))
		return;
	int missing = 0;
#define LAZY_RESOLVE_OIDC(f) LAZY_RESOLVE_IN_(&oidc, f)
	LAZY_OIDC_FUNCS(LAZY_RESOLVE_OIDC)
	if (missing)
		oidc.error = oidc.old;
	else if (lazy_curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		oidc.error = "libcurl did not start";
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
	*msg = pdf.error;
	return !pdf.error;
}

static pthread_once_t oidc_once = PTHREAD_ONCE_INIT;

bool lazylib_oidc(const char **msg)
{
	pthread_once(&oidc_once, load_oidc);
	*msg = oidc.error;
	return !oidc.error;
}

bool lazylib_xml(const char **msg)
{
	pthread_once(&xml_once, load_xml);
	*msg = xml.error;
	return !xml.error;
}
