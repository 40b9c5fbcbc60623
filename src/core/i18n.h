/* i18n.h — user-interface languages and translated UI strings.
 *
 * The interface speaks French (default), English and Arabic.  UI strings are
 * English msgids translated through GNU gettext catalogues (po/NN.po, compiled
 * by msgfmt into .mo files that are embedded in the binary).  The catalogues
 * are read here directly rather than through gettext(3): gettext's language
 * choice is process-wide (LANGUAGE), while each HTTP request needs its own.
 * Lookups are read-only after i18n_init() and thus thread-safe. */
#ifndef SUIVI_I18N_H
#define SUIVI_I18N_H
#include <stdbool.h>
#include <stddef.h>

enum lang { LANG_FR, LANG_EN, LANG_AR, LANG__MAX };

extern const char *const lang_code[LANG__MAX];   /* "fr", "en", "ar" */
extern const char *const lang_native[LANG__MAX]; /* "Français", ... */

/* Marks a string literal as a msgid for xgettext (tools/update-po) where it
 * is stored now and translated later. */
#define N_(msgid) msgid
/* Marks a msgid with its context for xgettext (tools/update-po: the
 * keyword NC_:1c,2), where one English word needs two translations: a
 * status that qualifies a feminine noun in French ("open": une session
 * ouverte, un besoin ouvert).  The string is ctx, then msgid, apart. */
#define NC_(ctx, msgid) ctx "\004" msgid

/* Loads the embedded catalogues; call once at start. */
void i18n_init(void);
/* The translation of msgid in lang, or msgid itself. Never NULL. */
const char *tr(enum lang lang, const char *msgid);
/* The translation of msgid in context ctx ("session"), else of msgid
 * alone, else msgid.  Never NULL. */
const char *tr_ctx(enum lang lang, const char *ctx, const char *msgid);
/* "fr" -> LANG_FR; false when not one of ours. */
bool lang_parse(const char *s, enum lang *out);
/* Picks a language from an Accept-Language header (q-values honoured);
 * French when nothing matches or the header is NULL. */
enum lang lang_from_accept(const char *header);
/* Right-to-left script? */
bool lang_rtl(enum lang lang);

/* A key that sorts s, compared byte by byte (strcmp), as lang's readers
 * order texts: its collation's, where the system has it (else s itself).
 * The caller frees it. */
char *i18n_sort_key(enum lang lang, const char *s);

/* Compares a (alen bytes) and b (blen bytes, neither NUL-terminated) as
 * lang's readers order texts: Bénin before Burundi, Sénégal before Soudan
 * du Sud in French.  Texts its collation holds equal are ordered by their
 * bytes, so that only identical texts compare equal.  Bytes alone where
 * the system lacks the collation.  For the database's sorts (SQLite's
 * collations "fr", "en", "ar"). */
int i18n_collate(enum lang lang, const char *a, size_t alen, const char *b, size_t blen);
/* Whether i18n_collate has lang's collation (glibc's locale is installed). */
bool i18n_has_collation(enum lang lang);

struct buf;
/* YYYY-MM-DD in lang's words ("26 septembre 2024"), plain text; false,
 * and nothing written, when iso is not such a date. */
bool i18n_date(struct buf *out, enum lang lang, const char *iso);

#endif
