/*
 * keys.c: session ids, key names, tokens and the lock TTL rule (pure).
 * ks_sess_keys.h states each function's contract.
 */
#include "session/ks_sess_keys.h"

#include <stdlib.h>
#include <string.h>

bool ks_sess_sid_chars_valid(const char *sid, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = sid[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
			|| c == ',' || c == '-')) {
			return false;
		}
	}
	return true;
}

bool ks_sess_sid_valid(const char *sid, size_t len)
{
	return len > 0 && len <= KS_SESS_MAX_SID && ks_sess_sid_chars_valid(sid, len);
}

int ks_sess_keys_build(ks_sess_keys *k, const char *prefix, size_t plen, const char *sid, size_t slen)
{
	memset(k, 0, sizeof(*k));
	return ks_sess_keys_rebuild(k, prefix, plen, sid, slen);
}

int ks_sess_keys_rebuild(ks_sess_keys *k, const char *prefix, size_t plen, const char *sid, size_t slen)
{
	size_t base = plen + slen + 2;   /* prefix{sid} */
	size_t need = 4 * base + sizeof(":lock") + sizeof(":wake") + sizeof(":queue") + 1;
	char *buf = k->buf, *p;
	size_t cap = k->cap;

	if (need > cap) {
		free(buf);
		cap = need;
		if (!(buf = malloc(cap))) {
			memset(k, 0, sizeof(*k));
			return -1;
		}
	}
	memset(k, 0, sizeof(*k));
	k->buf = p = buf;
	k->cap = cap;
	k->data = p;
	memcpy(p, prefix, plen);
	p[plen] = '{';
	memcpy(p + plen + 1, sid, slen);
	p[plen + 1 + slen] = '}';
	p[base] = '\0';
	k->data_len = base;

	p += base + 1;
	k->lock = p;
	memcpy(p, k->data, base);
	memcpy(p + base, ":lock", sizeof(":lock"));
	k->lock_len = base + 5;

	p += base + sizeof(":lock");
	k->wake = p;
	memcpy(p, k->data, base);
	memcpy(p + base, ":wake", sizeof(":wake"));
	k->wake_len = base + 5;

	p += base + sizeof(":wake");
	k->queue = p;
	memcpy(p, k->data, base);
	memcpy(p + base, ":queue", sizeof(":queue"));
	k->queue_len = base + 6;
	return 0;
}

int ks_sess_keys_receipt(const ks_sess_keys *k, const char *token, char **out, size_t *len)
{
	size_t n = k->data_len + sizeof(":done:") - 1 + KS_SESS_TOKEN_HEX;
	char *p = malloc(n + 1);

	*out = NULL;
	*len = 0;
	if (!p) {
		return -1;
	}
	memcpy(p, k->data, k->data_len);
	memcpy(p + k->data_len, ":done:", sizeof(":done:") - 1);
	memcpy(p + k->data_len + sizeof(":done:") - 1, token, KS_SESS_TOKEN_HEX);
	p[n] = '\0';
	*out = p;
	*len = n;
	return 0;
}

void ks_sess_keys_free(ks_sess_keys *k)
{
	free(k->buf);
	memset(k, 0, sizeof(*k));
}

void ks_sess_hex(const unsigned char *raw, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;
	for (i = 0; i < n; i++) {
		out[2 * i] = digits[raw[i] >> 4];
		out[2 * i + 1] = digits[raw[i] & 15];
	}
	out[2 * n] = '\0';
}

int64_t ks_sess_lock_ttl_ms(int64_t ini_ttl_ms, int64_t max_execution_time_s)
{
	int64_t ttl;
	if (ini_ttl_ms > 0) {
		return ini_ttl_ms;
	}
	/* max_execution_time counts CPU time on Linux, not time blocked on I/O,
	 * so it is only a hint; the floor keeps slow requests safe, and
	 * max_execution_time=0 (CLI) still gets a finite TTL. A day or more is
	 * clamped to lock_ttl's own maximum, one day (checked before the
	 * multiplication, which could overflow). */
	if (max_execution_time_s <= 0) {
		return 30000;
	}
	if (max_execution_time_s >= 86400) {
		return 86400000;
	}
	ttl = max_execution_time_s * 1000 + 5000;
	if (ttl > 86400000) {
		return 86400000;
	}
	return ttl < 30000 ? 30000 : ttl;
}

int64_t ks_sess_lock_wait_ms(int64_t ini_wait_ms, int64_t lock_ttl_ms)
{
	return ini_wait_ms < 0 ? lock_ttl_ms : ini_wait_ms;
}

int64_t ks_sess_reserve_ms(int64_t lock_ttl_ms)
{
	if (lock_ttl_ms < 1) {
		return 1;
	}
	return lock_ttl_ms < KS_SESS_RESERVE_MS ? lock_ttl_ms : KS_SESS_RESERVE_MS;
}
