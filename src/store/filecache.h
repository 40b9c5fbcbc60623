/* filecache.h — big generated answers kept on disk between requests (the
 * public IATI file: 20 MB for 20,000 programmes), built once after each
 * change of the database and then sent from the file by every request
 * (server.c: sendfile), with an ETag and a Last-Modified that stay while
 * the content does.
 *
 * On disk rather than in memory: any size costs no memory once built, the
 * kernel's page cache keeps what is read often, and nothing needs a cap.
 * Each slot's file has no name (docstore_scratch, in the documents folder
 * next to the database): nothing is left behind by a crash and processes
 * sharing the folder never meet.  A request gets its own descriptor (dup),
 * so a rebuild never changes the bytes a response is sending; while one
 * thread rebuilds, the others send the previous file rather than wait.
 * Thread-safe. */
#ifndef SUIVI_FILECACHE_H
#define SUIVI_FILECACHE_H
#include <time.h>

#include "buf.h"
#include "err.h"

/* What a build writes where its content says when it was made (20 bytes,
 * the shape of 2026-01-31T12:00:00Z): the cache puts there the time the
 * content last changed, so that a rebuild giving the same content keeps
 * the same bytes, ETag and Last-Modified. */
#define FILECACHE_STAMP "0000-00-00T00:00:00Z"

/* Writes the content into out (empty), `stamp` where it says when it was
 * made. */
typedef enum app_err (*filecache_build)(void *ctx, const char *stamp, struct buf *out);

struct filecache_file {
	int fd;                  /* the caller's: send it, then close it */
	unsigned long long size;
	char etag[48];           /* W/"…": the content's, whatever its stamp */
	time_t modified;         /* when the content last changed */
};

struct filecache;

/* A cache of nslots files in the folder dir (made when first needed). */
struct filecache *filecache_new(const char *dir, int nslots);
void filecache_free(struct filecache *c);

/* The file of slot i for the database at generation: the one kept while
 * the generation is the one it was built at, else built again by build
 * (another thread's build in progress: the previous file, when there is
 * one).  On failure build's error, or APP_INTERNAL when the file cannot be
 * written. */
MUST_CHECK enum app_err filecache_get(struct filecache *c, int i, long long generation, filecache_build build,
			   void *ctx, struct filecache_file *out);

#endif
