/* main.c — the suivi command line: one row per command in `commands`
 * (as git.c does), each with its usage text and its function. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "auth.h"
#include "cli.h"
#include "cmd_iati.h"
#include "cmd_notify.h"
#include "cmd_import.h"
#include "cmd_report.h"
#include "cmd_seal.h"
#include "cmd_training.h"
#include "cmd_user.h"
#include "csv.h"
#include "xlsx_export.h"
#include "db.h"
#include "domain.h"
#include "entity.h"
#include "i18n.h"
#include "load.h"
#include "oidc.h"
#include "registry.h"
#include "routes.h"
#include "server.h"
#include "store.h"
#include "store_tsum.h"
#include "util.h"
#include "xalloc.h"
#include "banned.h"

#ifndef SUIVI_VERSION
#define SUIVI_VERSION "0.0.0"
#endif

struct command {
	const char *name;
	const char *usage;
	const char *help;
	const char *allowed; /* options it takes: "dpoft" = --db --port (and --bind) --out --from --to */
	int min_pos, max_pos;
	int (*run)(struct opts *o);
};

static int load_reference(struct app *app)
{
	static const char *const files[] = { "data/countries.json", "data/themes.json" };
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		long long added = 0;
		if (load_asset(app, files[i], &added))
			return 1;
		if (added)
			printf("suivi: %s: %lld records added\n", files[i], added);
	}
	return 0;
}

/* What init and demo begin with: the database opened (created when
 * missing), its reference data and its first admin.  Not 0 when something
 * failed, and then app is closed. */
static int init_app(struct opts *o, struct app *app)
{
	if (cli_open_new_app(o, app))
		return 1;
	int rc = load_reference(app);
	if (!rc)
		rc = cmd_user_first_admin(app);
	if (rc)
		cli_close_app(app);
	return rc;
}

static int cmd_init(struct opts *o)
{
	struct app app;
	int rc = init_app(o, &app);
	if (rc)
		return rc;
	printf("suivi: database ready (schema version %d)\n", store_schema_version(app.store));
	cli_close_app(&app);
	return 0;
}

/* The demo's data files in the order they load, each with what is said of
 * it (%lld: the records added): needs before programmes (which answer some
 * of them), programmes before training (sessions are delivered under a
 * programme). */
static const struct {
	const char *file;
	const char *said;
} demo_files[] = {
	{ "data/demo.json", "suivi: demo data: %lld records added (values the communiqué does not give "
			    "are marked sample)\n" },
	{ "data/demo-needs.json", "suivi: sample needs assessments: %lld records added (generated, not real "
				  "assessments)\n" },
	{ "data/demo-programmes.json", "suivi: sample programmes, funding, results and forum ratings: %lld records "
				       "added (fictitious donors, invented figures)\n" },
	{ "data/demo-training.json", "suivi: sample training records: %lld added (fictitious people and sample "
				     "scores)\n" },
};

static int cmd_demo(struct opts *o)
{
	struct app app;
	int rc = init_app(o, &app);
	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < sizeof demo_files / sizeof *demo_files; i++) {
		long long added = 0;
		if (load_asset(&app, demo_files[i].file, &added))
			rc = 1;
		else
			printf(demo_files[i].said, added);
	}
	if (!rc) /* enough for every dashboard and report: cmd_training.c */
		rc = cmd_training_demo_set(&app);
	long long scale = 0;
	if (!rc && o->scale && (!util_parse_ll(o->scale, &scale) || scale < 1 || scale > 100000000))
		rc = cli_usage_error("--scale takes a number of participants, not '%s'", o->scale);
	if (!rc && scale) /* generated participants and enrolments: cmd_training.c */
		rc = cmd_training_demo(&app, scale);
	cli_close_app(&app);
	return rc;
}

/* Splits a comma-separated list in place into a NULL-terminated array of
 * at most max - 1 items; false when there are more. */
static bool split_list(char *s, const char **out, int max)
{
	int n = 0;
	for (char *save = NULL, *t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (n == max - 1)
			return false;
		out[n++] = t;
	}
	out[n] = NULL;
	return true;
}

/* A whole number from lo to hi of option `name` (default def when absent)
 * into *out; false with a message otherwise. */
static bool option_number(const char *v, const char *name, long long lo, long long hi, unsigned def,
			  unsigned *out)
{
	long long n = def;
	if (v && (!util_parse_ll(v, &n) || n < lo || n > hi)) {
		fprintf(stderr, "suivi: %s takes a number from %lld to %lld, not '%s'\n", name, lo, hi, v);
		return false;
	}
	*out = (unsigned)n;
	return true;
}

/* Serves; with a mail relay, the sender runs beside (notify.h). */
static int serve_and_send(struct app *app, const struct server_options *so, const struct notify_config *mail)
{
	struct notify_sender *sender = NULL;
	app->notify = mail;
	if (mail && !(sender = notify_sender_start(app->store, mail))) {
		fprintf(stderr, "suivi: the sender of messages could not start\n");
		return 1;
	}
	int rc = server_run(app, so);
	notify_sender_stop(sender);
	app->notify = NULL;
	return rc;
}

static int cmd_serve(struct opts *o)
{
	/* Behind --behind-tls without --trusted-proxy: the proxy on this machine. */
	static const char *const loopback[] = { "127.0.0.1", "::1", NULL };
	const char *proxies[17];
	char *list = o->proxy ? xstrdup(o->proxy) : NULL;
	struct server_options so = {
		.bind = o->bind ? o->bind : "127.0.0.1", .port = o->port,
		.tls_cert = o->tls_cert, .tls_key = o->tls_key,
		.proxies = list ? proxies : o->behind_tls ? loopback : NULL,
	};
	int rc = 1;
	struct app app;
	if (list && !split_list(list, proxies, 17))
		rc = cli_usage_error("--trusted-proxy takes at most 16 addresses%s", "");
	else if (option_number(o->per_client, "--per-client", 1, 100000, PER_CLIENT_DEFAULT, &so.per_client) &&
		 option_number(o->head_deadline, "--head-deadline", 1, 3600, HEAD_DEADLINE_DEFAULT,
			       &so.head_deadline) &&
		 !cli_open_app(o, &app)) {
		app.tls = o->tls_cert || o->behind_tls;
		struct notify_config mail;
		bool sends = false;
		if (cmd_notify_config(o, &app, &mail, &sends))
			rc = EXIT_USAGE;
		else if (oidc_configure(&o->oidc, &app.oidc))
			rc = 1;
		else
			rc = serve_and_send(&app, &so, sends ? &mail : NULL);
		oidc_free(app.oidc);
		app.oidc = NULL;
		cli_close_app(&app);
	}
	free(list);
	return rc;
}

static int cmd_export(struct opts *o)
{
	if (strcmp(o->pos[0], "iati") == 0 && o->npos == 1)
		return cmd_export_iati(o);
	bool xlsx = strcmp(o->pos[0], "xlsx") == 0;
	if (strcmp(o->pos[0], "csv") != 0 && !xlsx)
		return cli_usage_error("export knows csv, xlsx and iati, not '%s'", o->pos[0]);
	if (o->published)
		return cli_usage_error("--published goes with export iati%s", "");
	if (o->npos < 2)
		return cli_usage_error("export csv and xlsx need a collection%s", "");
	const struct entity *e = ent_by_plural(o->pos[1]);
	if (!e)
		return cli_usage_error("no collection named '%s'", o->pos[1]);
	enum lang lang = LANG_FR; /* the labels' language: the interface's first */
	if (o->lang && !lang_parse(o->lang, &lang))
		return cli_usage_error("--lang takes fr, en or ar, not '%s'", o->lang);
	struct app app;
	if (cli_open_app(o, &app))
		return 1;
	/* The command line reads the database file itself: it sees everything. */
	struct query q = { .e = e, .limit = -1, .viewer = ROLE_ADMIN };
	struct buf out = BUF_INIT;
	int rc = 0;
	if (xlsx && o->out) { /* straight to the file: its rows are not held in memory */
		rc = xlsx_export_file(app.store, &q, lang, o->hxl, o->out) ? 1 : 0;
		if (rc)
			fprintf(stderr, "suivi: cannot write %s from the database to %s\n", e->plural, o->out);
	} else if (xlsx ? xlsx_export(app.store, &q, lang, o->hxl, &out) : csv_export(app.store, &q, lang, o->hxl, &out)) {
		fprintf(stderr, "suivi: cannot read %s from the database\n", e->plural);
		rc = 1;
	} else {
		FILE *f = o->out ? fopen(o->out, "wb") : stdout;
		if (!f || fwrite(out.data, 1, out.len, f) != out.len || (o->out && fclose(f))) {
			fprintf(stderr, "suivi: cannot write %s\n", o->out ? o->out : "standard output");
			rc = 1;
		}
	}
	buf_release(&out);
	cli_close_app(&app);
	return rc;
}

/* Opens the store at url (no fallback to SUIVI_DB: copy names both ends);
 * the target of a copy may be made, its source must be there. */
static int open_url(const char *url, bool create, struct app *app)
{
	struct opts o = { .db = url };
	return (create ? cli_open_new_app : cli_open_app)(&o, app);
}

static int copy_all(struct app *from, struct app *to)
{
	for (size_t i = 0; i < entities_count; i++) {
		long long n = 0;
		if (store_count(to->store, entities[i], &n) || n) {
			fprintf(stderr, "suivi: the target already holds %s; copy needs an empty "
					"database (just created, or new)\n", entities[i]->plural);
			return 1;
		}
	}
	if (store_begin(to->store))
		return 1;
	for (size_t i = 0; i < 2 * entities_count; i++) {
		long long rows = 0;
		const struct entity *e = entities[i % entities_count];
		enum app_err rc = i < entities_count ? store_copy_entity(from->store, to->store, e, &rows)
						     : store_copy_links(from->store, to->store, e, &rows);
		if (rc) {
			fprintf(stderr, "suivi: copying %s failed (%s); the target is unchanged\n",
				e->plural, err_message(rc));
			store_rollback(to->store);
			return 1;
		}
		if (isatty(STDERR_FILENO))
			fprintf(stderr, "\rsuivi: copied %-16s %lld   ", e->plural, rows);
	}
	long long accounts = 0;
	if (store_copy_accounts(from->store, to->store, &accounts)) {
		fprintf(stderr, "suivi: copying the accounts failed; the target is unchanged\n");
		store_rollback(to->store);
		return 1;
	}
	/* what is not a registry column: the training summaries and the
	 * participants' match keys (store_training.h) */
	if (store_tsum_rebuild(to->store) || store_tsum_rekey(to->store)) {
		fprintf(stderr, "suivi: the training summaries could not be rebuilt; the target is unchanged\n");
		store_rollback(to->store);
		return 1;
	}
	if (isatty(STDERR_FILENO))
		fputc('\n', stderr);
	printf("suivi: %lld accounts and API tokens copied (sessions are not: sign in again)\n", accounts);
	if (store_commit(to->store)) {
		fprintf(stderr, "suivi: the copy could not be committed; the target is unchanged\n");
		return 1;
	}
	return 0;
}

/* Compares every collection on both sides, record by record. */
static int verify_copy(struct app *from, struct app *to)
{
	long long total = 0;
	for (size_t i = 0; i < entities_count; i++) {
		unsigned long long h1, h2;
		long long n1, n2;
		if (store_fingerprint(from->store, entities[i], &h1, &n1) ||
		    store_fingerprint(to->store, entities[i], &h2, &n2)) {
			fprintf(stderr, "suivi: cannot read %s to verify the copy\n", entities[i]->plural);
			return 1;
		}
		if (n1 != n2 || h1 != h2) {
			fprintf(stderr, "suivi: %s differ after the copy (%lld records, then %lld)\n",
				entities[i]->plural, n1, n2);
			return 1;
		}
		printf("suivi: %-16s %lld records, identical\n", entities[i]->plural, n1);
		total += n1;
	}
	printf("suivi: copy verified: %lld records in %zu collections are identical on both sides\n",
	       total, entities_count);
	return 0;
}

static int cmd_copy(struct opts *o)
{
	if (!o->from || !o->to)
		return cli_usage_error("copy needs --from and --to%s", "");
	struct app from, to;
	if (open_url(o->from, false, &from))
		return 1;
	if (open_url(o->to, true, &to)) {
		cli_close_app(&from);
		return 1;
	}
	int rc = copy_all(&from, &to);
	if (!rc)
		rc = verify_copy(&from, &to);
	cli_close_app(&to);
	cli_close_app(&from);
	return rc;
}

struct audit_ctx {
	const char *since;
	long long shown;
};

static enum app_err audit_line(void *ctx, const struct row *row)
{
	struct audit_ctx *a = ctx;
#define COL(F) row_text(row, FLD(AUDIT, F)->col)
	if (a->since && strcmp(COL(AT), a->since) < 0)
		return APP_OK;
	printf("%s  %-20s %-6s %s/%s\n", COL(AT), COL(ACTOR), COL(ACTION), COL(ENTITY),
	       COL(RECORD));
	const char *before = COL(BEFORE), *after = COL(AFTER);
	if (before)
		printf("    before: %s\n", before);
	if (after)
		printf("    after:  %s\n", after);
#undef COL
	a->shown++;
	return APP_OK;
}

static int cmd_audit(struct opts *o)
{
	if (o->since && strlen(o->since) < 4)
		return cli_usage_error("--since takes a date or time such as 2026-01-31, not '%s'", o->since);
	if (o->entity && !ent_by_name(o->entity) && !ent_by_plural(o->entity))
		return cli_usage_error("no collection named '%s'", o->entity);
	struct app app;
	if (cli_open_app(o, &app))
		return 1;
	const struct entity *e = ENT(AUDIT);
	struct query q = { .e = e, .limit = -1, .viewer = ROLE_ADMIN };
	if (o->entity) {
		const struct entity *t = ent_by_name(o->entity) ? ent_by_name(o->entity) : ent_by_plural(o->entity);
		q.filters[q.nfilters].f = FLD(AUDIT, ENTITY);
		q.filters[q.nfilters++].value = (struct dbparam){ .type = DBP_TEXT, .s = t->name };
	}
	if (o->user) {
		q.filters[q.nfilters].f = FLD(AUDIT, ACTOR);
		q.filters[q.nfilters++].value = (struct dbparam){ .type = DBP_TEXT, .s = o->user };
	}
	struct audit_ctx a = { .since = o->since };
	int rc = 0;
	if (store_list(app.store, &q, NULL, audit_line, &a)) {
		fprintf(stderr, "suivi: cannot read the audit trail\n");
		rc = 1;
	}
	cli_close_app(&app);
	return rc;
}

static int cmd_routes(struct opts *o)
{
	(void)o;
	routes_print(stdout);
	return 0;
}

static const struct command commands[] = {
	{ "serve", "suivi serve [--bind ADDR] [--port N] [--db DB] [--docs DIR] [--tls-cert PEM --tls-key PEM | --behind-tls]\n"
		   "              [--trusted-proxy ADDR,...] [--per-client N] [--head-deadline SECONDS]\n"
		   "              [--oidc-issuer URL --oidc-client-id ID --oidc-client-secret-file FILE [--oidc-name NAME]]\n"
		   "              [--oidc-config FILE] [--public-url URL] [--smtp URL --mail-from ADDRESS]",
	  "Serves the web pages and the JSON API (default http://127.0.0.1:8080/).\n"
	  "Migrates the database first.  --port 0 picks a free port.  --tls-cert and\n"
	  "--tls-key serve HTTPS (TLS 1.2 with forward-secret AEAD suites, or 1.3);\n"
	  "--behind-tls: a reverse proxy in front terminates TLS (cookies get Secure;\n"
	  "without it, binding another address than loopback prints a warning).\n"
	  "--trusted-proxy: the addresses of the reverse proxies (default with\n"
	  "--behind-tls: 127.0.0.1 and ::1; else none); only from them is\n"
	  "X-Forwarded-For believed (its last address is the client), and they are\n"
	  "exempt from --per-client, the connections one address may hold (default\n"
	  "128).  --head-deadline: seconds a client has to send a whole request head\n"
	  "(default 15).  --docs DIR (or $SUIVI_DOCS): where attached documents are\n"
	  "kept; default DB.docs next to a SQLite file, ./suivi-docs with PostgreSQL\n"
	  "(give every process sharing it the same folder).  --oidc-issuer,\n"
	  "--oidc-client-id and --oidc-client-secret-file (a file whose first line is\n"
	  "the secret): single sign-on with an OpenID Connect provider, shown on the\n"
	  "sign-in page as \"Sign in with NAME\" (--oidc-name; default sso);\n"
	  "--oidc-config FILE: several providers (JSON, see the README); --public-url:\n"
	  "the address people reach suivi at, whose /login/oidc/callback is the\n"
	  "redirect address registered with the provider (default: the request's).\n"
	  "--smtp smtp[s]://[USER:PASSWORD@]HOST[:PORT] and --mail-from ADDRESS: send\n"
	  "the reminders, digests and confirmations (see `suivi notify --help`); their\n"
	  "links need --public-url.",
	  "dbpCKBDTQHUIJFMGRA", 0, 0, cmd_serve },
	{ "init", "suivi init [--db PATH]",
	  "Creates or migrates the database and loads the reference data\n"
	  "(countries, themes).  Running it again changes nothing.", "d", 0, 0, cmd_init },
	{ "demo", "suivi demo [--db PATH] [--scale N]",
	  "Does what init does, then loads the demo: the founding strategic dialogue\n"
	  "and its follow-up.  Values not in the communiqué are marked sample.\n"
	  "It generates once a sample set for the dashboards and reports (400\n"
	  "fictitious participants and their training, forum sheets): running it\n"
	  "again changes nothing.  --scale N adds N generated participants (about\n"
	  "5 enrolments each, in generated courses and sessions), marked sample,\n"
	  "for scale tests.", "dS", 0, 0, cmd_demo },
	{ "training", "suivi training check|rebuild [--db DB]",
	  "check compares the training dashboard's summaries with the enrolments\n"
	  "(exit status 1 when they differ); rebuild recomputes them.", "d", 1, 1, cmd_training },
	{ "export", "suivi export csv|xlsx COLLECTION [--lang fr|en|ar] [--hxl] | iati [--published] [--db PATH] [--out FILE]",
	  "Writes a collection as CSV to standard output or FILE.  Collections:\n"
	  "countries themes organisations persons meetings outcomes actions action_updates\n"
	  "needs programmes courses sessions participants enrolments ...\n"
	  "Each record's label and those of the records it refers to are in columns\n"
	  "of their own (label, NAME_label), in --lang (French by default).\n"
	  "xlsx: the same columns as a spreadsheet, with typed cells (numbers, dates,\n"
	  "yes/no), the header frozen and filtered, right to left with --lang ar.\n"
	  "--hxl adds under the header a row of HXL hashtags (#country+code ...).\n"
	  "iati: every programme as an IATI 2.03 activity file; --published: only those\n"
	  "staff published, the public file (GET /iati.xml).",
	  "doPLX", 1, 2, cmd_export },
	{ "import", "suivi import needs|participants|enrolments|COLLECTION FILE.csv|FILE.xlsx [--sheet NAME] [--dry-run] | iati FILE.xml [--db DB]",
	  "Imports needs assessments from a spreadsheet's CSV export (FILE - reads\n"
	  "standard input): UTF-8 or Windows-1252, ',' or ';', dates YYYY-MM-DD or\n"
	  "DD/MM/YYYY, countries by code or name.  All or nothing: every bad row is\n"
	  "reported as FILE:LINE and then nothing is written (exit status 1).\n"
	  "An Excel workbook (.xlsx, told apart by its content) is read from the sheet\n"
	  "--sheet names, else its first; problems are reported as FILE:SHEET!CELL.\n"
	  "Any other collection (actions, persons, ...) takes its fields' names as\n"
	  "columns.  A file made by `suivi export csv` comes back as it is: a row with\n"
	  "an id updates that record (refused when the record changed since: its\n"
	  "version), a row without one is created, labels and times are not read.\n"
	  "--dry-run checks everything and says what would be created, updated and\n"
	  "left unchanged, and writes nothing.\n"
	  "participants: a row with the name, country and date of birth or document\n"
	  "number of a participant already there is that participant (not added); the\n"
	  "same name and country alone make a likely duplicate, listed for merging.\n"
	  "enrolments: the participant by number or by name, country and date of birth\n"
	  "or document number; the session by number.\n"
	  "iati: an IATI activity file (2.01-2.03): programmes by iati-identifier,\n"
	  "their organisations, transactions and results; all or nothing; what is left\n"
	  "out is listed as FILE:LINE; importing the same file again changes nothing.",
	  "dNW", 2, 2, cmd_import },
	{ "user", "suivi user add NAME --role admin|officer|focal|donor [--country CC] [--organisation ID] [--email ADDRESS] [--one-time] | passwd NAME [--one-time] | 2fa NAME | list | disable NAME [--db DB]",
	  "Manages accounts.  add and passwd print a one-time password, which the\n"
	  "person replaces at the next sign-in (as with accounts made or reset on the\n"
	  "/accounts page), or take $SUIVI_PASSWORD (replaced too with --one-time);\n"
	  "2fa sets up two-factor sign-in at once and prints, this once, the\n"
	  "otpauth:// address for an authenticator app and ten recovery codes (the\n"
	  "secret sealed with the key file, $SUIVI_KEY_FILE or DB.key);\n"
	  "disable ends the account's sessions and revokes its tokens.  --email: the\n"
	  "person's address, by which a single sign-on provider's verified address\n"
	  "finds the account.",
	  "drcgOE", 1, 2, cmd_user },
	{ "notify", "suivi notify run --smtp URL --mail-from ADDRESS --public-url URL | status [--db DB]",
	  "Messages that chase the follow-up.  run queues what is due today (reminders of\n"
	  "the actions due soon or late to their owner's contact persons, the officers'\n"
	  "weekly digest of late actions), each once, then sends every message waiting\n"
	  "in the outbox (with the registrations' confirmations) through the relay\n"
	  "--smtp smtp://HOST:PORT (STARTTLS when offered; required when USER:PASSWORD@\n"
	  "is given and the relay is not on this machine) or smtps://HOST:PORT, From\n"
	  "--mail-from; a message that fails is tried again later, each wait twice the\n"
	  "last, up to the number of tries set on /notifications.  For a timer (cron,\n"
	  "systemd) when `suivi serve` is not given --smtp: its sender does the same\n"
	  "every minute.  status counts the messages waiting, to try again, sent and\n"
	  "given up, and lists the failures with their errors.",
	  "dRAU", 1, 1, cmd_notify },
	{ "seal", "suivi seal verify FILE [KEY]",
	  "Checks the seal of a strategic dialogue edition (downloaded from the edition's\n"
	  "page, /meetings/ID/seal.json) without suivi's database: that its snapshot is\n"
	  "whole (its SHA-256) and signed (Ed25519) by the key it names, and, when KEY is\n"
	  "given (in hex or base64url, as /.well-known/suivi-certificate-key publishes\n"
	  "it), that this is the key.  Prints what it holds; exit status 1 when it is not valid.",
	  "", 2, 3, cmd_seal },
	{ "token", "suivi token add USER [--label TEXT] | list | revoke ID [--db DB]",
	  "API tokens for scripts, sent as Authorization: Bearer TOKEN and acting with\n"
	  "the user's rights.  add prints the token once; revoke ends it.",
	  "dl", 1, 2, cmd_token },
	{ "audit", "suivi audit [--entity COLLECTION] [--user WHO] [--since DATE] [--db DB]",
	  "Prints the audit trail in the order the writes happened: when, who, what\n"
	  "change, which record, and the record before and after.", "deus", 0, 0, cmd_audit },
	{ "copy", "suivi copy --from DB --to DB",
	  "Copies a whole installation into an empty database, e.g. from a SQLite file\n"
	  "to postgresql://USER:PASS@HOST:PORT/DB or back, in one transaction, then\n"
	  "verifies that every collection has the same records on both sides.", "ft", 0, 0, cmd_copy },
	{ "routes", "suivi routes",
	  "Prints the route table, one route a line, tab-separated: methods, path\n"
	  "pattern, who may call it (public, signed-in, session: a browser's, or\n"
	  "the roles), whether a write needs the CSRF token, the body limit and\n"
	  "type, flags (cache, writes, hashes, no-db, one-time: open to a session\n"
	  "signed in with a one-time password) and the API's summary.",
	  "", 0, 0, cmd_routes },
	{ "report", "suivi report followup|forum --meeting ID [--lang fr|en|ar] [--format html|pdf|xlsx] [--out FILE] [--db DB]",
	  "Writes the follow-up report of a meeting (an edition) as one standalone HTML\n"
	  "file, the same as the page /meetings/ID/report: summary, follow-up by\n"
	  "outcome, late actions, progress since the previous edition, charts.\n"
	  "`report forum` writes the report of a forum instead (/forum/ID/report):\n"
	  "beneficiaries' and donors' scores, training, funding execution, open needs.\n"
	  "Without --out it goes to standard output.  Prints on A4.  --format pdf\n"
	  "writes either report as PDF (/meetings/ID/report.pdf, /forum/ID/report.pdf):\n"
	  "its tables, charts and, for the follow-up, the map of the gaps; --format\n"
	  "xlsx its tables as a workbook, one sheet each (…/report.xlsx).", "dmLoZ", 1, 1, cmd_report },
};

static void print_help(FILE *f)
{
	fprintf(f, "suivi %s — follow-up of a counter-terrorism partnership for Africa\n\n"
		   "Usage:\n", SUIVI_VERSION);
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(f, "  %s\n", commands[i].usage);
	fprintf(f, "  suivi --version\n  suivi COMMAND --help\n\n"
		   "The database is --db PATH, else $SUIVI_DB, else ./suivi.db.\n");
}

static int parse_opts(const struct command *c, int argc, char **argv, struct opts *o)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		char opt = 0;
		if (strcmp(a, "--db") == 0)
			opt = 'd';
		else if (strcmp(a, "--bind") == 0)
			opt = 'b';
		else if (strcmp(a, "--port") == 0)
			opt = 'p';
		else if (strcmp(a, "--out") == 0)
			opt = 'o';
		else if (strcmp(a, "--from") == 0)
			opt = 'f';
		else if (strcmp(a, "--entity") == 0)
			opt = 'e';
		else if (strcmp(a, "--role") == 0)
			opt = 'r';
		else if (strcmp(a, "--country") == 0)
			opt = 'c';
		else if (strcmp(a, "--organisation") == 0)
			opt = 'g';
		else if (strcmp(a, "--label") == 0)
			opt = 'l';
		else if (strcmp(a, "--tls-cert") == 0)
			opt = 'C';
		else if (strcmp(a, "--tls-key") == 0)
			opt = 'K';
		else if (strcmp(a, "--behind-tls") == 0)
			opt = 'B';
		else if (strcmp(a, "--user") == 0)
			opt = 'u';
		else if (strcmp(a, "--since") == 0)
			opt = 's';
		else if (strcmp(a, "--to") == 0)
			opt = 't';
		else if (strcmp(a, "--docs") == 0)
			opt = 'D';
		else if (strcmp(a, "--meeting") == 0)
			opt = 'm';
		else if (strcmp(a, "--lang") == 0)
			opt = 'L';
		else if (strcmp(a, "--scale") == 0)
			opt = 'S';
		else if (strcmp(a, "--trusted-proxy") == 0)
			opt = 'T';
		else if (strcmp(a, "--per-client") == 0)
			opt = 'Q';
		else if (strcmp(a, "--head-deadline") == 0)
			opt = 'H';
		else if (strcmp(a, "--published") == 0)
			opt = 'P';
		else if (strcmp(a, "--one-time") == 0)
			opt = 'O';
		else if (strcmp(a, "--dry-run") == 0)
			opt = 'N';
		else if (strcmp(a, "--hxl") == 0)
			opt = 'X';
		else if (strcmp(a, "--sheet") == 0)
			opt = 'W';
		else if (strcmp(a, "--format") == 0)
			opt = 'Z';
		else if (strcmp(a, "--email") == 0)
			opt = 'E';
		else if (strcmp(a, "--public-url") == 0)
			opt = 'U';
		else if (strcmp(a, "--oidc-issuer") == 0)
			opt = 'I';
		else if (strcmp(a, "--oidc-client-id") == 0)
			opt = 'J';
		else if (strcmp(a, "--oidc-client-secret-file") == 0)
			opt = 'F';
		else if (strcmp(a, "--oidc-name") == 0)
			opt = 'M';
		else if (strcmp(a, "--oidc-config") == 0)
			opt = 'G';
		else if (strcmp(a, "--smtp") == 0)
			opt = 'R';
		else if (strcmp(a, "--mail-from") == 0)
			opt = 'A';
		else if (a[0] == '-' && a[1])
			return cli_usage_error("unknown option '%s'", a);
		if (!opt) {
			if (o->npos == c->max_pos)
				return cli_usage_error("unexpected argument '%s'", a);
			o->pos[o->npos++] = a;
			continue;
		}
		if (!strchr(c->allowed, opt) && !(opt == 'b' && strchr(c->allowed, 'p')))
			return cli_usage_error("this command takes no %s option", a);
		if (opt == 'B' || opt == 'P' || opt == 'O' || opt == 'N' || opt == 'X') { /* flags, without a value */
			o->behind_tls |= opt == 'B';
			o->published |= opt == 'P';
			o->one_time |= opt == 'O';
			o->dry_run |= opt == 'N';
			o->hxl |= opt == 'X';
			continue;
		}
		if (i + 1 == argc)
			return cli_usage_error("%s needs a value", a);
		const char *v = argv[++i];
		long long port;
		switch (opt) {
		case 'd': o->db = v; break;
		case 'b': o->bind = v; break;
		case 'o': o->out = v; break;
		case 'f': o->from = v; break;
		case 'e': o->entity = v; break;
		case 'u': o->user = v; break;
		case 's': o->since = v; break;
		case 'r': o->role = v; break;
		case 'c': o->country = v; break;
		case 'g': o->organisation = v; break;
		case 'l': o->label = v; break;
		case 'C': o->tls_cert = v; break;
		case 'K': o->tls_key = v; break;
		case 't': o->to = v; break;
		case 'D': o->docs = v; break;
		case 'm': o->meeting = v; break;
		case 'L': o->lang = v; break;
		case 'S': o->scale = v; break;
		case 'T': o->proxy = v; break;
		case 'Q': o->per_client = v; break;
		case 'H': o->head_deadline = v; break;
		case 'W': o->sheet = v; break;
		case 'Z': o->format = v; break;
		case 'E': o->email = v; break;
		case 'U': o->oidc.public_url = v; break;
		case 'I': o->oidc.issuer = v; break;
		case 'J': o->oidc.client_id = v; break;
		case 'F': o->oidc.client_secret_file = v; break;
		case 'M': o->oidc.name = v; break;
		case 'G': o->oidc.config_file = v; break;
		case 'R': o->smtp = v; break;
		case 'A': o->mail_from = v; break;
		case 'p':
			if (!util_parse_ll(v, &port) || port < 0 || port > 65535)
				return cli_usage_error("--port takes a number from 0 to 65535, not '%s'", v);
			o->port = (int)port;
		}
	}
	if (!o->tls_cert != !o->tls_key)
		return cli_usage_error("--tls-cert and --tls-key go together%s", "");
	if (o->npos < c->min_pos)
		return cli_usage_error("missing arguments; usage: %s", c->usage);
	return 0;
}

int main(int argc, char **argv)
{
	/* Everything suivi writes is for its own user only: the database and
	 * its -wal and -shm files (SQLite gives them the database's mode), the
	 * documents folder, exports and reports with personal data.  Set
	 * before any thread starts (umask is the whole process's). */
	umask(S_IRWXG | S_IRWXO);
	registry_init();
	i18n_init();
	auth_init();
	cli_init_actor();
	if (argc < 2) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		print_help(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("suivi %s\n", SUIVI_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
		const struct command *c = &commands[i];
		if (strcmp(argv[1], c->name) != 0)
			continue;
		for (int k = 2; k < argc; k++) {
			if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
				printf("Usage: %s\n\n%s\n", c->usage, c->help);
				return 0;
			}
		}
		struct opts o = { .port = 8080 };
		int rc = parse_opts(c, argc - 2, argv + 2, &o);
		return rc ? rc : c->run(&o);
	}
	return cli_usage_error("unknown command '%s'", argv[1]);
}
