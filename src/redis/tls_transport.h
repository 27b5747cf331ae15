/*
 * tls_transport.h: tls:// as a transport (tls_transport.c): TCP from tcp.c,
 * then OpenSSL from tls.c. Exists only when built with KEEPSAKE_TLS.
 */
#ifndef KS_REDIS_TLS_TRANSPORT_H
#define KS_REDIS_TLS_TRANSPORT_H

#include "redis/transport.h"

#ifdef KEEPSAKE_TLS
extern const ks_redis_transport_ops ks_redis_tls_ops;    /* tls:// */
#endif

#endif /* KS_REDIS_TLS_TRANSPORT_H */
