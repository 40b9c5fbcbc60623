/* menu.h — the main menu, by task: Dialogue, Follow-up, Needs, Training,
 * Programmes, Events and forum, Data, Administration.
 *
 * Each group folds (<details>: no JavaScript needed) and lists the pages
 * of its task that the reader's role may open — a collection it may read
 * (and, for imports and merges, write), a staff or admin page, a public
 * page — so that a focal point, a donor and the public each see their own
 * menu, and every page a role may use is reached from it. */
#ifndef SUIVI_MENU_H
#define SUIVI_MENU_H
#include "buf.h"
#include "entity.h"
#include "i18n.h"

/* The menu as HTML for a reader of role in lang, on the page at path (the
 * item it belongs to is marked aria-current, and its group). */
void menu_html(struct buf *b, enum lang lang, enum role role, const char *path);

#endif
