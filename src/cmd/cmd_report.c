/* cmd_report.c — `suivi report followup|forum`: the follow-up report of
 * one edition (report.c writes it) or the report of a forum (forum_report.c)
 * as a standalone HTML file, or the follow-up report as PDF. */
#define _POSIX_C_SOURCE 200809L
#include "cmd_report.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "forum.h"
#include "followup_file.h"
#include "forum_report.h"
#include "report.h"
#include "util.h"
#include "banned.h"

int cmd_report(struct opts *o)
{
	bool forum = strcmp(o->pos[0], "forum") == 0;
	if (!forum && strcmp(o->pos[0], "followup") != 0)
		return cli_usage_error("report knows two reports, followup and forum, not '%s'", o->pos[0]);
	long long id;
	if (!o->meeting)
		return cli_usage_error("report %s needs --meeting ID", o->pos[0]);
	if (!util_parse_ll(o->meeting, &id) || id <= 0)
		return cli_usage_error("--meeting takes a meeting number, not '%s'", o->meeting);
	bool pdf = o->format && strcmp(o->format, "pdf") == 0, xlsx = o->format && strcmp(o->format, "xlsx") == 0;
	if (o->format && !pdf && !xlsx && strcmp(o->format, "html") != 0)
		return cli_usage_error("--format takes html, pdf or xlsx, not '%s'", o->format);
	enum lang lang = LANG_FR;
	if (o->lang && !lang_parse(o->lang, &lang))
		return cli_usage_error("--lang takes fr, en or ar, not '%s'", o->lang);
	struct app app;
	if (cli_open_app(o, &app))
		return 1;
	struct buf out = BUF_INIT;
	int rc = 0;
	enum rout_format format = pdf ? ROUT_PDF : ROUT_XLSX;
	enum app_err e = !pdf && !xlsx ? (forum ? forum_report_document(&app, id, lang, &out)
						: report_followup_document(&app, id, lang, &out))
			 : forum ? forum_report_file(&app, id, lang, NULL, format, &out)
				 : report_followup_file(&app, id, lang, NULL, format, &out);
	if (e == APP_NOT_FOUND) {
		fprintf(stderr, forum ? "suivi: there is no forum %lld\n" : "suivi: there is no meeting %lld\n", id);
		rc = 1;
	} else if (e) {
		fprintf(stderr, "suivi: cannot read the report of meeting %lld: %s\n", id, err_message(e));
		rc = 1;
	} else {
		FILE *f = o->out ? fopen(o->out, "wb") : stdout;
		if (!f || fwrite(out.data, 1, out.len, f) != out.len || (o->out ? fclose(f) : fflush(f))) {
			fprintf(stderr, "suivi: cannot write %s\n", o->out ? o->out : "standard output");
			rc = 1;
		}
	}
	buf_release(&out);
	cli_close_app(&app);
	return rc;
}
