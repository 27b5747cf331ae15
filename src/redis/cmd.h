/*
 * cmd.h: building one Redis command, argument by argument (cmd.c).
 *
 * A ks_redis_cmd collects the RESP encoding of its arguments
 * ("$<len>\r\n<bytes>\r\n" each) and counts them, so no caller writes an
 * argument count or a literal length by hand:
 *
 *     ks_redis_cmd cmd;
 *     ks_redis_cmd_init(&cmd, "SET");
 *     ks_redis_cmd_append_len(&cmd, key, key_len);
 *     ks_redis_cmd_append_len(&cmd, val, val_len);
 *     ks_redis_cmd_append_str(&cmd, "EX");
 *     ks_redis_cmd_append_long(&cmd, ttl);
 *     st = ks_redis_append_cmd(conn, &cmd);   (conn.h: adds the "*<argc>" header)
 *     ks_redis_cmd_free(&cmd);
 *
 * Layout and invariants: buf holds len bytes of encoded arguments, argc of
 * them; buf points at inline[] until the command outgrows it, then at a
 * malloc()ed block of cap bytes. Out of memory is sticky (oom): later
 * appends do nothing, and ks_redis_append_cmd() reports it. A command is
 * a local value: never copy the struct (buf may point into it).
 * Pure: no I/O, no hiredis, no PHP.
 */
#ifndef KS_REDIS_CMD_H
#define KS_REDIS_CMD_H

#include <stddef.h>
#include <stdbool.h>

typedef struct ks_redis_cmd {
	char *buf;          /* inline, or malloc()ed once grown */
	size_t len, cap;
	unsigned argc;
	bool oom;           /* an append ran out of memory: the command is unusable */
	char inline_buf[256];
} ks_redis_cmd;

/* Starts a command whose first argument is `name` ("GET", "EVALSHA", ...). */
void ks_redis_cmd_init(ks_redis_cmd *cmd, const char *name);
/* Starts an empty list of arguments, to be appended to a command later
 * (ks_redis_cmd_append_args): e.g. a script's keys and arguments. */
void ks_redis_cmd_init_args(ks_redis_cmd *cmd);
/* Appends every argument of `args` (copied; the caller frees args). */
void ks_redis_cmd_append_args(ks_redis_cmd *cmd, const ks_redis_cmd *args);
/* Appends len bytes (binary-safe) as one argument. */
void ks_redis_cmd_append_len(ks_redis_cmd *cmd, const char *s, size_t len);
/* Appends a NUL-terminated string as one argument. */
void ks_redis_cmd_append_str(ks_redis_cmd *cmd, const char *s);
/* Appends an integer, in decimal, as one argument. */
void ks_redis_cmd_append_long(ks_redis_cmd *cmd, long long v);
/* Writes the "*<argc>\r\n" header that goes before buf into hdr (24 bytes
 * are always enough) and returns its length; 0 when hdr is too small. */
size_t ks_redis_cmd_header(const ks_redis_cmd *cmd, char *hdr, size_t hdrlen);
/* Frees what the command allocated; it may be initialised again. */
void ks_redis_cmd_free(ks_redis_cmd *cmd);

#endif /* KS_REDIS_CMD_H */
