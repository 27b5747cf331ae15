/*
 * tcp.c: the plain socket transports, tcp:// and unix://.
 *
 * Sockets are non-blocking from creation; every wait is a poll() bounded by
 * an absolute monotonic deadline, so connect, write and read can never block
 * past the timeouts the user configured. TCP_NODELAY is set because a round
 * trip is one small write followed by a wait for the reply: Nagle would only
 * delay it. impl is unused (NULL) for both.
 */
#include "redis/tcp.h"
#include "redis/resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/*
 * The pid, asked of the kernel once per process: callers check it on every
 * exec (a socket inherited across fork() is the parent's) and for what
 * else they own per process, which made getpid() a third of the system
 * calls of a typical two-round-trip unit of work. 0 means "not known":
 * the fork child handler stores it, so the child asks again. A process made
 * without fork() (a raw clone()) would keep its parent's pid: PHP makes
 * none (pcntl_fork() calls fork()). glibc drops the handler when the
 * extension is unloaded (__cxa_finalize), so it never calls unmapped code.
 */
static pid_t self_pid;
static pthread_once_t self_pid_once = PTHREAD_ONCE_INIT;

static void self_pid_forget(void)
{
	__atomic_store_n(&self_pid, 0, __ATOMIC_RELAXED);
}

static void self_pid_hook(void)
{
	if (pthread_atfork(NULL, NULL, self_pid_forget) != 0) {
		__atomic_store_n(&self_pid, -1, __ATOMIC_RELAXED);   /* no handler: always ask */
	}
}

pid_t ks_redis_self_pid(void)
{
	pid_t p;

	(void)pthread_once(&self_pid_once, self_pid_hook);
	p = __atomic_load_n(&self_pid, __ATOMIC_RELAXED);
	if (p > 0) {
		return p;
	}
	if (p == 0) {
		__atomic_store_n(&self_pid, getpid(), __ATOMIC_RELAXED);
	}
	return getpid();
}

static int set_nonblock_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
		return -1;
	}
	fl = fcntl(fd, F_GETFD);
	if (fl < 0 || fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0) {
		return -1;
	}
	return 0;
}

/* Completes a non-blocking connect(): 0 connected, else -1 with errno. */
static int connect_wait(int fd, const struct sockaddr *sa, socklen_t salen, int64_t deadline)
{
	int soerr = 0;
	socklen_t len = sizeof(soerr);
	if (connect(fd, sa, salen) == 0) {
		return 0;
	}
	if (errno != EINPROGRESS && errno != EAGAIN) {
		return -1;
	}
	switch (ks_redis_poll_fd(fd, POLLOUT, deadline)) {
		case 0:
			errno = ETIMEDOUT;
			return -1;
		case -1:
			return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0) {
		return -1;
	}
	if (soerr) {
		errno = soerr;
		return -1;
	}
	return 0;
}

static const char *conn_errno_str(int e)
{
	return e == ETIMEDOUT ? "connect timed out" : strerror(e);
}

int ks_redis_tcp_connect_fd(const ks_redis_host *h, const ks_redis_endpoint *target, int64_t deadline,
	ks_redis_err *err)
{
	const char *host = target ? target->host : h->host;
	int port = target ? target->port : h->port;
	struct addrinfo *res = NULL, *ai;
	int fd = -1, last = ECONNREFUSED;
	char why[256];

	/* The lookup shares the connect deadline (resolve.h): a resolver that
	 * does not answer cannot hold the request past the connect timeout. */
	if (ks_redis_resolve(host, port, deadline, &res, why, sizeof(why)) != 0) {
		if (target) {   /* a node named by CLUSTER SLOTS, MOVED or a sentinel */
			ks_redis_err_set(err, KS_REDIS_ERR_CONNECT, "cannot resolve %.256s (for %s): %s", host, err->peer, why);
		} else {
			ks_redis_err_set(err, KS_REDIS_ERR_CONNECT, "cannot resolve %s: %s", err->peer, why);
		}
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		int one = 1;
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0) {
			last = errno;
			continue;
		}
		if (set_nonblock_cloexec(fd) == 0 && connect_wait(fd, ai->ai_addr, ai->ai_addrlen, deadline) == 0) {
			(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));  /* best effort */
			(void)setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
			break;
		}
		last = errno;
		close(fd);
		fd = -1;
		if (ks_redis_now_ms() >= deadline) {
			last = ETIMEDOUT;
			break;
		}
	}
	ks_redis_resolve_free(res);
	if (fd < 0) {
		ks_redis_err_set(err, KS_REDIS_ERR_CONNECT, "cannot connect to %s: %s", err->peer, conn_errno_str(last));
	}
	return fd;
}

static ks_redis_status tcp_connect(ks_redis_transport *t, const ks_redis_host *h,
	const ks_redis_endpoint *target, int64_t deadline, ks_redis_err *err)
{
	/* A connect hook may name the address (a discovered master). */
	int fd = ks_redis_tcp_connect_fd(h, target, deadline, err);

	if (fd < 0) {
		return *err->st;
	}
	t->fd = fd;
	return KS_REDIS_OK;
}

static ks_redis_status unix_connect(ks_redis_transport *t, const ks_redis_host *h,
	const ks_redis_endpoint *target, int64_t deadline, ks_redis_err *err)
{
	struct sockaddr_un sa;
	int fd;
	size_t n = strlen(h->host);

	(void)target;   /* a socket path is never discovered */

	if (n >= sizeof(sa.sun_path)) {
		return ks_redis_err_set(err, KS_REDIS_ERR_CONFIG, "cannot connect to %s: socket path too long", err->peer);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, h->host, n + 1);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0) {
		return ks_redis_err_set(err, KS_REDIS_ERR_CONNECT, "cannot connect to %s: %s", err->peer, strerror(errno));
	}
	if (set_nonblock_cloexec(fd) < 0 || connect_wait(fd, (struct sockaddr *)&sa, sizeof(sa), deadline) < 0) {
		int e = errno;
		close(fd);
		return ks_redis_err_set(err, KS_REDIS_ERR_CONNECT, "cannot connect to %s: %s", err->peer, conn_errno_str(e));
	}
	t->fd = fd;
	return KS_REDIS_OK;
}

static ks_redis_status sock_write_all(ks_redis_transport *t, const char *buf, size_t len,
	int64_t deadline, ks_redis_err *err)
{
	while (len > 0) {
		ssize_t w = send(t->fd, buf, len, MSG_NOSIGNAL);
		if (w > 0) {
			buf += w;
			len -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			int rc = ks_redis_poll_fd(t->fd, POLLOUT, deadline);
			if (rc == 0) {
				return ks_redis_err_set(err, KS_REDIS_ERR_TIMEOUT, "write to %s timed out", err->peer);
			}
			if (rc > 0) {
				continue;
			}
		}
		return ks_redis_err_set(err, KS_REDIS_ERR_IO, "write to %s failed: %s", err->peer, strerror(errno));
	}
	t->awaiting = true;
	return KS_REDIS_OK;
}

/*
 * The first read after a write waits in poll() before it reads: the reply
 * to what was just sent has almost never arrived yet (on loopback a recv()
 * tried at once found nothing in 85% of round trips), and a recv() that
 * finds nothing costs a system call for nothing. Later reads of the same
 * reply try recv() first, as the rest of a long reply is usually there.
 */
static ks_redis_status sock_read_some(ks_redis_transport *t, char *buf, size_t cap, size_t *nread,
	int64_t deadline, ks_redis_err *err)
{
	if (t->awaiting) {
		int rc = ks_redis_poll_fd(t->fd, POLLIN, deadline);
		t->awaiting = false;
		if (rc == 0) {
			return ks_redis_err_set(err, KS_REDIS_ERR_TIMEOUT, "no reply from %s within the read timeout", err->peer);
		}
		if (rc < 0) {
			return ks_redis_err_set(err, KS_REDIS_ERR_IO, "read from %s failed: %s", err->peer, strerror(errno));
		}
	}
	for (;;) {
		ssize_t r = recv(t->fd, buf, cap, 0);
		if (r > 0) {
			*nread = (size_t)r;
			return KS_REDIS_OK;
		}
		if (r == 0) {
			return ks_redis_err_set(err, KS_REDIS_ERR_IO, "%s closed the connection", err->peer);
		}
		if (errno == EINTR) {
			continue;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			int rc = ks_redis_poll_fd(t->fd, POLLIN, deadline);
			if (rc == 0) {
				return ks_redis_err_set(err, KS_REDIS_ERR_TIMEOUT, "no reply from %s within the read timeout", err->peer);
			}
			if (rc > 0) {
				continue;
			}
		}
		return ks_redis_err_set(err, KS_REDIS_ERR_IO, "read from %s failed: %s", err->peer, strerror(errno));
	}
}

/* An idle Redis connection never has bytes to read: readable means EOF
 * (server restarted, idle timeout) or garbage; either way it is unusable. */
static bool sock_is_stale(ks_redis_transport *t)
{
	struct pollfd p = { t->fd, POLLIN, 0 };
	int rc;
	do {
		rc = poll(&p, 1, 0);
	} while (rc < 0 && errno == EINTR);
	return rc != 0;
}

static void sock_close(ks_redis_transport *t)
{
	if (t->fd >= 0) {
		close(t->fd);
	}
	t->fd = -1;
	t->impl = NULL;
	t->awaiting = false;
	t->ops = NULL;
}

const ks_redis_transport_ops ks_redis_tcp_ops = {
	"tcp", tcp_connect, sock_write_all, sock_read_some, sock_is_stale, sock_close
};

const ks_redis_transport_ops ks_redis_unix_ops = {
	"unix", unix_connect, sock_write_all, sock_read_some, sock_is_stale, sock_close
};
