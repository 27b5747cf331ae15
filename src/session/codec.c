/*
 * codec.c: lz4 / zstd compression of session data (see ks_sess_codec.h).
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif
#include "session/ks_sess_codec.h"
#include "session/ks_sess_globals.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef KEEPSAKE_LZ4
# include <lz4.h>
#endif
#ifdef KEEPSAKE_ZSTD
# include <zstd.h>
#endif

#define KS_CODEC_MAX_ORIG (512u * 1024 * 1024)   /* Redis's string limit */

bool ks_sess_codec_available(long algo)
{
	switch (algo) {
		case KS_SESS_COMPRESS_NONE: return true;
#ifdef KEEPSAKE_LZ4
		case KS_SESS_COMPRESS_LZ4: return true;
#endif
#ifdef KEEPSAKE_ZSTD
		case KS_SESS_COMPRESS_ZSTD: return true;
#endif
	}
	return false;
}

static void put_header(char *h, char algo, size_t len)
{
	h[0] = '\0';
	h[1] = 'K';
	h[2] = 'S';
	h[3] = algo;
	h[4] = (char)(len & 0xff);
	h[5] = (char)((len >> 8) & 0xff);
	h[6] = (char)((len >> 16) & 0xff);
	h[7] = (char)((len >> 24) & 0xff);
}

int ks_sess_codec_encode(long algo, long level, size_t threshold, const char *in, size_t len,
	char **out, size_t *outlen)
{
	char *buf = NULL;
	size_t n = 0;

	*out = NULL;
	*outlen = 0;
	if (algo == KS_SESS_COMPRESS_NONE || len < threshold || len == 0 || len > KS_CODEC_MAX_ORIG) {
		return 0;
	}
	switch (algo) {
#ifdef KEEPSAKE_LZ4
		case KS_SESS_COMPRESS_LZ4: {
			int r;
			size_t cap = (size_t)LZ4_compressBound((int)len);
			if (!(buf = malloc(KS_SESS_CODEC_HEADER + cap))) {
				return 0;
			}
			/* LZ4's fast mode takes an acceleration factor (1 = best ratio,
			 * higher = faster and larger); compression_level is passed as it. */
			r = LZ4_compress_fast(in, buf + KS_SESS_CODEC_HEADER, (int)len, (int)cap, level > 0 ? (int)level : 1);
			if (r <= 0) {
				free(buf);
				return 0;
			}
			n = (size_t)r;
			put_header(buf, '4', len);
			break;
		}
#endif
#ifdef KEEPSAKE_ZSTD
		case KS_SESS_COMPRESS_ZSTD: {
			size_t r, cap;
			cap = ZSTD_compressBound(len);
			if (!(buf = malloc(KS_SESS_CODEC_HEADER + cap))) {
				return 0;
			}
			r = ZSTD_compress(buf + KS_SESS_CODEC_HEADER, cap, in, len, level > 0 ? (int)level : 3);
			if (ZSTD_isError(r)) {
				free(buf);
				return 0;
			}
			n = r;
			put_header(buf, 'z', len);
			break;
		}
#endif
		default:
			return 0;
	}
	if (KS_SESS_CODEC_HEADER + n >= len) {
		free(buf);   /* incompressible: raw is smaller */
		return 0;
	}
	*out = buf;
	*outlen = KS_SESS_CODEC_HEADER + n;
	return 1;
}

int ks_sess_codec_decode(const char *in, size_t len, char **out, size_t *outlen, char *err, size_t errlen)
{
	size_t orig;
	char *buf;
	const unsigned char *h = (const unsigned char *)in;

	*out = NULL;
	*outlen = 0;
	if (len < KS_SESS_CODEC_HEADER || in[0] != '\0' || in[1] != 'K' || in[2] != 'S') {
		return 0;
	}
	orig = (size_t)h[4] | ((size_t)h[5] << 8) | ((size_t)h[6] << 16) | ((size_t)h[7] << 24);
	if (orig == 0 || orig > KS_CODEC_MAX_ORIG) {
		snprintf(err, errlen, "compressed session data has a bad length header");
		return -1;
	}
	switch (in[3]) {
		case '4':
#ifdef KEEPSAKE_LZ4
		{
			int r;
			if (!(buf = malloc(orig))) {
				snprintf(err, errlen, "out of memory decompressing session data");
				return -1;
			}
			r = LZ4_decompress_safe(in + KS_SESS_CODEC_HEADER, buf, (int)(len - KS_SESS_CODEC_HEADER), (int)orig);
			if (r < 0 || (size_t)r != orig) {
				free(buf);
				snprintf(err, errlen, "lz4 session data is corrupt");
				return -1;
			}
			break;
		}
#else
			snprintf(err, errlen, "session data is lz4-compressed but keepsake was built without lz4");
			return -1;
#endif
		case 'z':
#ifdef KEEPSAKE_ZSTD
		{
			size_t r;
			if (!(buf = malloc(orig))) {
				snprintf(err, errlen, "out of memory decompressing session data");
				return -1;
			}
			r = ZSTD_decompress(buf, orig, in + KS_SESS_CODEC_HEADER, len - KS_SESS_CODEC_HEADER);
			if (ZSTD_isError(r) || r != orig) {
				free(buf);
				snprintf(err, errlen, "zstd session data is corrupt");
				return -1;
			}
			break;
		}
#else
			snprintf(err, errlen, "session data is zstd-compressed but keepsake was built without zstd");
			return -1;
#endif
		default:
			snprintf(err, errlen, "session data has an unknown compression tag 0x%02x", (unsigned)h[3]);
			return -1;
	}
	*out = buf;
	*outlen = orig;
	return 1;
}
