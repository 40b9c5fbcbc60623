/* cmd_notify.c — see cmd_notify.h. */
#define _POSIX_C_SOURCE 200809L
#include "cmd_notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "certificate_pdf.h"
#include "store_notify.h"
#include "util.h"
#include "banned.h"

int cmd_notify_config(const struct opts *o, struct app *app, struct notify_config *cfg, bool *wanted)
{
	*cfg = (struct notify_config){ .smtp = o->smtp, .from = o->mail_from, .public_url = o->oidc.public_url,
				       .key_file = app->key_file, .certificate_pdf = certificate_pdf_for_mail,
				       .certificate_ctx = app };
	*wanted = o->smtp || o->mail_from;
	const char *why = *wanted ? notify_config_problem(cfg) : NULL;
	return why ? cli_usage_error("%s", why) : 0;
}

static void when(long long t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm);
}

static enum app_err print_problem(void *ctx, const struct outbox_problem *p)
{
	(void)ctx;
	char at[32], next[32];
	when(p->created_at, at);
	when(p->next_at, next);
	printf("  #%-6lld %s  %-12s %s  %lld tries  %s%s%s\n", p->id, at, p->template, p->recipient, p->tries,
	       p->given_up_at ? "given up" : "next try ", p->given_up_at ? "" : next, "");
	if (p->last_error)
		printf("           %s\n", p->last_error);
	return APP_OK;
}

static int status(struct app *app)
{
	struct outbox_counts n;
	if (store_outbox_counts(app->store, &n)) {
		fprintf(stderr, "suivi: cannot read the outbox\n");
		return 1;
	}
	printf("suivi: outbox: %lld waiting, %lld to try again, %lld sent, %lld given up\n", n.waiting, n.retrying,
	       n.sent, n.given_up);
	if (n.retrying + n.given_up && store_outbox_problems(app->store, 50, print_problem, NULL)) {
		fprintf(stderr, "suivi: cannot read the outbox\n");
		return 1;
	}
	return 0;
}

/* One round, as the server's sender does each minute: what is due queued,
 * then everything due delivered. */
static int run(struct app *app, const struct notify_config *cfg)
{
	long long now = time(NULL), queued = 0;
	/* the tests' clock: a run "a week later" (seconds since the epoch) */
	const char *clock = getenv("SUIVI_NOTIFY_NOW");
	if (clock && *clock && !util_parse_ll(clock, &now))
		return cli_usage_error("SUIVI_NOTIFY_NOW takes seconds since 1970, not '%s'", clock);
	struct notify_outcome all;
	if (notify_schedule(app->store, now, &queued)) {
		fprintf(stderr, "suivi: the reminders and digests could not be queued\n");
		return 1;
	}
	if (notify_deliver(app->store, cfg, now, &all)) {
		fprintf(stderr, "suivi: the outbox could not be read or written\n");
		return 1;
	}
	printf("suivi: %lld reminders and digests queued; %lld messages sent, %lld to try again, %lld given up\n", queued,
	       all.sent, all.failed, all.given_up);
	return 0;
}

int cmd_notify(struct opts *o)
{
	bool is_run = strcmp(o->pos[0], "run") == 0;
	if (!is_run && strcmp(o->pos[0], "status") != 0)
		return cli_usage_error("notify knows run and status, not '%s'", o->pos[0]);
	if (is_run && !o->smtp)
		return cli_usage_error("notify run needs the relay: --smtp smtp://HOST:PORT%s", "");
	struct app app;
	if (cli_open_app(o, &app))
		return 1;
	struct notify_config cfg;
	bool wanted;
	int rc = cmd_notify_config(o, &app, &cfg, &wanted);
	if (!rc)
		rc = is_run ? run(&app, &cfg) : status(&app);
	cli_close_app(&app);
	return rc;
}
