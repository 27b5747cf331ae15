/*
 * deadline.c: the clock every timeout of the Redis client is measured on,
 * and poll() bounded by a deadline on it (deadline.h).
 */
#include "redis/deadline.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <time.h>

int64_t ks_redis_now_ms(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		return 0;   /* cannot happen for CLOCK_MONOTONIC on Linux */
	}
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ks_redis_poll_fd(int fd, short events, int64_t deadline)
{
	struct pollfd p;
	for (;;) {
		int64_t left = deadline - ks_redis_now_ms();
		int rc;
		if (left < 0) {
			left = 0;
		}
		p.fd = fd;
		p.events = events;
		p.revents = 0;
		rc = poll(&p, 1, left > INT32_MAX ? INT32_MAX : (int)left);
		if (rc > 0) {
			return 1;   /* ready, or POLLERR/POLLHUP: the next syscall reports it */
		}
		if (rc == 0) {
			if (ks_redis_now_ms() >= deadline) {
				return 0;
			}
			continue;
		}
		if (errno != EINTR) {
			return -1;
		}
	}
}
