/* import_writer.c — see import_writer.h. */
#define _POSIX_C_SOURCE 200809L
#include "import_writer.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"
#include "banned.h"

#define CHUNK_ROWS 2048 /* rows handed over at once */

/* A value of a queued row: its text lives in the chunk's buffer at `off`
 * (the buffer may move while the chunk fills). */
struct qv {
	enum dbparam_type type;
	long long i;
	size_t off;
};

struct chunk {
	struct qv *v; /* CHUNK_ROWS × ncols */
	int n;        /* rows */
	struct buf text;
};

struct import_writer {
	struct store_import *im;
	int ncols;
	struct chunk chunks[2];
	struct chunk *filling; /* the reader's */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct chunk *full;  /* handed to the writer, not yet taken */
	struct chunk *spare; /* given back by the writer, empty */
	bool done;           /* nothing more will be handed over */
	enum app_err rc;     /* the writer's first error */
	struct dbparam *vals; /* the writer's row being written */
};

static enum app_err write_chunk(struct import_writer *w, struct chunk *c)
{
	enum app_err rc = APP_OK;
	for (int r = 0; r < c->n && !rc; r++) {
		for (int k = 0; k < w->ncols; k++) {
			const struct qv *v = &c->v[r * w->ncols + k];
			w->vals[k] = (struct dbparam){ .type = v->type, .i = v->i,
				.s = v->type == DBP_TEXT ? c->text.data + v->off : NULL };
		}
		rc = store_import_row(w->im, w->vals);
	}
	c->n = 0;
	buf_reset(&c->text);
	return rc;
}

static void *writer_main(void *arg)
{
	struct import_writer *w = arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->full && !w->done)
			pthread_cond_wait(&w->changed, &w->lock);
		struct chunk *c = w->full;
		if (!c)
			break; /* done, and nothing left */
		w->full = NULL;
		enum app_err failed = w->rc;
		pthread_mutex_unlock(&w->lock);
		enum app_err rc = failed ? failed : write_chunk(w, c);
		c->n = 0;
		buf_reset(&c->text);
		pthread_mutex_lock(&w->lock);
		if (rc && !w->rc)
			w->rc = rc;
		w->spare = c;
		pthread_cond_broadcast(&w->changed);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct import_writer *iw_start(struct store_import *im, int ncols)
{
	struct import_writer *w = xcalloc(1, sizeof *w);
	w->im = im;
	w->ncols = ncols;
	for (int i = 0; i < 2; i++)
		w->chunks[i].v = xcalloc((size_t)CHUNK_ROWS * (size_t)ncols, sizeof *w->chunks[i].v);
	w->vals = xcalloc((size_t)ncols, sizeof *w->vals);
	w->filling = &w->chunks[0];
	w->spare = &w->chunks[1];
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->changed, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		w->done = true;
		err_ignore(iw_finish(w)); /* frees w: no thread, nothing written */
		return NULL;
	}
	return w;
}

/* Hands the filled chunk over and takes the spare one (waiting for the
 * writer to finish with it). */
static enum app_err hand_over(struct import_writer *w)
{
	pthread_mutex_lock(&w->lock);
	while (w->full || !w->spare)
		pthread_cond_wait(&w->changed, &w->lock);
	w->full = w->filling;
	w->filling = w->spare;
	w->spare = NULL;
	enum app_err rc = w->rc;
	pthread_cond_broadcast(&w->changed);
	pthread_mutex_unlock(&w->lock);
	return rc;
}

enum app_err iw_row(struct import_writer *w, const struct dbparam *vals)
{
	struct chunk *c = w->filling;
	struct qv *q = &c->v[c->n * w->ncols];
	for (int k = 0; k < w->ncols; k++) {
		q[k] = (struct qv){ .type = vals[k].type, .i = vals[k].i };
		if (vals[k].type == DBP_TEXT) {
			q[k].off = c->text.len;
			buf_add(&c->text, vals[k].s, strlen(vals[k].s) + 1);
		}
	}
	return ++c->n == CHUNK_ROWS ? hand_over(w) : APP_OK;
}

enum app_err iw_finish(struct import_writer *w)
{
	if (w->filling && w->filling->n && !w->done)
		hand_over(w);
	pthread_mutex_lock(&w->lock);
	bool started = !w->done;
	w->done = true;
	pthread_cond_broadcast(&w->changed);
	pthread_mutex_unlock(&w->lock);
	if (started)
		pthread_join(w->thread, NULL);
	enum app_err rc = w->rc;
	for (int i = 0; i < 2; i++) {
		free(w->chunks[i].v);
		buf_release(&w->chunks[i].text);
	}
	free(w->vals);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->changed);
	free(w);
	return rc;
}
