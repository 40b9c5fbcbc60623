/* fuzz_iati.c — libFuzzer target: the input as an IATI activity file
 * through iati_parse (no database).  A parse either fails with a message
 * or gives activities whose texts are valid UTF-8, whose organisation
 * indexes are in range and whose codes are the ones the store knows; the
 * result, written out again (iati_write), must parse again without error,
 * to the same number of activities. */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iati.h"
#include "iati_parse.h"
#include "util.h"

static void check_text(const struct iati_text *t)
{
	for (int i = 0; i < IATI_NLANG; i++)
		if (t->t[i] && !util_valid_utf8(t->t[i], strlen(t->t[i])))
			abort();
}

static void check_org(const struct iati_doc *d, int k)
{
	if (k < -1 || k >= (int)d->norgs)
		abort();
}

static void check(const struct iati_doc *d)
{
	for (size_t i = 0; i < d->nacts; i++) {
		const struct iati_activity *a = &d->acts[i];
		check_text(&a->title);
		check_text(&a->desc);
		check_org(d, a->implementer);
		for (size_t k = 0; k < a->ndonors; k++)
			check_org(d, a->donors[k]);
		if (a->status < 1 || a->status > 6 || !iati_known_currency(a->currency))
			abort();
		for (size_t k = 0; k < a->ntxns; k++) {
			const struct iati_txn *t = &a->txns[k];
			if (!iati_txn_name(t->type) || !iati_known_currency(t->currency) || !util_valid_date(t->date))
				abort();
			check_org(d, t->provider);
			check_org(d, t->receiver);
			check_text(&t->desc);
		}
		for (size_t k = 0; k < a->nresults; k++)
			if (!iati_result_name(a->results[k].type))
				abort();
	}
	for (size_t i = 0; i < d->norgs; i++)
		check_text(&d->orgs[i].name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iati_doc d;
	bool ok = iati_parse((const char *)data, size, &d);
	if (!ok && !d.error)
		abort();
	if (ok) {
		check(&d);
		/* What was read, written out, reads back (the writer escapes
		 * whatever text the reader let through). */
		for (size_t i = 0; i < d.nacts; i++)
			if (!d.acts[i].identifier)
				d.acts[i].identifier = strdup("X");
		d.reporting.ref = strdup("XM-FUZZ");
		d.reporting.type = strdup("40");
		struct buf out = BUF_INIT;
		iati_write(&d, "2026-01-01T00:00:00Z", &out);
		struct iati_doc again;
		if (!iati_parse(out.data, out.len, &again) || again.nacts != d.nacts)
			abort();
		iati_doc_free(&again);
		buf_release(&out);
	}
	iati_doc_free(&d);
	return 0;
}
