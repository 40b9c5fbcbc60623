/* body.h — a request's body while it arrives: in memory while small, in a
 * spool file once large, within budgets shared by every connection.
 *
 * Twelve anonymous connections once made the server hold 360 MiB of
 * bodies (issue 12).  Now a body stays in memory only up to BODY_IN_MEMORY
 * bytes, and only while all bodies in memory together hold less than the
 * memory budget; past either, it goes to an unlinked file in the spool
 * folder ($TMPDIR, else /var/tmp), and all spool files together are held
 * to the disk budget.  When the whole body has arrived, body_bytes() gives
 * it as one read-only, NUL-terminated block: the buffer itself, or the
 * file mapped into memory, whose pages the kernel may drop at will.
 *
 * The budgets are counters shared by the threads (atomics); a body gives
 * back what it held in body_release().  Memory in use by bodies is at
 * most twice the memory budget (a buffer grows by doubling). */
#ifndef SUIVI_BODY_H
#define SUIVI_BODY_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define BODY_IN_MEMORY (64 * 1024)             /* one body's bytes in memory, at most */
#define BODY_MEMORY_BUDGET (16 * 1024 * 1024)  /* all bodies' bytes in memory */
#define BODY_DISK_BUDGET (2048LL * 1024 * 1024) /* all spool files' bytes */

enum body_rc {
	BODY_OK,
	BODY_BUSY, /* the disk budget is spent: try again shortly (503) */
	BODY_FULL, /* the spool folder's disk is full (507) */
	BODY_IOERR /* another failure to write or map the spool file (500) */
};

struct body {
	struct buf mem;     /* while in memory */
	int fd;             /* the spool file, -1 while in memory */
	size_t len;         /* bytes so far */
	size_t held_memory; /* of the memory budget */
	size_t held_disk;   /* of the disk budget */
	char *map;          /* body_bytes' mapping of the file, or NULL */
};

void body_init(struct body *b);
/* Appends n bytes.  On an error the body is left as it was. */
enum body_rc body_add(struct body *b, const char *p, size_t n);
/* The whole body, NUL-terminated (never NULL), and its length in *len;
 * valid until body_release().  BODY_IOERR when the file cannot be mapped. */
enum body_rc body_bytes(struct body *b, const char **bytes, size_t *len);
/* Frees the buffer or closes the file, and gives the budgets back. */
void body_release(struct body *b);

/* Bytes of the budgets in use now (for tests and the bench). */
size_t body_memory_in_use(void);
long long body_disk_in_use(void);

#endif
