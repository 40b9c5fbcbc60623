/* mhd_baseline FILE PORT — the HTTP library's limit: answers every request on
 * 127.0.0.1:PORT with FILE's bytes from memory, with src/serve/server.c's settings
 * (internal polling thread, epoll, pool of 2, timeout 30 s).  Stops on SIGTERM. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

static struct MHD_Response *resp;

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *data,
			      size_t *size, void **con_cls)
{
	(void)cls, (void)url, (void)method, (void)version, (void)data;
	/* Answer on a later call, as suivi does: a response queued on the first
	 * call makes libmicrohttpd close the connection after it. */
	if (!*con_cls || *size)
		return *con_cls = resp, *size = 0, MHD_YES;
	return MHD_queue_response(c, MHD_HTTP_OK, resp);
}

int main(int argc, char **argv)
{
	static char body[1 << 20];
	FILE *f = argc == 3 ? fopen(argv[1], "rb") : NULL;
	if (!f)
		return fprintf(stderr, "usage: mhd_baseline FILE PORT\n"), 2;
	size_t n = fread(body, 1, sizeof body, f);
	fclose(f);
	resp = MHD_create_response_from_buffer(n, body, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2])),
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
		answer, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, 2u, MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
	if (!d)
		return fprintf(stderr, "mhd_baseline: cannot listen on port %s\n", argv[2]), 1;
	int sig;
	sigwait(&sigs, &sig);
	MHD_stop_daemon(d);
	MHD_destroy_response(resp);
	return 0;
}
