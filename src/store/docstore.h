/* docstore.h — the bytes of attached documents: what kind of file they are
 * (read from the content, never from the name), a safe name to offer them
 * under, and a store on disk keyed by their SHA-256.
 *
 * Files live at DIR/ab/cd/abcd…(64 hex digits).  A file is written to a
 * temporary name in its final folder, flushed to disk and renamed, so a
 * reader never sees half a file; the same bytes uploaded twice find the
 * file already there and are kept once.  The document rows (entity
 * `document`, model.c) say which records a file belongs to; docs.c keeps
 * the two in step. */
#ifndef SUIVI_DOCSTORE_H
#define SUIVI_DOCSTORE_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"

#define DOC_MAX (20 * 1024 * 1024) /* the largest document, in bytes */
#define DOC_HEX 65                 /* a SHA-256 in hex, with its NUL */

/* A kind of document suivi accepts. */
struct doc_type {
	const char *media;            /* "application/pdf" */
	const char *label;            /* msgid for people: "PDF" */
	const char *const *exts;      /* file name extensions it goes by, the first the usual one */
};

/* The kind of the n bytes at data, from their magic numbers and (for ZIP
 * containers) their entries; NULL when it is none suivi accepts. */
const struct doc_type *doc_sniff(const void *data, size_t n);
/* The type whose media type is media, or NULL. */
const struct doc_type *doc_type_by_media(const char *media);

/* The name to keep and offer a file under: the last part of a path,
 * without control characters, quotes, slashes, backslashes or invalid
 * UTF-8, at most 120 characters, never starting with a dot, ending in an
 * extension of type t (added when the name has none of them).  "document"
 * when nothing is left.  Appended to out. */
void doc_safe_filename(const char *name, size_t n, const struct doc_type *t, struct buf *out);
/* A Content-Disposition value offering the file as an attachment: an
 * ASCII filename="…" and the UTF-8 filename*= of RFC 6266 / 8187. */
void doc_disposition(const char *safe_name, struct buf *out);

/* The SHA-256 of the bytes as 64 lowercase hex digits. */
void doc_sha256(const void *data, size_t n, char hex[DOC_HEX]);
/* Is s 64 lowercase hex digits? */
bool doc_valid_hex(const char *s);

/* The folder documents go to when none is given: next to a SQLite file
 * ("<file>.docs"), else "./suivi-docs".  Caller frees. */
char *docstore_default_dir(const char *db_url);
/* The installation's key file (sealed.h) when SUIVI_KEY_FILE does not name
 * one: beside a SQLite file as DB.key, else ./suivi.key.  Freed by the
 * caller. */
char *docstore_default_key_file(const char *db_url);

/* Stores the bytes under their hash (computed here, into hex); *existed
 * says whether the same bytes were already there.  APP_FULL when its disk
 * (or quota) is full, APP_INTERNAL when the folder cannot be written
 * otherwise (with a line on stderr). */
MUST_CHECK enum app_err docstore_put(const char *dir, const void *data, size_t n, char hex[DOC_HEX],
			  bool *existed);
/* The path of the file for hex (caller frees). */
char *docstore_path(const char *dir, const char *hex);
/* Reads the whole file for hex into out; APP_NOT_FOUND when it is not there. */
MUST_CHECK enum app_err docstore_read(const char *dir, const char *hex, struct buf *out);
/* A file in the folder dir (made when missing) holding the n bytes at data,
 * with no name: only the descriptor returned (-1 with a line on stderr
 * when it cannot be written) reaches it.  For big generated answers kept
 * between requests (filecache.h): nothing is left behind by a crash, and
 * processes sharing the folder never meet each other's. */
int docstore_scratch(const char *dir, const void *data, size_t n);
/* Is the file for hex there? */
bool docstore_has(const char *dir, const char *hex);
/* Removes the file for hex (no error when it is already gone). */
void docstore_remove(const char *dir, const char *hex);

#endif
