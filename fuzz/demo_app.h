/* demo_app.h — what the import fuzzers share: an app on a throwaway SQLite
 * database (removed from the folder at once: only the process holds it)
 * loaded as `suivi demo` loads it, sessions after their programmes. */
#ifndef SUIVI_FUZZ_DEMO_APP_H
#define SUIVI_FUZZ_DEMO_APP_H
#include <stdlib.h>
#include <unistd.h>

#include "app.h"
#include "cache.h"
#include "i18n.h"
#include "load.h"
#include "registry.h"
#include "store.h"

static void fuzz_demo_app(struct app *app)
{
	registry_init();
	i18n_init();
	char path[] = "/tmp/suivi-fuzz-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		abort();
	close(fd);
	unlink(path);
	char *msg = NULL;
	if (store_open(path, &app->store, &msg) != APP_OK)
		abort();
	app->cache = cache_new();
	long long added;
	static const char *const assets[] = { "data/countries.json", "data/themes.json", "data/demo.json",
					      "data/demo-needs.json", "data/demo-programmes.json",
					      "data/demo-training.json" };
	for (size_t i = 0; i < sizeof assets / sizeof *assets; i++)
		if (load_asset(app, assets[i], &added))
			abort();
}

#endif
