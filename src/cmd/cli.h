/* cli.h — what the command files share (main.c and cmd_*.c, as git's
 * builtin/): parsed options, opening the database, usage errors (cli.c).
 * Each command's entry points are in its own header (cmd_user.h, …),
 * which main.c includes: no command file includes what main.c defines. */
#ifndef SUIVI_CLI_H
#define SUIVI_CLI_H
#include <stdbool.h>

#include "app.h"
#include "oidc.h"

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
	const char *sheet; /* import: the sheet of a workbook */
	const char *email; /* user add */
	struct oidc_options oidc; /* serve: single sign-on */
	const char *format; /* report: html or pdf */
	bool dry_run;   /* import: check and count, write nothing */
	bool hxl;       /* export: a row of HXL hashtags under the header */
	const char *smtp, *mail_from; /* serve, notify: the mail relay and the From address */
	const char *pos[4]; /* positional arguments */
	int npos;
};

/* Sets the actor the audit trail names the command line's writes by:
 * "cli:" and the login ($USER, else the password database's name of the
 * process's user).  Once, at start. */
void cli_init_actor(void);
/* Prints "suivi: " fmt (with arg) and a pointer to --help; returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, const char *arg);
/* Opens the store named by --db, SUIVI_DB or ./suivi.db; 0 on success.  A
 * SQLite file that does not exist is refused ("no database at PATH (run
 * suivi init)"): only init, demo and copy --to make one, with
 * cli_open_new_app. */
int cli_open_app(struct opts *o, struct app *app);
int cli_open_new_app(struct opts *o, struct app *app);
void cli_close_app(struct app *app);

/* The whole file at path ("-": standard input), NUL-terminated after its *n
 * bytes (caller frees); NULL, said on stderr, when it cannot be read. */
char *cli_slurp(const char *path, size_t *n);

#endif
