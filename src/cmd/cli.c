/* cli.c — see cli.h. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "docstore.h"
#include "filecache.h"
#include "iati_http.h"
#include "store.h"
#include "xalloc.h"
#include "banned.h"

/* The audit trail names the command line's writers by their login. */
static char cli_actor[80];

void cli_init_actor(void)
{
	const char *login = getenv("USER");
	struct passwd *pw = (!login || !*login) ? getpwuid(getuid()) : NULL;
	if (pw)
		login = pw->pw_name;
	snprintf(cli_actor, sizeof cli_actor, "cli:%.60s", login && *login ? login : "unknown");
}

int cli_usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "suivi: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see suivi --help)\n");
	return EXIT_USAGE;
}

/* Opens the store named by --db, SUIVI_DB or ./suivi.db; only init, demo
 * and copy --to may make it (create). */
static int open_store_app(struct opts *o, bool create, struct app *app)
{
	const char *url = o->db ? o->db : getenv("SUIVI_DB");
	if (!url || !*url)
		url = "suivi.db";
	char *msg = NULL;
	memset(app, 0, sizeof *app);
	if ((create ? store_open : store_open_existing)(url, &app->store, &msg)) {
		fprintf(stderr, "suivi: %s\n", msg ? msg : "cannot open the database");
		free(msg);
		return 1;
	}
	app->cache = cache_new();
	const char *docs = o->docs ? o->docs : getenv("SUIVI_DOCS");
	app->docs_dir = docs && *docs ? xstrdup(docs) : docstore_default_dir(url);
	app->files = filecache_new(app->docs_dir, IATI_FILES);
	const char *key = getenv("SUIVI_KEY_FILE");
	app->key_file = key && *key ? xstrdup(key) : docstore_default_key_file(url);
	app->actor = cli_actor;
	return 0;
}

int cli_open_app(struct opts *o, struct app *app)
{
	return open_store_app(o, false, app);
}

int cli_open_new_app(struct opts *o, struct app *app)
{
	return open_store_app(o, true, app);
}

void cli_close_app(struct app *app)
{
	store_close(app->store);
	cache_free(app->cache);
	filecache_free(app->files);
	free(app->docs_dir);
	free(app->key_file);
}

char *cli_slurp(const char *path, size_t *n)
{
	bool std = strcmp(path, "-") == 0;
	FILE *f = std ? stdin : fopen(path, "rb");
	struct buf b = BUF_INIT;
	bool bad = !f || !buf_add_file(&b, f);
	if (bad)
		fprintf(stderr, "suivi: cannot read %s: %s\n", path, strerror(errno));
	if (f && !std)
		fclose(f);
	if (bad) {
		buf_release(&b);
		return NULL;
	}
	*n = b.len;
	buf_cstr(&b);
	return buf_detach(&b);
}
