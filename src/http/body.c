/* body.c — see body.h. */
#define _GNU_SOURCE
#include "body.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xalloc.h"
#include "banned.h"

static atomic_size_t memory_in_use;
static atomic_llong disk_in_use;

size_t body_memory_in_use(void)
{
	return atomic_load(&memory_in_use);
}

long long body_disk_in_use(void)
{
	return atomic_load(&disk_in_use);
}

/* Takes n bytes of the memory budget; false when that would pass it. */
static bool take_memory(size_t n)
{
	size_t cur = atomic_load(&memory_in_use);
	do {
		if (cur + n > BODY_MEMORY_BUDGET)
			return false;
	} while (!atomic_compare_exchange_weak(&memory_in_use, &cur, cur + n));
	return true;
}

static bool take_disk(size_t n)
{
	long long cur = atomic_load(&disk_in_use);
	do {
		if (cur + (long long)n > BODY_DISK_BUDGET)
			return false;
	} while (!atomic_compare_exchange_weak(&disk_in_use, &cur, cur + (long long)n));
	return true;
}

static const char *spool_dir(void)
{
	const char *d = getenv("TMPDIR");
	return d && *d ? d : "/var/tmp";
}

/* An unlinked file in the spool folder, or -1. */
static int spool_open(void)
{
	const char *dir = spool_dir();
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	char *path = xasprintf("%s/suivi-body-XXXXXX", dir); /* no O_TMPFILE there */
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	free(path);
	return fd;
}

static enum body_rc write_error(void)
{
	return errno == ENOSPC || errno == EDQUOT ? BODY_FULL : BODY_IOERR;
}

static enum body_rc write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return write_error();
		p += w;
		n -= (size_t)w;
	}
	return BODY_OK;
}

/* Moves the bytes in memory to a new spool file. */
static enum body_rc spill(struct body *b)
{
	int fd = spool_open();
	if (fd < 0) {
		fprintf(stderr, "suivi: cannot make a file in %s for a request body: %s\n", spool_dir(),
			strerror(errno));
		return write_error();
	}
	enum body_rc rc = write_all(fd, b->mem.data ? b->mem.data : "", b->mem.len);
	if (rc) {
		close(fd);
		return rc;
	}
	b->fd = fd;
	buf_release(&b->mem);
	atomic_fetch_sub(&memory_in_use, b->held_memory);
	b->held_memory = 0;
	return BODY_OK;
}

void body_init(struct body *b)
{
	memset(b, 0, sizeof *b);
	b->fd = -1;
}

enum body_rc body_add(struct body *b, const char *p, size_t n)
{
	if (b->fd < 0 && b->len + n <= BODY_IN_MEMORY && take_memory(n)) {
		buf_add(&b->mem, p, n);
		b->held_memory += n;
		b->len += n;
		return BODY_OK;
	}
	size_t moved = b->fd < 0 ? b->len : 0; /* the bytes in memory go to the file too */
	if (!take_disk(moved + n))
		return BODY_BUSY;
	enum body_rc rc = b->fd < 0 ? spill(b) : BODY_OK;
	if (!rc)
		rc = write_all(b->fd, p, n);
	if (rc) {
		atomic_fetch_sub(&disk_in_use, (long long)(moved + n));
		return rc;
	}
	b->held_disk += moved + n;
	b->len += n;
	return BODY_OK;
}

enum body_rc body_bytes(struct body *b, const char **bytes, size_t *len)
{
	*len = b->len;
	if (b->fd < 0) {
		*bytes = buf_cstr(&b->mem);
		return BODY_OK;
	}
	if (!b->map) {
		/* the terminating NUL: one byte more in the file */
		enum body_rc rc = write_all(b->fd, "", 1);
		if (rc)
			return rc;
		void *m = mmap(NULL, b->len + 1, PROT_READ, MAP_PRIVATE, b->fd, 0);
		if (m == MAP_FAILED)
			return BODY_IOERR;
		b->map = m;
	}
	*bytes = b->map;
	return BODY_OK;
}

void body_release(struct body *b)
{
	if (b->map)
		munmap(b->map, b->len + 1);
	if (b->fd >= 0)
		close(b->fd);
	buf_release(&b->mem);
	atomic_fetch_sub(&memory_in_use, b->held_memory);
	atomic_fetch_sub(&disk_in_use, (long long)b->held_disk);
	body_init(b);
}
