/* cmd_import.c — `suivi import needs FILE.csv`: needs assessments from a
 * spreadsheet's CSV export (import.c), all or nothing, with every bad row
 * reported on stderr as FILE:LINE: and a progress bar when stderr is a
 * terminal. */
#define _POSIX_C_SOURCE 200809L
#include "cmd_import.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_iati.h"
#include "csvin.h"
#include "imports.h"
#include "xlsxin.h"
#include "banned.h"

struct progress {
	bool tty;
	bool shown;
	unsigned long long size; /* 0: unknown (a pipe) */
	struct timespec last;
};

static double since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Redraws the bar at most ten times a second. */
static void on_progress(void *ctx, unsigned long long bytes, long long rows)
{
	struct progress *p = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!p->tty || (p->shown && since(&p->last, &now) < 0.1))
		return;
	p->last = now;
	p->shown = true;
	if (p->size) {
		int pct = (int)(bytes * 100 / p->size);
		char bar[31];
		int fill = pct * 30 / 100;
		for (int i = 0; i < 30; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[30] = '\0';
		fprintf(stderr, "\rimporting [%s] %3d%% %lld rows", bar, pct, rows);
	} else {
		fprintf(stderr, "\rimporting: %lld rows", rows);
	}
	fflush(stderr);
}

static void clear_bar(struct progress *p)
{
	if (p->shown)
		fprintf(stderr, "\r\033[K");
	p->shown = false;
}

struct errs {
	const char *file;
	struct progress *bar;
};

static void on_error(void *ctx, const struct import_err *e)
{
	struct errs *x = ctx;
	clear_bar(x->bar);
	struct buf m = BUF_INIT;
	import_message(e, LANG_EN, &m);
	struct buf place = BUF_INIT;
	import_place(e, &place);
	fprintf(stderr, "%s:%s: ", x->file, buf_cstr(&place));
	buf_release(&place);
	if (e->column && e->field && strcmp(e->column, e->field) != 0)
		fprintf(stderr, "%s (%s) ", e->column, e->field);
	else if (e->column || e->field)
		fprintf(stderr, "%s ", e->column ? e->column : e->field);
	fprintf(stderr, "%s\n", buf_cstr(&m));
	buf_release(&m);
}

/* What an import did (or, in a dry run, would do), on standard output. */
static void print_outcome(const char *file, const char *what, const struct import_result *res, bool dry)
{
	if (dry)
		printf("suivi: %s: dry run, nothing written: %lld %s would be created, %lld updated, %lld unchanged\n",
		       file, res->rows, what, res->updated, res->unchanged);
	else if (res->updated || res->unchanged)
		printf("suivi: %s: %lld %s created, %lld updated, %lld unchanged\n", file, res->rows, what,
		       res->updated, res->unchanged);
	else
		printf("suivi: %s: %lld %s imported\n", file, res->rows, what);
}

/* The reader of f: CSV, streamed; or, when it starts as a ZIP archive
 * does, an Excel workbook, read whole into *bytes (its directory is at its
 * end).  A file whose first byte is 'P' is read whole to tell. */
static struct csvin *open_table(FILE *f, const char *sheet, struct buf *bytes)
{
	int c = getc(f);
	if (c != EOF)
		ungetc(c, f);
	if (c != 'P')
		return csvin_new_file(f, NULL);
	if (!buf_add_file(bytes, f)) {
		struct csvin *r = csvin_new_mem("", 0, NULL);
		csvin_fail(r, 1, "the file cannot be read");
		return r;
	}
	return xlsxin_or_csv(bytes->data, bytes->len, sheet, NULL);
}

int cmd_import(struct opts *o)
{
	if (strcmp(o->pos[0], "iati") == 0)
		return cmd_import_iati(o); /* cmd_iati.c */
	const struct entity *e = ent_by_plural(o->pos[0]);
	if (!e || !import_may_collection(e))
		return cli_usage_error("import knows needs, participants, enrolments and the collections "
				       "(actions, persons, ...), not '%s'", o->pos[0]);
	const char *path = o->pos[1];
	bool std = strcmp(path, "-") == 0;
	FILE *f = std ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "suivi: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	struct progress bar = { .tty = isatty(STDERR_FILENO) == 1 };
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode))
		bar.size = (unsigned long long)st.st_size;
	struct app app;
	if (cli_open_app(o, &app)) {
		if (!std)
			fclose(f);
		return 1;
	}
	const char *base = strrchr(path, '/');
	struct errs ex = { .file = std ? "stdin" : path, .bar = &bar };
	struct import_opts io = {
		.name = std ? "stdin" : base ? base + 1 : path,
		.on_error = on_error, .err_ctx = &ex,
		.progress = on_progress, .progress_ctx = &bar,
		.dry_run = o->dry_run,
	};
	struct buf bytes = BUF_INIT;
	struct csvin *in = open_table(f, o->sheet, &bytes);
	struct import_result res = { 0 };
	struct timport_result tres = { 0 };
	enum app_err rc = import_any(&app, e, in, &io, &res, &tres);
	clear_bar(&bar);
	csvin_free(in);
	buf_release(&bytes);
	if (!std)
		fclose(f);
	cli_close_app(&app);
	if (rc == APP_INVALID) {
		fprintf(stderr, "suivi: %s: nothing imported: %lld problem%s in %lld of %lld rows\n",
			ex.file, res.errors, res.errors == 1 ? "" : "s", res.bad_rows, res.checked);
		return 1;
	}
	if (rc) {
		fprintf(stderr, "suivi: %s: nothing imported: %s\n", ex.file, err_message(rc));
		return 1;
	}
	if (e == ENT(PARTICIPANT) && !o->dry_run && !res.updated && !res.unchanged)
		printf("suivi: %s: %lld participants imported; %lld rows were participants already there "
		       "(same name, country and date of birth or document number); %lld likely duplicates to "
		       "review at /participants/duplicates\n", ex.file, res.rows, tres.matched, tres.likely);
	else
		print_outcome(ex.file, strcmp(o->pos[0], "needs") == 0 ? "needs assessments" : o->pos[0], &res,
			      o->dry_run);
	return 0;
}
