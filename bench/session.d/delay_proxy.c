/*
 * bench/session.d/delay_proxy.c: a TCP proxy that holds every byte for a
 * fixed delay in each direction, to measure session handlers as if the
 * server were a network hop away rather than on loopback.
 *
 *   delay_proxy LISTEN_PORT UPSTREAM_PORT DELAY_US PIDFILE
 *
 * Listens on 127.0.0.1:LISTEN_PORT and connects each client to
 * 127.0.0.1:UPSTREAM_PORT. Whatever one side sends is stamped with
 * now + DELAY_US when it is read and written to the other side once that
 * time has come, in order: a request/response exchange costs 2 * DELAY_US
 * more than on loopback, and several commands written in one go (a
 * pipeline) share one delay, as on a real network with no bandwidth limit.
 *
 * One thread, ppoll() with nanosecond timeouts, a timer slack of 1 ns
 * (the default 50 us slack would add up to 50 us per wake-up), and
 * SCHED_FIFO priority 1 when allowed, so a loaded machine does not delay
 * its wake-ups further. Data per
 * direction is a FIFO of chunks; a connection is closed when either side
 * closes and what it sent has been delivered. Daemonizes after listening,
 * writing its pid into PIDFILE; SIGTERM stops it. Built by bench/session
 * with gcc (no library beyond libc).
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PAIRS 512
#define CHUNK 65536

typedef struct chunk {
	struct chunk *next;
	int64_t due_ns;      /* when it may be written */
	size_t len, off;     /* bytes, and how many are already written */
	char data[];
} chunk;

typedef struct dir {
	int from, to;        /* read from `from`, write to `to` */
	chunk *head, *tail;
	int eof;             /* `from` closed: close the pair once the queue is empty */
} dir;

typedef struct pair {
	int used;
	dir d[2];            /* 0: client -> server, 1: server -> client */
} pair;

static pair pairs[MAX_PAIRS];
static int64_t delay_ns;
static volatile sig_atomic_t stop;

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int nonblock_nodelay(int fd)
{
	int one = 1;
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0) {
		return -1;
	}
	return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void pair_close(pair *p)
{
	int i;
	for (i = 0; i < 2; i++) {
		chunk *c = p->d[i].head;
		while (c) {
			chunk *n = c->next;
			free(c);
			c = n;
		}
	}
	close(p->d[0].from);
	close(p->d[0].to);
	memset(p, 0, sizeof(*p));
}

static void accept_one(int lfd, int upstream_port)
{
	struct sockaddr_in a;
	int c, s, i;

	c = accept(lfd, NULL, NULL);
	if (c < 0) {
		return;
	}
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)upstream_port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_STREAM, 0);
	/* the upstream is on loopback: a blocking connect is immediate */
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) != 0 || nonblock_nodelay(s) != 0
		|| nonblock_nodelay(c) != 0) {
		close(c);
		if (s >= 0) {
			close(s);
		}
		return;
	}
	for (i = 0; i < MAX_PAIRS && pairs[i].used; i++) {
	}
	if (i == MAX_PAIRS) {
		close(c);
		close(s);
		return;
	}
	pairs[i].used = 1;
	pairs[i].d[0].from = c;
	pairs[i].d[0].to = s;
	pairs[i].d[1].from = s;
	pairs[i].d[1].to = c;
}

/* Reads what `from` has into a new chunk due after the delay; 0, or -1 on EOF/error. */
static int pump_in(dir *d)
{
	char buf[CHUNK];
	ssize_t n = read(d->from, buf, sizeof(buf));
	chunk *c;

	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		return 0;
	}
	if (n <= 0) {
		d->eof = 1;
		return -1;
	}
	c = malloc(sizeof(*c) + (size_t)n);
	if (!c) {
		d->eof = 1;
		return -1;
	}
	c->next = NULL;
	c->due_ns = now_ns() + delay_ns;
	c->len = (size_t)n;
	c->off = 0;
	memcpy(c->data, buf, (size_t)n);
	if (d->tail) {
		d->tail->next = c;
	} else {
		d->head = c;
	}
	d->tail = c;
	return 0;
}

/* Writes the chunks that are due; returns -1 when the peer is gone. */
static int pump_out(dir *d, int64_t now)
{
	while (d->head && d->head->due_ns <= now) {
		chunk *c = d->head;
		ssize_t n = write(d->to, c->data + c->off, c->len - c->off);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			return 0;
		}
		if (n < 0) {
			return -1;
		}
		c->off += (size_t)n;
		if (c->off < c->len) {
			return 0;
		}
		d->head = c->next;
		if (!d->head) {
			d->tail = NULL;
		}
		free(c);
	}
	return 0;
}

static void loop(int lfd, int upstream_port)
{
	struct pollfd fds[1 + 2 * MAX_PAIRS];
	int idx[1 + 2 * MAX_PAIRS];

	while (!stop) {
		int n = 1, i, k;
		int64_t now = now_ns(), next = now + 1000000000;
		struct timespec ts;

		fds[0].fd = lfd;
		fds[0].events = POLLIN;
		for (i = 0; i < MAX_PAIRS; i++) {
			if (!pairs[i].used) {
				continue;
			}
			for (k = 0; k < 2; k++) {
				dir *d = &pairs[i].d[k];
				fds[n].fd = d->from;
				fds[n].events = d->eof ? 0 : POLLIN;
				idx[n++] = i * 2 + k;
				if (d->head && d->head->due_ns < next) {
					/* a due chunk the peer had no room for: try again in 50 us */
					next = d->head->due_ns <= now ? now + 50000 : d->head->due_ns;
				}
			}
		}
		ts.tv_sec = next > now ? (next - now) / 1000000000 : 0;
		ts.tv_nsec = next > now ? (next - now) % 1000000000 : 0;
		if (ppoll(fds, (nfds_t)n, &ts, NULL) < 0 && errno != EINTR) {
			return;
		}
		if (fds[0].revents & POLLIN) {
			accept_one(lfd, upstream_port);
		}
		for (i = 1; i < n; i++) {
			if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
				(void)pump_in(&pairs[idx[i] / 2].d[idx[i] % 2]);
			}
		}
		now = now_ns();
		for (i = 0; i < MAX_PAIRS; i++) {
			pair *p = &pairs[i];
			if (!p->used) {
				continue;
			}
			if (pump_out(&p->d[0], now) < 0 || pump_out(&p->d[1], now) < 0
				|| (p->d[0].eof && !p->d[0].head) || (p->d[1].eof && !p->d[1].head)) {
				pair_close(p);
			}
		}
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in a;
	int lfd, one = 1;
	FILE *f;

	if (argc != 5) {
		fprintf(stderr, "usage: %s LISTEN_PORT UPSTREAM_PORT DELAY_US PIDFILE\n", argv[0]);
		return 2;
	}
	delay_ns = atoll(argv[3]) * 1000;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	(void)prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	{
		/* It stands for a network, which does not wait for a free core: on a
		 * loaded machine a proxy scheduled like any process is woken late and
		 * adds far more than the delay. Real-time priority 1 where allowed
		 * (root); it never spins, so it only takes a core while it forwards. */
		struct sched_param sp;
		memset(&sp, 0, sizeof(sp));
		sp.sched_priority = 1;
		(void)sched_setscheduler(0, SCHED_FIFO, &sp);
	}
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)atoi(argv[1]));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0
		|| bind(lfd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(lfd, 128) != 0) {
		perror("delay_proxy: listen");
		return 1;
	}
	if (daemon(1, 1) != 0) {
		perror("delay_proxy: daemon");
		return 1;
	}
	f = fopen(argv[4], "w");
	if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
		return 1;
	}
	loop(lfd, atoi(argv[2]));
	return 0;
}
