/*
 * migrate.c: key names of phpredis and the files of PHP's files handler, for
 * adopting a session from the store keepsake replaces (ks_sess_migrate.h).
 *
 * The file walk never resolves a path string below DIR: it opens one
 * component at a time with openat(O_NOFOLLOW) from the directory's fd, and
 * every component is a name made of the sid's own characters, which
 * ks_sess_mig_files_sid_valid() limits to [a-zA-Z0-9,-]. So neither ".."
 * nor a symlink planted in DIR (or in a subdirectory) can lead outside it.
 */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE 1   /* O_NOFOLLOW, O_DIRECTORY, O_CLOEXEC on older libcs */
#endif
#include "session/ks_sess_migrate.h"
#include "session/ks_sess_keys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FILE_PREFIX "sess_"
#define NAME_MAX_LEN (sizeof(FILE_PREFIX) - 1 + KS_SESS_MIG_FILES_MAX_SID)

static ks_sess_mig_status fail(ks_sess_mig_status st, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return st;
}

static ks_sess_mig_status concat(const char *a, size_t alen, const char *b, size_t blen,
	const char *c, size_t clen, char **out, size_t *outlen)
{
	char *p = malloc(alen + blen + clen + 1);

	*out = NULL;
	*outlen = 0;
	if (!p) {
		return KS_SESS_MIG_NOMEM;
	}
	memcpy(p, a, alen);
	memcpy(p + alen, b, blen);
	memcpy(p + alen + blen, c, clen);
	p[alen + blen + clen] = '\0';
	*out = p;
	*outlen = alen + blen + clen;
	return KS_SESS_MIG_OK;
}

/* ---- phpredis ---------------------------------------------------------- */

ks_sess_mig_status ks_sess_mig_phpredis_key(const char *prefix, size_t plen, const char *sid, size_t slen,
	char **out, size_t *outlen)
{
	return concat(prefix, plen, sid, slen, "", 0, out, outlen);
}

ks_sess_mig_status ks_sess_mig_phpredis_lock_key(const char *key, size_t klen, ks_sess_mig_lock_form form,
	char **out, size_t *outlen)
{
	const char *open, *close;

	if (form == KS_SESS_MIG_LOCK_STANDALONE) {
		return concat("", 0, key, klen, "_LOCK", 5, out, outlen);
	}
	/* Cluster: the lock must hash like the key. Redis hashes the text
	 * between the first '{' and the first '}' after it when that is not
	 * empty; phpredis keeps such a key's tag ("<key>_LOCK"), wraps a key
	 * without any brace ("{<key>}_LOCK"), and refuses every other shape. */
	*out = NULL;
	*outlen = 0;
	if (klen == 0) {
		return KS_SESS_MIG_INVALID;   /* "{}_LOCK" would hash elsewhere; a sid is never empty */
	}
	open = memchr(key, '{', klen);
	if (!open) {
		if (memchr(key, '}', klen)) {
			return KS_SESS_MIG_INVALID;
		}
		return concat("{", 1, key, klen, "}_LOCK", 6, out, outlen);
	}
	close = memchr(open + 1, '}', klen - (size_t)(open + 1 - key));
	if (!close || close == open + 1) {
		return KS_SESS_MIG_INVALID;
	}
	return concat("", 0, key, klen, "_LOCK", 5, out, outlen);
}

/* ---- files: pure ------------------------------------------------------- */

/* Reads an unsigned number of digits in base 8 or 10 into *v (<= max). */
static bool parse_number(const char *s, size_t len, int base, long max, long *v)
{
	size_t i;
	long n = 0;

	if (len == 0) {
		return false;
	}
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] >= '0' + base) {
			return false;
		}
		n = n * base + (s[i] - '0');
		if (n > max) {
			return false;
		}
	}
	*v = n;
	return true;
}

ks_sess_mig_status ks_sess_mig_files_path_parse(const char *s, size_t len, ks_sess_mig_files_path *p,
	char *err, size_t errlen)
{
	const char *part[3];
	size_t plen[3], nparts = 0, start = 0, i;
	long v;

	memset(p, 0, sizeof(*p));
	p->mode = 0600;
	if (len == 0) {
		return KS_SESS_MIG_OK;
	}
	if (memchr(s, '\0', len)) {
		return fail(KS_SESS_MIG_INVALID, err, errlen, "the files save path contains a NUL byte");
	}
	/* As mod_files: at most two ';' split it; the rest is DIR. */
	for (i = 0; i < len && nparts < 2; i++) {
		if (s[i] == ';') {
			part[nparts] = s + start;
			plen[nparts++] = i - start;
			start = i + 1;
		}
	}
	part[nparts] = s + start;
	plen[nparts++] = len - start;

	if (nparts > 1) {
		if (!parse_number(part[0], plen[0], 10, KS_SESS_MIG_FILES_MAX_DEPTH, &v)) {
			return fail(KS_SESS_MIG_INVALID, err, errlen,
				"the files save path's directory depth (before the first ';') is not a number from 0 to %d",
				KS_SESS_MIG_FILES_MAX_DEPTH);
		}
		p->depth = (size_t)v;
	}
	if (nparts > 2) {
		if (!parse_number(part[1], plen[1], 8, 07777, &v)) {
			return fail(KS_SESS_MIG_INVALID, err, errlen,
				"the files save path's file mode (between the two ';') is not an octal number up to 7777");
		}
		p->mode = (int)v;
	}
	if (plen[nparts - 1] == 0) {
		return fail(KS_SESS_MIG_INVALID, err, errlen, "the files save path names no directory after its ';'");
	}
	p->dir = part[nparts - 1];
	p->dir_len = plen[nparts - 1];
	return KS_SESS_MIG_OK;
}

bool ks_sess_mig_files_sid_valid(const char *sid, size_t len, size_t depth)
{
	return len > 0 && len <= KS_SESS_MIG_FILES_MAX_SID && len > depth && ks_sess_sid_chars_valid(sid, len);
}

long ks_sess_mig_files_relpath(size_t depth, const char *sid, size_t len, char *buf, size_t buflen)
{
	size_t i, n = 0;

	if (!ks_sess_mig_files_sid_valid(sid, len, depth)
		|| buflen < 2 * depth + sizeof(FILE_PREFIX) - 1 + len + 1) {
		return -1;
	}
	for (i = 0; i < depth; i++) {
		buf[n++] = sid[i];
		buf[n++] = '/';
	}
	memcpy(buf + n, FILE_PREFIX, sizeof(FILE_PREFIX) - 1);
	n += sizeof(FILE_PREFIX) - 1;
	memcpy(buf + n, sid, len);
	n += len;
	buf[n] = '\0';
	return (long)n;
}

/* ---- files: I/O -------------------------------------------------------- */

int ks_sess_mig_files_open_dir(const char *dir, size_t dir_len, char *err, size_t errlen)
{
	char *path;
	int fd, e;

	if (dir_len == 0 || memchr(dir, '\0', dir_len)) {
		(void)fail(KS_SESS_MIG_INVALID, err, errlen, "the files session directory is empty or holds a NUL byte");
		return -1;
	}
	path = malloc(dir_len + 1);
	if (!path) {
		(void)fail(KS_SESS_MIG_NOMEM, err, errlen, "out of memory");
		return -1;
	}
	memcpy(path, dir, dir_len);
	path[dir_len] = '\0';
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	e = errno;
	free(path);
	if (fd < 0) {
		(void)fail(KS_SESS_MIG_IO, err, errlen, "cannot open the files session directory: %s", strerror(e));
	}
	return fd;
}

/* Maps a failed openat's errno: a missing entry is "no session"; ELOOP
 * (a symlink met with O_NOFOLLOW) and ENOTDIR are refusals. */
static ks_sess_mig_status open_error(int e, const char *what, char *err, size_t errlen)
{
	if (e == ENOENT) {
		return KS_SESS_MIG_NONE;
	}
	if (e == ELOOP || e == ENOTDIR || e == ENXIO) {
		return fail(KS_SESS_MIG_REFUSED, err, errlen,
			"the session's %s is a symbolic link or not a %s (refused)", what,
			strcmp(what, "file") ? "directory" : "regular file");
	}
	return fail(KS_SESS_MIG_IO, err, errlen, "cannot open the session's %s: %s", what, strerror(e));
}

/*
 * Opens the subdirectory that holds sid's file (depth levels below dirfd),
 * never following a symlink. *parent is dirfd itself when depth is 0, else
 * an fd the caller closes (*owned set).
 */
static ks_sess_mig_status open_parent(int dirfd, size_t depth, const char *sid, int *parent, bool *owned,
	char *err, size_t errlen)
{
	size_t i;
	int cur = dirfd, next;
	char name[2] = { 0, 0 };

	*owned = false;
	for (i = 0; i < depth; i++) {
		name[0] = sid[i];
		next = openat(cur, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			int e = errno;
			if (cur != dirfd) {
				close(cur);
			}
			return open_error(e, "subdirectory", err, errlen);
		}
		if (cur != dirfd) {
			close(cur);
		}
		cur = next;
	}
	*parent = cur;
	*owned = cur != dirfd;
	return KS_SESS_MIG_OK;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* flock(LOCK_SH), polled so the wait is bounded by wait_ms. */
static ks_sess_mig_status lock_shared(int fd, int wait_ms, char *err, size_t errlen)
{
	int64_t deadline = now_ms() + (wait_ms > 0 ? wait_ms : 0);
	long pause_us = 500;

	for (;;) {
		if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
			return KS_SESS_MIG_OK;
		}
		if (errno == EINTR) {
			continue;
		}
		if (errno != EWOULDBLOCK) {
			return fail(KS_SESS_MIG_IO, err, errlen, "cannot lock the session file: %s", strerror(errno));
		}
		if (now_ms() >= deadline) {
			return fail(KS_SESS_MIG_LOCK_TIMEOUT, err, errlen,
				"the session file stayed locked by another process for %d ms", wait_ms);
		}
		usleep((useconds_t)pause_us);
		if (pause_us < 8000) {
			pause_us *= 2;
		}
	}
}

/* mod_files's rule: only this user's (or root's) files, unless we are root. */
static bool owner_ok(const struct stat *st)
{
	return st->st_uid == 0 || st->st_uid == getuid() || st->st_uid == geteuid() || getuid() == 0;
}

/* Reads the whole locked regular file fd (size bound already checked). */
static ks_sess_mig_status read_all(int fd, size_t size, char **out, size_t *outlen, char *err, size_t errlen)
{
	char *buf = malloc(size);
	size_t n = 0;

	if (!buf) {
		return fail(KS_SESS_MIG_NOMEM, err, errlen, "out of memory reading a session file of %zu bytes", size);
	}
	while (n < size) {
		ssize_t r = pread(fd, buf + n, size - n, (off_t)n);
		if (r < 0 && errno == EINTR) {
			continue;
		}
		if (r < 0) {
			int e = errno;
			free(buf);
			return fail(KS_SESS_MIG_IO, err, errlen, "cannot read the session file: %s", strerror(e));
		}
		if (r == 0) {
			break;   /* shrunk by a writer that does not lock: keep what is there */
		}
		n += (size_t)r;
	}
	if (n == 0) {
		free(buf);
		return KS_SESS_MIG_NONE;
	}
	*out = buf;
	*outlen = n;
	return KS_SESS_MIG_OK;
}

/* Checks the opened file, locks it, then checks its size again (a writer
 * may have changed it while we waited) and reads it. */
static ks_sess_mig_status read_opened(int fd, size_t max_bytes, int lock_wait_ms, char **out, size_t *outlen,
	char *err, size_t errlen)
{
	struct stat st;
	ks_sess_mig_status rc;

	if (fstat(fd, &st) != 0) {
		return fail(KS_SESS_MIG_IO, err, errlen, "cannot stat the session file: %s", strerror(errno));
	}
	if (!S_ISREG(st.st_mode)) {
		return fail(KS_SESS_MIG_REFUSED, err, errlen, "the session file is not a regular file (refused)");
	}
	if (!owner_ok(&st)) {
		return fail(KS_SESS_MIG_REFUSED, err, errlen,
			"the session file belongs to another user (uid %ld; refused, as the files handler does)",
			(long)st.st_uid);
	}
	rc = lock_shared(fd, lock_wait_ms, err, errlen);
	if (rc != KS_SESS_MIG_OK) {
		return rc;
	}
	if (fstat(fd, &st) != 0) {
		return fail(KS_SESS_MIG_IO, err, errlen, "cannot stat the session file: %s", strerror(errno));
	}
	if (st.st_size == 0) {
		return KS_SESS_MIG_NONE;
	}
	if ((unsigned long long)st.st_size > (unsigned long long)max_bytes) {
		return fail(KS_SESS_MIG_TOO_BIG, err, errlen, "the session file has %lld bytes, more than the %zu allowed",
			(long long)st.st_size, max_bytes);
	}
	return read_all(fd, (size_t)st.st_size, out, outlen, err, errlen);
}

/* The directory that holds the file of id sid (opened when depth > 0:
 * *owned says whether to close it) and the file's name, "sess_<sid>". */
static ks_sess_mig_status locate(int dirfd, size_t depth, const char *sid, size_t len,
	char name[NAME_MAX_LEN + 1], int *parent, bool *owned, char *err, size_t errlen)
{
	ks_sess_mig_status rc;

	if (!ks_sess_mig_files_sid_valid(sid, len, depth)) {
		return fail(KS_SESS_MIG_INVALID, err, errlen,
			"the session id is not one the files handler accepts (%zu characters, directory depth %zu)", len, depth);
	}
	rc = open_parent(dirfd, depth, sid, parent, owned, err, errlen);
	if (rc != KS_SESS_MIG_OK) {
		return rc;
	}
	memcpy(name, FILE_PREFIX, sizeof(FILE_PREFIX) - 1);
	memcpy(name + sizeof(FILE_PREFIX) - 1, sid, len);
	name[sizeof(FILE_PREFIX) - 1 + len] = '\0';
	return KS_SESS_MIG_OK;
}

ks_sess_mig_status ks_sess_mig_files_read(int dirfd, size_t depth, const char *sid, size_t len,
	size_t max_bytes, int lock_wait_ms, char **out, size_t *outlen, char *err, size_t errlen)
{
	char name[NAME_MAX_LEN + 1];
	int parent, fd;
	bool owned;
	ks_sess_mig_status rc;

	*out = NULL;
	*outlen = 0;
	rc = locate(dirfd, depth, sid, len, name, &parent, &owned, err, errlen);
	if (rc != KS_SESS_MIG_OK) {
		return rc;
	}
	/* O_NONBLOCK: opening a FIFO planted there must not wait for a writer. */
	fd = openat(parent, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		rc = open_error(errno, "file", err, errlen);
	} else {
		rc = read_opened(fd, max_bytes, lock_wait_ms, out, outlen, err, errlen);
		close(fd);   /* also drops the shared lock */
	}
	if (owned) {
		close(parent);
	}
	return rc;
}

ks_sess_mig_status ks_sess_mig_files_unlink(int dirfd, size_t depth, const char *sid, size_t len,
	char *err, size_t errlen)
{
	char name[NAME_MAX_LEN + 1];
	int parent;
	bool owned;
	ks_sess_mig_status rc;

	rc = locate(dirfd, depth, sid, len, name, &parent, &owned, err, errlen);
	if (rc != KS_SESS_MIG_OK) {
		return rc;
	}
	if (unlinkat(parent, name, 0) == 0) {
		rc = KS_SESS_MIG_OK;
	} else if (errno == ENOENT) {
		rc = KS_SESS_MIG_NONE;
	} else {
		rc = fail(KS_SESS_MIG_IO, err, errlen, "cannot remove the session file: %s", strerror(errno));
	}
	if (owned) {
		close(parent);
	}
	return rc;
}
