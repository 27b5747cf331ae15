/*
 * test_migrate.c: the migration helpers (src/session/migrate.c), which take
 * session ids from cookies and open files named after them.
 *
 *   fixed cases   mod_files's id rule, the files save_path syntax, the
 *                 relative path, phpredis's data and lock key names
 *   random ids    (fixed seeds) random byte strings: the id check agrees
 *                 with a model of PHP's rule; every accepted id gives a path
 *                 of plain components below the directory; random keys with
 *                 braces: a Cluster lock key always hashes to its data key's
 *                 slot, and is refused exactly when the key has braces but
 *                 no hash tag
 *   random paths  random save_path strings never crash the parser, and
 *                 model paths round-trip
 *   files         a real directory: regular, empty, missing, symlinked,
 *                 FIFO, directory, oversized and foreign-owned entries, a
 *                 symlinked subdirectory; a file held by flock(LOCK_EX) in
 *                 another process is waited for (bounded) and read whole;
 *                 random trees (fixed seeds) read back as the model says,
 *                 and nothing outside the directory is ever returned
 * No message may contain the session id.
 * Built and run by scripts/unit.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "session/ks_sess_migrate.h"
#include "redis/crc16.h"

int ks_unit_checks;
int ks_unit_failures;

static const char SID_CHARS[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,-";
static const char OUTSIDE[] = "OUTSIDE-SECRET-BYTES";

/* ---- small helpers ---- */

static uint64_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift64*: fixed seeds give the same cases on every machine */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static int64_t ms_now(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static void write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (!CHECK(fd >= 0)) {
		return;
	}
	CHECK(write(fd, data, len) == (ssize_t)len);
	close(fd);
}

/* PHP's rule, written from its description: 1..256 of [a-zA-Z0-9,-]. */
static int model_sid_ok(const char *s, size_t len, size_t depth)
{
	size_t i;
	if (len < 1 || len > 256 || len <= depth) {
		return 0;
	}
	for (i = 0; i < len; i++) {
		if (s[i] == '\0' || !strchr(SID_CHARS, s[i])) {
			return 0;
		}
	}
	return 1;
}

/* Redis's keyHashSlot: the first {..} after the first '{', when not empty. */
static int tag_of(const char *k, size_t len, size_t *start, size_t *tlen)
{
	size_t s, e;
	for (s = 0; s < len && k[s] != '{'; s++) {
	}
	if (s == len) {
		return 0;
	}
	for (e = s + 1; e < len && k[e] != '}'; e++) {
	}
	if (e == len || e == s + 1) {
		return 0;
	}
	*start = s + 1;
	*tlen = e - s - 1;
	return 1;
}

static unsigned slot_of(const char *k, size_t len)
{
	size_t s, t;
	if (tag_of(k, len, &s, &t)) {
		return ks_redis_crc16(k + s, t) & 16383;
	}
	return ks_redis_crc16(k, len) & 16383;
}

/* ---- fixed cases ---- */

static void test_sid_rule(void)
{
	char long_sid[300];

	memset(long_sid, 'a', sizeof(long_sid));
	CHECK(!ks_sess_mig_files_sid_valid("", 0, 0));
	CHECK(ks_sess_mig_files_sid_valid("a", 1, 0));
	CHECK(!ks_sess_mig_files_sid_valid("a", 1, 1));       /* each level takes a char, one must remain */
	CHECK(ks_sess_mig_files_sid_valid("ab", 2, 1));
	CHECK(ks_sess_mig_files_sid_valid(long_sid, 256, 0));
	CHECK(!ks_sess_mig_files_sid_valid(long_sid, 257, 0));
	CHECK(ks_sess_mig_files_sid_valid("Az09,-", 6, 0));
	CHECK(!ks_sess_mig_files_sid_valid("../etc", 6, 0));
	CHECK(!ks_sess_mig_files_sid_valid("a.b", 3, 0));
	CHECK(!ks_sess_mig_files_sid_valid("a/b", 3, 0));
	CHECK(!ks_sess_mig_files_sid_valid("a b", 3, 0));
	CHECK(!ks_sess_mig_files_sid_valid("a\0b", 3, 0));
	CHECK(!ks_sess_mig_files_sid_valid("a_b", 3, 0));
}

static void parse_ok(const char *s, size_t depth, int mode, const char *dir)
{
	ks_sess_mig_files_path p;
	char err[256] = "";
	if (!CHECK(ks_sess_mig_files_path_parse(s, strlen(s), &p, err, sizeof(err)) == KS_SESS_MIG_OK)) {
		fprintf(stderr, "  path %s: %s\n", s, err);
		return;
	}
	CHECK(p.depth == depth);
	CHECK(p.mode == mode);
	if (dir) {
		CHECK(p.dir && p.dir_len == strlen(dir) && !memcmp(p.dir, dir, p.dir_len));
	} else {
		CHECK(p.dir == NULL);
	}
}

static void parse_bad(const char *s, size_t len, const char *want)
{
	ks_sess_mig_files_path p;
	char err[256] = "";
	CHECK(ks_sess_mig_files_path_parse(s, len, &p, err, sizeof(err)) == KS_SESS_MIG_INVALID);
	if (!CHECK(strstr(err, want) != NULL)) {
		fprintf(stderr, "  path refusal said: %s\n", err);
	}
}

static void test_path_parse(void)
{
	parse_ok("", 0, 0600, NULL);
	parse_ok("/var/lib/php/sessions", 0, 0600, "/var/lib/php/sessions");
	parse_ok("2;/tmp/s", 2, 0600, "/tmp/s");
	parse_ok("0;/tmp/s", 0, 0600, "/tmp/s");
	parse_ok("2;640;/tmp/s", 2, 0640, "/tmp/s");
	parse_ok("1;600;/tmp/a;b", 1, 0600, "/tmp/a;b");   /* the rest after two ';' is DIR */
	parse_ok("255;/d", 255, 0600, "/d");
	parse_bad("256;/d", 6, "directory depth");
	parse_bad("-1;/d", 5, "directory depth");
	parse_bad("x;/d", 4, "directory depth");
	parse_bad(";/d", 3, "directory depth");
	parse_bad("2;9;/d", 6, "file mode");
	parse_bad("2;77777;/d", 10, "file mode");
	parse_bad("2;", 2, "no directory");
	parse_bad("2;600;", 6, "no directory");
	parse_bad("/a\0b", 4, "NUL");
}

static void test_relpath(void)
{
	char buf[600];
	CHECK(ks_sess_mig_files_relpath(0, "abc", 3, buf, sizeof(buf)) == 8 && !strcmp(buf, "sess_abc"));
	CHECK(ks_sess_mig_files_relpath(2, "abcd", 4, buf, sizeof(buf)) == 13 && !strcmp(buf, "a/b/sess_abcd"));
	CHECK(ks_sess_mig_files_relpath(2, "ab", 2, buf, sizeof(buf)) == -1);     /* too short for depth 2 */
	CHECK(ks_sess_mig_files_relpath(0, "abc", 3, buf, 8) == -1);              /* no room for the NUL */
	CHECK(ks_sess_mig_files_relpath(0, "abc", 3, buf, 9) == 8);
	CHECK(ks_sess_mig_files_relpath(0, "a/../b", 6, buf, sizeof(buf)) == -1);
}

static void lock_key_is(const char *key, ks_sess_mig_lock_form form, const char *want)
{
	char *out = NULL;
	size_t len = 0;
	ks_sess_mig_status st = ks_sess_mig_phpredis_lock_key(key, strlen(key), form, &out, &len);
	if (want) {
		CHECK(st == KS_SESS_MIG_OK && out && len == strlen(want) && !strcmp(out, want));
	} else {
		CHECK(st == KS_SESS_MIG_INVALID && out == NULL && len == 0);
	}
	free(out);
}

static void test_phpredis_names(void)
{
	char *k = NULL;
	size_t n = 0;

	CHECK(ks_sess_mig_phpredis_key(KS_SESS_MIG_PHPREDIS_PREFIX, strlen(KS_SESS_MIG_PHPREDIS_PREFIX),
		"abc123", 6, &k, &n) == KS_SESS_MIG_OK);
	CHECK(k && n == 23 && !strcmp(k, "PHPREDIS_SESSION:abc123"));
	free(k);
	CHECK(ks_sess_mig_phpredis_key("", 0, "abc", 3, &k, &n) == KS_SESS_MIG_OK && !strcmp(k, "abc") && n == 3);
	free(k);

	lock_key_is("PHPREDIS_SESSION:abc", KS_SESS_MIG_LOCK_STANDALONE, "PHPREDIS_SESSION:abc_LOCK");
	lock_key_is("a{b", KS_SESS_MIG_LOCK_STANDALONE, "a{b_LOCK");            /* the standalone handler never looks */
	lock_key_is("PHPREDIS_SESSION:abc", KS_SESS_MIG_LOCK_CLUSTER, "{PHPREDIS_SESSION:abc}_LOCK");
	lock_key_is("{app}:abc", KS_SESS_MIG_LOCK_CLUSTER, "{app}:abc_LOCK");
	lock_key_is("}x{y}", KS_SESS_MIG_LOCK_CLUSTER, "}x{y}_LOCK");
	lock_key_is("{}abc", KS_SESS_MIG_LOCK_CLUSTER, NULL);
	lock_key_is("a}b", KS_SESS_MIG_LOCK_CLUSTER, NULL);
	lock_key_is("a{b", KS_SESS_MIG_LOCK_CLUSTER, NULL);
}

/* ---- random ids, keys and paths ---- */

static void random_ids(uint64_t seed, int iterations)
{
	char sid[300], buf[1024];
	int it;

	rng_state = seed;
	for (it = 0; it < iterations; it++) {
		size_t len = rnd() % 270, depth = rnd() % 4, i;
		int mostly = rnd() % 4 != 0;
		long n;

		for (i = 0; i < len; i++) {
			/* mostly valid characters, so long valid ids occur too */
			sid[i] = mostly && rnd() % 64 ? SID_CHARS[rnd() % (sizeof(SID_CHARS) - 1)] : (char)(rnd() & 0xff);
		}
		CHECK(ks_sess_mig_files_sid_valid(sid, len, depth) == (model_sid_ok(sid, len, depth) == 1));
		n = ks_sess_mig_files_relpath(depth, sid, len, buf, sizeof(buf));
		if (!model_sid_ok(sid, len, depth)) {
			CHECK(n == -1);
			continue;
		}
		if (!CHECK(n == (long)(2 * depth + 5 + len))) {
			continue;
		}
		/* depth one-character components, each the sid's own character,
		 * then sess_<sid>; so no "." or ".." component, no absolute path */
		for (i = 0; i < depth; i++) {
			CHECK(buf[2 * i] == sid[i] && buf[2 * i + 1] == '/');
			CHECK(buf[2 * i] != '.' && buf[2 * i] != '/');
		}
		CHECK(!memcmp(buf + 2 * depth, "sess_", 5) && !memcmp(buf + 2 * depth + 5, sid, len));
		CHECK(strlen(buf) == (size_t)n && memchr(buf + 2 * depth, '/', (size_t)n - 2 * depth) == NULL);
	}
}

static void random_keys(uint64_t seed, int iterations)
{
	static const char alpha[] = "{}ab:_PHPREDIS";
	char key[40];
	int it;

	rng_state = seed;
	for (it = 0; it < iterations; it++) {
		size_t len = rnd() % sizeof(key), i, s, t;
		char *out = NULL;
		size_t outlen = 0;
		ks_sess_mig_status st;
		int has_brace;

		for (i = 0; i < len; i++) {
			key[i] = alpha[rnd() % (sizeof(alpha) - 1)];
		}
		has_brace = memchr(key, '{', len) || memchr(key, '}', len);
		st = ks_sess_mig_phpredis_lock_key(key, len, KS_SESS_MIG_LOCK_CLUSTER, &out, &outlen);
		if ((has_brace && !tag_of(key, len, &s, &t)) || len == 0) {
			CHECK(st == KS_SESS_MIG_INVALID && out == NULL);
		} else if (CHECK(st == KS_SESS_MIG_OK && out != NULL)) {
			CHECK(slot_of(out, outlen) == slot_of(key, len));
			CHECK(outlen >= len + 5 && !memcmp(out + outlen - 5, "_LOCK", 5));
		}
		free(out);
		out = NULL;
		CHECK(ks_sess_mig_phpredis_lock_key(key, len, KS_SESS_MIG_LOCK_STANDALONE, &out, &outlen) == KS_SESS_MIG_OK);
		CHECK(out && outlen == len + 5 && !memcmp(out, key, len) && !memcmp(out + len, "_LOCK", 5));
		free(out);
	}
}

static void random_paths(uint64_t seed, int iterations)
{
	static const char alpha[] = "0123456789;/ab\0-";
	char s[64];
	int it;

	rng_state = seed;
	for (it = 0; it < iterations; it++) {
		size_t len = rnd() % sizeof(s), i;
		ks_sess_mig_files_path p;
		char err[256] = "";
		unsigned depth = rnd() % 300, mode = rnd() % 010000;

		for (i = 0; i < len; i++) {
			s[i] = alpha[rnd() % (sizeof(alpha) - 1)];
		}
		if (ks_sess_mig_files_path_parse(s, len, &p, err, sizeof(err)) == KS_SESS_MIG_OK) {
			CHECK(p.depth <= KS_SESS_MIG_FILES_MAX_DEPTH && p.mode >= 0 && p.mode <= 07777);
			CHECK(len == 0 ? p.dir == NULL
				: (p.dir >= s && p.dir + p.dir_len == s + len && p.dir_len > 0 && !memchr(p.dir, '\0', p.dir_len)));
		} else {
			CHECK(err[0] != '\0');
		}
		/* a model path round-trips */
		len = (size_t)snprintf(s, sizeof(s), "%u;%o;/d%u;x", depth, mode, it);
		if (ks_sess_mig_files_path_parse(s, len, &p, err, sizeof(err)) == KS_SESS_MIG_OK) {
			char want[32];
			snprintf(want, sizeof(want), "/d%u;x", it);
			CHECK(depth <= 255 && p.depth == depth && p.mode == (int)mode);
			CHECK(p.dir_len == strlen(want) && !memcmp(p.dir, want, p.dir_len));
		} else {
			CHECK(depth > 255);
		}
	}
}

/* ---- files ---- */

static char base[256], sessdir[300], outside[300];

static void setup_dirs(void)
{
	char path[400];
	snprintf(base, sizeof(base), "/tmp/ks-migrate-XXXXXX");
	if (!mkdtemp(base)) {
		perror("mkdtemp");
		exit(2);
	}
	snprintf(sessdir, sizeof(sessdir), "%s/sessions", base);
	snprintf(outside, sizeof(outside), "%s/outside", base);
	CHECK(mkdir(sessdir, 0755) == 0 && mkdir(outside, 0755) == 0);
	snprintf(path, sizeof(path), "%s/secret", outside);
	write_file(path, OUTSIDE, strlen(OUTSIDE));
}

static void rm_tree(void)
{
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	CHECK(system(cmd) == 0);
}

/* Reads sid below dirfd; checks the status, the bytes when OK, and that
 * neither the message nor the bytes carry the id or the outside file. */
static void expect_read(int dirfd, size_t depth, const char *sid, size_t max, ks_sess_mig_status want,
	const char *data)
{
	char *out = NULL, err[512] = "";
	size_t len = 0;
	ks_sess_mig_status st = ks_sess_mig_files_read(dirfd, depth, sid, strlen(sid), max, 200, &out, &len,
		err, sizeof(err));

	if (!CHECK(st == want)) {
		fprintf(stderr, "  read: status %d, want %d (%s)\n", (int)st, (int)want, err);
	}
	if (st == KS_SESS_MIG_OK) {
		CHECK(data && len == strlen(data) && !memcmp(out, data, len));
	} else {
		CHECK(out == NULL && len == 0);
	}
	if (out) {
		CHECK(len != strlen(OUTSIDE) || memcmp(out, OUTSIDE, len));
	}
	CHECK(strlen(sid) < 4 || !strstr(err, sid));
	CHECK(!strstr(err, OUTSIDE));
	free(out);
}

static void test_files_fixed(void)
{
	char path[600], target[400];
	char big[5000];
	int dirfd, d2;
	char err[256];

	dirfd = ks_sess_mig_files_open_dir(sessdir, strlen(sessdir), err, sizeof(err));
	if (!CHECK(dirfd >= 0)) {
		return;
	}
	CHECK(ks_sess_mig_files_open_dir("/nonexistent/ks", 15, err, sizeof(err)) == -1 && strstr(err, "cannot open"));

	snprintf(path, sizeof(path), "%s/sess_regular1", sessdir);
	write_file(path, "a|i:1;", 6);
	expect_read(dirfd, 0, "regular1", 4096, KS_SESS_MIG_OK, "a|i:1;");

	snprintf(path, sizeof(path), "%s/sess_empty001", sessdir);
	write_file(path, "", 0);
	expect_read(dirfd, 0, "empty001", 4096, KS_SESS_MIG_NONE, NULL);
	expect_read(dirfd, 0, "missing01", 4096, KS_SESS_MIG_NONE, NULL);
	expect_read(dirfd, 0, "../outside/secret", 4096, KS_SESS_MIG_INVALID, NULL);

	snprintf(path, sizeof(path), "%s/sess_symlink1", sessdir);
	snprintf(target, sizeof(target), "%s/secret", outside);
	CHECK(symlink(target, path) == 0);
	expect_read(dirfd, 0, "symlink1", 4096, KS_SESS_MIG_REFUSED, NULL);

	snprintf(path, sizeof(path), "%s/sess_fifo0001", sessdir);
	CHECK(mkfifo(path, 0600) == 0);
	alarm(20);   /* a blocking open would hang: fail loudly instead */
	expect_read(dirfd, 0, "fifo0001", 4096, KS_SESS_MIG_REFUSED, NULL);
	alarm(0);

	snprintf(path, sizeof(path), "%s/sess_adir0001", sessdir);
	CHECK(mkdir(path, 0700) == 0);
	expect_read(dirfd, 0, "adir0001", 4096, KS_SESS_MIG_REFUSED, NULL);

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(path, sizeof(path), "%s/sess_bigfile1", sessdir);
	write_file(path, big, strlen(big));
	expect_read(dirfd, 0, "bigfile1", 4096, KS_SESS_MIG_TOO_BIG, NULL);
	expect_read(dirfd, 0, "bigfile1", sizeof(big), KS_SESS_MIG_OK, big);

	/* depth 2: a/b/sess_ab...; a symlinked subdirectory is refused even
	 * though the file it leads to is a regular one */
	snprintf(path, sizeof(path), "%s/a", sessdir);
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/a/b", sessdir);
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/a/b/sess_abdeep1", sessdir);
	write_file(path, "deep|b:1;", 9);
	expect_read(dirfd, 2, "abdeep1", 4096, KS_SESS_MIG_OK, "deep|b:1;");
	expect_read(dirfd, 2, "ab", 4096, KS_SESS_MIG_INVALID, NULL);
	snprintf(path, sizeof(path), "%s/c", outside);
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/sess_cxsecret", outside);
	write_file(path, OUTSIDE, strlen(OUTSIDE));
	snprintf(path, sizeof(path), "%s/c", sessdir);
	CHECK(symlink(outside, path) == 0);   /* sessions/c -> outside, so c/c/sess_cc... would escape */
	snprintf(path, sizeof(path), "%s/c/sess_ccsecret", outside);
	write_file(path, OUTSIDE, strlen(OUTSIDE));
	expect_read(dirfd, 2, "ccsecret", 4096, KS_SESS_MIG_REFUSED, NULL);
	expect_read(dirfd, 1, "cxsecret", 4096, KS_SESS_MIG_REFUSED, NULL);

	/* unlink: the file, a symlink itself (never its target), nothing */
	CHECK(ks_sess_mig_files_unlink(dirfd, 0, "regular1", 8, err, sizeof(err)) == KS_SESS_MIG_OK);
	expect_read(dirfd, 0, "regular1", 4096, KS_SESS_MIG_NONE, NULL);
	CHECK(ks_sess_mig_files_unlink(dirfd, 0, "regular1", 8, err, sizeof(err)) == KS_SESS_MIG_NONE);
	CHECK(ks_sess_mig_files_unlink(dirfd, 0, "symlink1", 8, err, sizeof(err)) == KS_SESS_MIG_OK);
	snprintf(path, sizeof(path), "%s/secret", outside);
	CHECK(access(path, F_OK) == 0);
	CHECK(ks_sess_mig_files_unlink(dirfd, 2, "ccsecret", 8, err, sizeof(err)) == KS_SESS_MIG_REFUSED);
	snprintf(path, sizeof(path), "%s/c/sess_ccsecret", outside);
	CHECK(access(path, F_OK) == 0);
	CHECK(ks_sess_mig_files_unlink(dirfd, 0, "../x", 4, err, sizeof(err)) == KS_SESS_MIG_INVALID);
	CHECK(ks_sess_mig_files_unlink(dirfd, 2, "abdeep1", 7, err, sizeof(err)) == KS_SESS_MIG_OK);

	/* the directory handed in may itself be a symlink (the administrator's choice) */
	snprintf(path, sizeof(path), "%s/link-to-sessions", base);
	CHECK(symlink(sessdir, path) == 0);
	d2 = ks_sess_mig_files_open_dir(path, strlen(path), err, sizeof(err));
	CHECK(d2 >= 0);
	expect_read(d2, 0, "bigfile1", sizeof(big), KS_SESS_MIG_OK, big);
	if (d2 >= 0) {
		close(d2);
	}
	close(dirfd);
}

/* A file owned by another user is refused to a non-root reader, as the
 * files handler does (run only when we are root, to create that setup). */
static void test_files_foreign_owner(void)
{
	char path[600];
	pid_t pid;
	int status = 0;

	if (geteuid() != 0) {
		fprintf(stderr, "  (foreign owner case skipped: not root)\n");
		return;
	}
	CHECK(chmod(base, 0755) == 0);
	snprintf(path, sizeof(path), "%s/sess_foreign1", sessdir);
	write_file(path, "x|i:1;", 6);
	CHECK(chmod(path, 0644) == 0 && chown(path, 4321, 4321) == 0);
	snprintf(path, sizeof(path), "%s/sess_rootown1", sessdir);
	write_file(path, "y|i:2;", 6);
	CHECK(chmod(path, 0644) == 0);
	pid = fork();
	if (pid == 0) {
		char err[256], *out = NULL;
		size_t len;
		int fd, code = 0;
		if (setgid(65534) != 0 || setuid(65534) != 0) {
			_exit(10);
		}
		fd = ks_sess_mig_files_open_dir(sessdir, strlen(sessdir), err, sizeof(err));
		if (fd < 0) {
			_exit(11);
		}
		if (ks_sess_mig_files_read(fd, 0, "foreign1", 8, 4096, 100, &out, &len, err, sizeof(err)) != KS_SESS_MIG_REFUSED
			|| !strstr(err, "another user")) {
			code |= 1;
		}
		free(out);
		out = NULL;
		if (ks_sess_mig_files_read(fd, 0, "rootown1", 8, 4096, 100, &out, &len, err, sizeof(err)) != KS_SESS_MIG_OK) {
			code |= 2;   /* root's files are accepted, as mod_files does */
		}
		free(out);
		_exit(code);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	if (!CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		fprintf(stderr, "  foreign owner child: status %d\n", status);
	}
	/* root itself reads any owner's file, as mod_files does */
	{
		int fd = ks_sess_mig_files_open_dir(sessdir, strlen(sessdir), path, sizeof(path));
		expect_read(fd, 0, "foreign1", 4096, KS_SESS_MIG_OK, "x|i:1;");
		close(fd);
	}
}

/*
 * Another process holds flock(LOCK_EX) on the file, as a files-handler
 * worker does for its whole request. A read with a short budget times out
 * (bounded); a read with a long one waits, and sees what the holder wrote
 * before it let go, never the old or a half-written file.
 */
static void test_files_lock(void)
{
	char path[600], *out = NULL, err[256] = "";
	int p2c[2], c2p[2], dirfd, status = 0;
	size_t len = 0;
	pid_t pid;
	int64_t t0;
	char c = 0;
	ks_sess_mig_status st;

	snprintf(path, sizeof(path), "%s/sess_locked01", sessdir);
	write_file(path, "old|i:1;", 8);
	dirfd = ks_sess_mig_files_open_dir(sessdir, strlen(sessdir), err, sizeof(err));
	CHECK(dirfd >= 0 && pipe(p2c) == 0 && pipe(c2p) == 0);
	pid = fork();
	if (pid == 0) {
		int fd = open(path, O_RDWR);
		if (fd < 0 || flock(fd, LOCK_EX) != 0 || write(c2p[1], "L", 1) != 1) {
			_exit(1);
		}
		if (read(p2c[0], &c, 1) != 1) {   /* told to finish the request */
			_exit(2);
		}
		/* rewrite in two steps, as mod_files does (pwrite then ftruncate) */
		if (pwrite(fd, "new|i:22222;", 12, 0) != 12) {
			_exit(3);
		}
		usleep(200000);
		if (ftruncate(fd, 12) != 0) {
			_exit(4);
		}
		_exit(0);   /* exit drops the lock */
	}
	CHECK(pid > 0 && read(c2p[0], &c, 1) == 1 && c == 'L');

	t0 = ms_now();
	st = ks_sess_mig_files_read(dirfd, 0, "locked01", 8, 4096, 150, &out, &len, err, sizeof(err));
	CHECK(st == KS_SESS_MIG_LOCK_TIMEOUT && out == NULL && strstr(err, "locked"));
	CHECK(ms_now() - t0 >= 140 && ms_now() - t0 < 5000);

	CHECK(write(p2c[1], "G", 1) == 1);
	st = ks_sess_mig_files_read(dirfd, 0, "locked01", 8, 4096, 10000, &out, &len, err, sizeof(err));
	if (CHECK(st == KS_SESS_MIG_OK)) {
		CHECK(len == 12 && !memcmp(out, "new|i:22222;", 12));
	}
	free(out);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(p2c[0]);
	close(p2c[1]);
	close(c2p[0]);
	close(c2p[1]);
	close(dirfd);
}

/*
 * Random trees (fixed seeds): ids of random length in a directory of depth
 * 0 or 1, each given one kind of entry; reading each gives exactly what
 * the model says, and an escape is never followed.
 */
enum kind { K_NONE, K_REGULAR, K_EMPTY, K_SYMLINK, K_SYMLINK_REL, K_DIR, K_FIFO, K_KINDS };

static void random_tree(uint64_t seed, int count)
{
	char root[400], path[800], sid[80], data[64], target[400], err[256];
	int i, dirfd;

	rng_state = seed;
	snprintf(root, sizeof(root), "%s/tree-%llx", base, (unsigned long long)seed);
	CHECK(mkdir(root, 0755) == 0);
	dirfd = ks_sess_mig_files_open_dir(root, strlen(root), err, sizeof(err));
	if (!CHECK(dirfd >= 0)) {
		return;
	}
	snprintf(target, sizeof(target), "%s/secret", outside);
	for (i = 0; i < count; i++) {
		size_t depth = rnd() % 2, len = 1 + depth + rnd() % 40, j;
		enum kind k = (enum kind)(rnd() % K_KINDS);
		ks_sess_mig_status want = KS_SESS_MIG_NONE;

		for (j = 0; j < len; j++) {
			sid[j] = SID_CHARS[rnd() % (sizeof(SID_CHARS) - 1)];
		}
		sid[len] = '\0';
		if (depth) {
			snprintf(path, sizeof(path), "%s/%c", root, sid[0]);
			if (mkdir(path, 0755) != 0 && errno != EEXIST) {
				CHECK(0);
			}
			snprintf(path, sizeof(path), "%s/%c/sess_%s", root, sid[0], sid);
		} else {
			snprintf(path, sizeof(path), "%s/sess_%s", root, sid);
		}
		unlink(path);
		rmdir(path);
		snprintf(data, sizeof(data), "k|i:%d;", i);
		switch (k) {
			case K_REGULAR: write_file(path, data, strlen(data)); want = KS_SESS_MIG_OK; break;
			case K_EMPTY: write_file(path, "", 0); break;
			case K_SYMLINK: CHECK(symlink(target, path) == 0); want = KS_SESS_MIG_REFUSED; break;
			case K_SYMLINK_REL: CHECK(symlink(depth ? "../../outside/secret" : "../outside/secret", path) == 0);
				want = KS_SESS_MIG_REFUSED; break;
			case K_DIR: CHECK(mkdir(path, 0700) == 0); want = KS_SESS_MIG_REFUSED; break;
			case K_FIFO: CHECK(mkfifo(path, 0600) == 0); want = KS_SESS_MIG_REFUSED; break;
			default: break;
		}
		alarm(20);
		expect_read(dirfd, depth, sid, 4096, want, want == KS_SESS_MIG_OK ? data : NULL);
		alarm(0);
	}
	close(dirfd);
}

int main(void)
{
	static const uint64_t seeds[] = { 1, 2, 3, 42, 1234567, 0x9e3779b97f4a7c15ULL, 20261130, 777 };
	size_t i;

	test_sid_rule();
	test_path_parse();
	test_relpath();
	test_phpredis_names();
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		random_ids(seeds[i], 5000);
		random_keys(seeds[i], 5000);
		random_paths(seeds[i], 3000);
	}
	setup_dirs();
	test_files_fixed();
	test_files_foreign_owner();
	test_files_lock();
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		random_tree(seeds[i], 150);
	}
	rm_tree();
	printf("test_migrate: %d checks, %d failed\n", ks_unit_checks, ks_unit_failures);
	return ks_unit_failures ? 1 : 0;
}
