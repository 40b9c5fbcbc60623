/* app.h — what a running suivi holds: its store and response cache. */
#ifndef SUIVI_APP_H
#define SUIVI_APP_H

struct store;
struct cache;
struct filecache;
struct oidc;
struct notify_config;

#include <stdbool.h>

struct app {
	struct store *store;
	struct cache *cache;
	bool tls; /* serving HTTPS, or behind a proxy that does (cookies get Secure) */
	char *docs_dir; /* where attached documents are kept (docstore.h); owned */
	struct filecache *files; /* big answers kept on disk, in docs_dir (the IATI files) */
	char *key_file; /* the key that seals secrets in the database (sealed.h); owned */
	struct oidc *oidc; /* the single sign-on providers (oidc.h); NULL when none; the caller's */
	const struct notify_config *notify; /* the mail relay (notify.h); NULL when this server sends nothing */
	/* Who writes when no signed-in person does, for the audit trail: the
	 * command line's "cli:LOGIN" (main.c); NULL: "system". */
	const char *actor;
};

#endif
