/* app.h — what a running suivi holds: its store and response cache. */
#ifndef SUIVI_APP_H
#define SUIVI_APP_H

struct store;
struct cache;

struct app {
	struct store *store;
	struct cache *cache;
};

#endif
