/*
 * tcp.h: the plain socket transports (tcp.c), tcp:// and unix://, and the
 * TCP connect that transports layered on TCP (TLS) share.
 */
#ifndef KS_REDIS_TCP_H
#define KS_REDIS_TCP_H

#include "redis/transport.h"

extern const ks_redis_transport_ops ks_redis_tcp_ops;    /* tcp:// */
extern const ks_redis_transport_ops ks_redis_unix_ops;   /* unix:// */

/*
 * Opens a non-blocking TCP socket to `target` (NULL: h's own host and port;
 * each resolved address in turn) and waits for the connection with poll()
 * until `deadline`; a host name's lookup shares that deadline (resolve.h).
 * Returns the fd, or -1 with the cause in err ("cannot connect to
 * tcp://h:p: Connection refused").
 */
int ks_redis_tcp_connect_fd(const ks_redis_host *h, const ks_redis_endpoint *target, int64_t deadline,
	ks_redis_err *err);

#endif /* KS_REDIS_TCP_H */
