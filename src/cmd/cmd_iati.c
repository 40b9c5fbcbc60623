/* cmd_iati.c — `suivi export iati [--published] [--out FILE]` and `suivi import iati FILE`
 * (iati_import.h says what the import does). */
#define _POSIX_C_SOURCE 200809L
#include "cmd_iati.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "domain.h"
#include "iati.h"
#include "iati_parse.h"
#include "iati_export.h"
#include "iati_import.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

int cmd_export_iati(struct opts *o)
{
	struct app app;
	if (cli_open_app(o, &app))
		return 1;
	/* every programme, unless --published asks for the public file's */
	struct query q;
	if (o->published)
		iati_published_query(&q);
	struct iati_doc d;
	enum app_err rc = iati_export_load(&app, o->published ? &q : NULL, &d);
	if (o->published)
		dom_query_release(&q);
	cli_close_app(&app);
	if (rc) {
		fprintf(stderr, "suivi: cannot read the programmes (%s)\n", err_message(rc));
		return 1;
	}
	char now[21];
	iati_now(now);
	struct buf out = BUF_INIT;
	d.note = o->published ? NULL : IATI_NOTE_ALL;
	iati_write(&d, now, &out);
	iati_doc_free(&d);
	FILE *f = o->out ? fopen(o->out, "wb") : stdout;
	int status = 0;
	if (!f || fwrite(out.data, 1, out.len, f) != out.len || (o->out ? fclose(f) : fflush(f))) {
		fprintf(stderr, "suivi: cannot write %s\n", o->out ? o->out : "standard output");
		status = 1;
	}
	buf_release(&out);
	return status;
}

int cmd_import_iati(struct opts *o)
{
	const char *path = o->pos[1];
	size_t n = 0;
	char *data = cli_slurp(path, &n);
	if (!data)
		return 1;
	struct iati_doc d;
	bool ok = iati_parse(data, n, &d);
	free(data);
	int status = 0;
	struct iati_counts c = { 0 };
	if (!ok) {
		fprintf(stderr, "%s:%ld: %s; nothing imported\n", path, d.error_line, d.error);
		status = 1;
	} else {
		struct app app;
		if (cli_open_app(o, &app)) {
			iati_doc_free(&d);
			return 1;
		}
		const char *base = strrchr(path, '/');
		char *source = xasprintf("IATI file %s", base ? base + 1 : path);
		enum app_err rc = iati_import(&app, &d, source, NULL, &c);
		free(source);
		cli_close_app(&app);
		if (rc) {
			fprintf(stderr, "suivi: the import failed (%s); nothing imported\n", err_message(rc));
			status = 1;
		}
	}
	for (size_t i = 0; i < d.nskips; i++)
		fprintf(stderr, "%s:%ld: left out: %s\n", path, d.skips[i].line, d.skips[i].msg);
	if (!status)
		printf("%zu activities read: %lld programmes created, %lld already there; %lld transactions, "
		       "%lld results and %lld organisations added; %zu things left out\n",
		       d.nacts, c.programmes, c.programmes_seen, c.transactions, c.results, c.organisations, d.nskips);
	iati_doc_free(&d);
	return status;
}
