/*
 * crc16.c: CRC-16/XMODEM, bit by bit.
 *
 * A 256-entry table would be a little faster, but the keys hashed here are
 * a few dozen bytes long and hashed once per route, so eight shifts
 * per byte cost nothing measurable and leave no table to get wrong.
 */
#include "redis/crc16.h"

#define KS_CRC16_POLY 0x1021u

uint16_t ks_redis_crc16(const char *buf, size_t len)
{
	uint16_t crc = 0;
	size_t i;
	int bit;

	for (i = 0; i < len; i++) {
		crc ^= (uint16_t)((unsigned char)buf[i] << 8);
		for (bit = 0; bit < 8; bit++) {
			/* Shift out the top bit; when it was set, fold in the polynomial. */
			if (crc & 0x8000u) {
				crc = (uint16_t)((crc << 1) ^ KS_CRC16_POLY);
			} else {
				crc = (uint16_t)(crc << 1);
			}
		}
	}
	return crc;
}
