/*
 * ks_sess_codec.h: optional compression of stored session data (pure).
 *
 * Stored format: either the serialized session as PHP produced it (raw), or
 *     "\0KS" <algo> <u32 little-endian original length> <compressed bytes>
 * with algo '4' (lz4) or 'z' (zstd). No PHP serializer produces a leading
 * "\0KS" (php and php_serialize start with a key or "a:", php_binary with
 * a non-zero length byte, igbinary with "\0\0\0\2"), so readers tell the
 * formats apart by the header alone: every reader accepts every format,
 * whatever keepsake.session.compression says, as long as the algorithm was
 * compiled in.
 */
#ifndef KS_SESS_CODEC_H
#define KS_SESS_CODEC_H

#include <stdbool.h>
#include <stddef.h>

#define KS_SESS_CODEC_HEADER 8

/* True when algo (KS_SESS_COMPRESS_*) was compiled in. NONE is always. */
bool ks_sess_codec_available(long algo);

/*
 * Compresses in[0..len) with algo at level (0 = default) when len >= threshold
 * and the result is smaller. Returns 1 with *out malloc'd (caller frees) and
 * *outlen set, or 0 when the data should be stored raw (*out NULL).
 */
int ks_sess_codec_encode(long algo, long level, size_t threshold, const char *in, size_t len,
	char **out, size_t *outlen);

/*
 * Decodes stored data. Returns 0 when it is raw (*out NULL: use `in` as is),
 * 1 with *out malloc'd (caller frees) and *outlen set, or -1 with a message
 * in err (corrupt data, or an algorithm not compiled in).
 */
int ks_sess_codec_decode(const char *in, size_t len, char **out, size_t *outlen, char *err, size_t errlen);

#endif
