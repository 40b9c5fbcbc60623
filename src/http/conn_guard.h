/* conn_guard.h — who may hold the server's connections, and for how long.
 *
 * One client sending a byte every ten seconds on a thousand connections
 * once held every connection the server had (issue 12).  The guard keeps
 * three rules:
 *
 *  - a cap on the connections one client address holds at once (a trusted
 *    reverse proxy is exempt: it carries everyone's connections, and limits
 *    its own clients);
 *  - a deadline for each request head: from the moment a connection opens,
 *    or the previous answer was sent, the request line and headers must
 *    have arrived within `head_deadline` seconds, however they trickle
 *    in (libmicrohttpd's own timeout is per read, so it never fires on a
 *    byte every ten seconds);
 *  - (in server.c) a global cap on connections sized from the open-files
 *    limit, which conn_guard_raise_nofile() raises first.
 *
 * A reaper thread wakes every quarter second and shuts down (shutdown(2),
 * never close(2): libmicrohttpd owns the descriptor) the connections past
 * their deadline; libmicrohttpd then sees the end of the stream and closes
 * them itself.  The guard's lock is held across that shutdown and across
 * conn_guard_closed(), which libmicrohttpd calls before it closes the
 * descriptor, so a descriptor number reused by a new connection is never
 * shut down by mistake.
 *
 * A request refused before its body was read (too large for its caller)
 * ends in a lingering close, as nginx does: had the descriptor been closed
 * with the body still arriving, the kernel would answer it with a reset,
 * and a client still sending would lose the answer it had not read yet.
 * So the guard keeps a duplicate of the descriptor past libmicrohttpd's
 * close (its answer sent and its side shut down), and the reaper reads and
 * drops what still comes for LINGER_MS, at most LINGER_BYTES, then closes
 * it.  At most LINGER_MAX connections linger at once; the next ones close
 * at once.
 *
 * Thread-safe: the accept, open, close and head calls come from
 * libmicrohttpd's worker threads. */
#ifndef SUIVI_CONN_GUARD_H
#define SUIVI_CONN_GUARD_H
#include <stdbool.h>
#include <sys/socket.h>

struct conn_guard;
struct guarded; /* one connection's entry */

struct conn_guard_config {
	unsigned per_client;    /* connections one address may hold; 0: no cap */
	unsigned head_deadline; /* seconds for a whole request head */
	/* Addresses exempt from the cap (reverse proxies), as text: IPv4 or
	 * IPv6, NULL-terminated; may be NULL.  Copied. */
	const char *const *exempt;
};

/* A guard with its reaper thread running; NULL (with a message on stderr)
 * when the thread cannot start or an exempt address does not parse. */
struct conn_guard *conn_guard_new(const struct conn_guard_config *cfg);
/* Stops the reaper and frees the guard; call after the daemon stopped. */
void conn_guard_free(struct conn_guard *g);

/* May a new connection from sa be accepted (its address holds fewer than
 * per_client connections, or is exempt)? */
bool conn_guard_admit(struct conn_guard *g, const struct sockaddr *sa);
/* A connection on descriptor fd from sa has opened: its entry, owned by
 * the guard until conn_guard_closed(). */
struct guarded *conn_guard_opened(struct conn_guard *g, int fd, const struct sockaddr *sa);
/* The connection closes (before its descriptor does): its entry goes. */
void conn_guard_closed(struct conn_guard *g, struct guarded *c);
/* The connection's request head has arrived: no deadline until the
 * answer is sent. */
void conn_guard_head_done(struct conn_guard *g, struct guarded *c);
/* The request is refused before its body was read: linger when it closes. */
void conn_guard_linger(struct conn_guard *g, struct guarded *c);
/* The answer was sent: the next request head's clock starts now. */
void conn_guard_request_done(struct conn_guard *g, struct guarded *c);

/* Is sa one of the exempt addresses (a trusted reverse proxy)? */
bool conn_guard_exempt(const struct conn_guard *g, const struct sockaddr *sa);

/* Raises the soft limit on open files to the hard one; answers the limit
 * now in force. */
unsigned long conn_guard_raise_nofile(void);

#endif
