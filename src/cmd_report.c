/* cmd_report.c — `suivi report followup`: the follow-up report of one
 * edition as a standalone HTML file (report.c writes it). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "report.h"
#include "util.h"

int cmd_report(struct opts *o)
{
	if (strcmp(o->pos[0], "followup") != 0)
		return usage_error("report knows one report, followup, not '%s'", o->pos[0]);
	long long id;
	if (!o->meeting)
		return usage_error("report followup needs --meeting ID%s", "");
	if (!util_parse_ll(o->meeting, &id) || id <= 0)
		return usage_error("--meeting takes a meeting number, not '%s'", o->meeting);
	enum lang lang = LANG_FR;
	if (o->lang && !lang_parse(o->lang, &lang))
		return usage_error("--lang takes fr, en or ar, not '%s'", o->lang);
	struct app app;
	if (open_app(o, &app))
		return 1;
	struct buf out = BUF_INIT;
	int rc = 0;
	enum app_err e = report_followup_document(&app, id, lang, &out);
	if (e == APP_NOT_FOUND) {
		fprintf(stderr, "suivi: there is no meeting %lld\n", id);
		rc = 1;
	} else if (e) {
		fprintf(stderr, "suivi: cannot read the follow-up of meeting %lld: %s\n", id, err_message(e));
		rc = 1;
	} else {
		FILE *f = o->out ? fopen(o->out, "wb") : stdout;
		if (!f || fwrite(out.data, 1, out.len, f) != out.len || (o->out ? fclose(f) : fflush(f))) {
			fprintf(stderr, "suivi: cannot write %s\n", o->out ? o->out : "standard output");
			rc = 1;
		}
	}
	buf_release(&out);
	close_app(&app);
	return rc;
}
