/* cli.h — what the command files share (main.c and cmd_*.c, as git's
 * builtin/): parsed options, opening the database, usage errors. */
#ifndef SUIVI_CLI_H
#define SUIVI_CLI_H
#include <stdbool.h>

#include "app.h"

#define EXIT_USAGE 2

/* Options every command may take; each command reads the ones it uses. */
struct opts {
	const char *db;
	const char *bind;
	int port;
	const char *out;
	const char *from, *to; /* copy */
	const char *entity, *user, *since; /* audit */
	const char *role, *country, *organisation, *label; /* user, token */
	const char *tls_cert, *tls_key; /* serve */
	const char *docs; /* serve: the documents folder */
	const char *proxy, *per_client, *head_deadline; /* serve */
	const char *meeting, *lang; /* report */
	const char *scale; /* demo --scale N */
	bool behind_tls;
	bool published; /* export iati: the public file's programmes only */
	bool one_time;  /* user add, passwd: the password must be replaced at the next sign-in */
	const char *pos[4]; /* positional arguments */
	int npos;
};

/* Prints "suivi: " fmt (with arg) and a pointer to --help; returns EXIT_USAGE. */
int usage_error(const char *fmt, const char *arg);
/* Opens the store named by --db, SUIVI_DB or ./suivi.db; 0 on success.  A
 * SQLite file that does not exist is refused ("no database at PATH (run
 * suivi init)"): only init, demo and copy --to make one. */
int open_app(struct opts *o, struct app *app);
void close_app(struct app *app);

/* cmd_user.c */
int cmd_user(struct opts *o);
int cmd_token(struct opts *o);
/* Creates the first admin, "admin", when there is no account yet; prints
 * its one-time password (or takes SUIVI_ADMIN_PASSWORD).  0 on success. */
int cli_first_admin(struct app *app);

/* cmd_import.c */
int cmd_import(struct opts *o);
/* cmd_training.c: suivi training check|rebuild; the demo's generated set
 * (training under its programmes, forum sheets: once, nothing when it is
 * there already); demo --scale adds n generated participants with their
 * enrolments (0 on success). */
int cmd_training(struct opts *o);
int demo_generated(struct app *app);
int demo_scale(struct app *app, long long n);
/* cmd_iati.c: suivi export iati, suivi import iati FILE. */
int cmd_export_iati(struct opts *o);
int cmd_import_iati(struct opts *o);
/* cmd_report.c */
int cmd_report(struct opts *o);

#endif
