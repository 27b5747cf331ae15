/*
 * crc16.h: the CRC16 that Redis Cluster uses to map a key to a hash slot.
 *
 * The variant is CRC-16/XMODEM: polynomial 0x1021, initial value 0, no
 * reflection, no final xor. Its check value is 0x31c3 for "123456789".
 * The function is pure and keeps no state, so any thread or process may
 * call it. Nothing here knows about keys or slots; see cluster.h.
 */
#ifndef KS_REDIS_CRC16_H
#define KS_REDIS_CRC16_H

#include <stddef.h>
#include <stdint.h>

/* CRC-16/XMODEM of buf[0..len). buf may be NULL when len is 0. */
uint16_t ks_redis_crc16(const char *buf, size_t len);

#endif
