/*
 * deadline.h: absolute deadlines. Every wait of the Redis client (connect,
 * name lookup, write, reply) is bounded by a deadline in milliseconds of
 * CLOCK_MONOTONIC, computed once from the configured timeout, so a wait
 * made of several polls cannot outlast it. No state; thread-safe.
 */
#ifndef KS_REDIS_DEADLINE_H
#define KS_REDIS_DEADLINE_H

#include <stdint.h>

/* CLOCK_MONOTONIC, milliseconds: the clock of every deadline. */
int64_t ks_redis_now_ms(void);

/* Waits for `events` (POLLIN/POLLOUT) on fd until deadline: 1 ready, 0 timed
 * out, -1 error (errno set). Retries EINTR. */
int ks_redis_poll_fd(int fd, short events, int64_t deadline);

#endif /* KS_REDIS_DEADLINE_H */
