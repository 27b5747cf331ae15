/*
 * cmd.c: the command builder (see cmd.h). Each argument is encoded as it is
 * appended, so the conn's pipeline buffer gets one copy of the bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "redis/cmd.h"

void ks_redis_cmd_init_args(ks_redis_cmd *cmd)
{
	cmd->buf = cmd->inline_buf;
	cmd->len = 0;
	cmd->cap = sizeof(cmd->inline_buf);
	cmd->argc = 0;
	cmd->oom = false;
}

void ks_redis_cmd_init(ks_redis_cmd *cmd, const char *name)
{
	ks_redis_cmd_init_args(cmd);
	ks_redis_cmd_append_str(cmd, name);
}

/* Room for `more` bytes after len; false (and oom) when memory ran out. */
static bool reserve(ks_redis_cmd *cmd, size_t more)
{
	size_t ncap = cmd->cap;
	char *nb;

	if (cmd->oom || more > (size_t)-1 / 2 - cmd->len) {
		cmd->oom = true;
		return false;
	}
	if (cmd->len + more <= cmd->cap) {
		return true;
	}
	while (ncap < cmd->len + more) {
		ncap *= 2;
	}
	nb = cmd->buf == cmd->inline_buf ? malloc(ncap) : realloc(cmd->buf, ncap);
	if (nb == NULL) {
		cmd->oom = true;
		return false;
	}
	if (cmd->buf == cmd->inline_buf) {
		memcpy(nb, cmd->inline_buf, cmd->len);
	}
	cmd->buf = nb;
	cmd->cap = ncap;
	return true;
}

/*
 * Writes the decimal digits of v so that they end just before `end`, and
 * returns where they start. Every argument's length, every integer
 * argument and every command's header is a number: snprintf spent about
 * 700 instructions on each, half of the CPU a typical caller spent in this
 * extension per round trip pair (callgrind, docs/benchmarks.md); this
 * spends one division by a constant per digit.
 */
static char *put_digits(char *end, unsigned long long v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

/* "<lead><v>\r\n" into out (room for 24 bytes); returns its length. */
static size_t num_line(char *out, char lead, unsigned long long v)
{
	char tmp[24];
	char *end = tmp + sizeof(tmp), *p = put_digits(end, v);
	size_t n = (size_t)(end - p);

	out[0] = lead;
	memcpy(out + 1, p, n);
	memcpy(out + 1 + n, "\r\n", 2);
	return n + 3;
}

void ks_redis_cmd_append_len(ks_redis_cmd *cmd, const char *s, size_t len)
{
	char hdr[32];
	size_t n = num_line(hdr, '$', len);

	/* n + len + 2 must not wrap around to a small reservation that the
	 * copy below would overrun; reserve() refuses anything this large. */
	if (len > (size_t)-1 / 2 || !reserve(cmd, n + len + 2)) {
		cmd->oom = true;
		return;
	}
	memcpy(cmd->buf + cmd->len, hdr, n);
	if (len > 0) {
		memcpy(cmd->buf + cmd->len + n, s, len);
	}
	memcpy(cmd->buf + cmd->len + n + len, "\r\n", 2);
	cmd->len += n + len + 2;
	cmd->argc++;
}

void ks_redis_cmd_append_args(ks_redis_cmd *cmd, const ks_redis_cmd *args)
{
	if (args->oom) {
		cmd->oom = true;
		return;
	}
	if (args->len == 0 || !reserve(cmd, args->len)) {
		return;
	}
	memcpy(cmd->buf + cmd->len, args->buf, args->len);
	cmd->len += args->len;
	cmd->argc += args->argc;
}

void ks_redis_cmd_append_str(ks_redis_cmd *cmd, const char *s)
{
	ks_redis_cmd_append_len(cmd, s, strlen(s));
}

void ks_redis_cmd_append_long(ks_redis_cmd *cmd, long long v)
{
	char num[24];
	char *end = num + sizeof(num);
	/* the magnitude in unsigned arithmetic: -LLONG_MIN does not fit a long long */
	char *p = put_digits(end, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v);

	if (v < 0) {
		*--p = '-';
	}
	ks_redis_cmd_append_len(cmd, p, (size_t)(end - p));
}

size_t ks_redis_cmd_header(const ks_redis_cmd *cmd, char *hdr, size_t hdrlen)
{
	char tmp[32];
	size_t n = num_line(tmp, '*', cmd->argc);

	if (n >= hdrlen) {
		return 0;
	}
	memcpy(hdr, tmp, n);
	hdr[n] = '\0';
	return n;
}

void ks_redis_cmd_free(ks_redis_cmd *cmd)
{
	if (cmd->buf != cmd->inline_buf) {
		free(cmd->buf);
	}
	cmd->buf = cmd->inline_buf;
	cmd->len = 0;
	cmd->cap = sizeof(cmd->inline_buf);
	cmd->argc = 0;
}
