/*
 * cmd.c: the command builder (see cmd.h). Each argument is encoded as it is
 * appended, so the conn's pipeline buffer gets one copy of the bytes.
 */
#include <stdio.h>
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

void ks_redis_cmd_append_len(ks_redis_cmd *cmd, const char *s, size_t len)
{
	char hdr[32];
	int n = snprintf(hdr, sizeof(hdr), "$%zu\r\n", len);

	if (n < 0 || !reserve(cmd, (size_t)n + len + 2)) {
		return;
	}
	memcpy(cmd->buf + cmd->len, hdr, (size_t)n);
	if (len > 0) {
		memcpy(cmd->buf + cmd->len + n, s, len);
	}
	memcpy(cmd->buf + cmd->len + n + len, "\r\n", 2);
	cmd->len += (size_t)n + len + 2;
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
	int n = snprintf(num, sizeof(num), "%lld", v);

	ks_redis_cmd_append_len(cmd, num, (size_t)n);
}

size_t ks_redis_cmd_header(const ks_redis_cmd *cmd, char *hdr, size_t hdrlen)
{
	int n = snprintf(hdr, hdrlen, "*%u\r\n", cmd->argc);

	return n > 0 && (size_t)n < hdrlen ? (size_t)n : 0;
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
