/*
 * test_sess_keys.c: the pure helpers of the session layer (session/keys.c):
 * which session ids are accepted, the names of a session's keys (data,
 * lock, wake, receipt), hex encoding, and the lock TTL and wait rules.
 * No server, no PHP. Built and run by scripts/unit. (The save_path checks
 * that lived here are in test_path.c, with the parser's other tests.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "session/ks_sess_keys.h"
#include "session/ks_sess_migrate.h"

int ks_unit_checks;
int ks_unit_failures;

static void test_keys(void)
{
	ks_sess_keys k;
	char hex[33];
	unsigned char raw[16];
	char big[300];
	int i;

	CHECK(ks_sess_sid_valid("abcXYZ019,-", 11));
	CHECK(!ks_sess_sid_valid("", 0));
	CHECK(!ks_sess_sid_valid("../x", 4));
	CHECK(!ks_sess_sid_valid("a b", 3));
	CHECK(!ks_sess_sid_valid("a{b}", 4));
	CHECK(!ks_sess_sid_valid("a\0b", 3));
	memset(big, 'a', sizeof(big));
	CHECK(ks_sess_sid_valid(big, 256));
	CHECK(!ks_sess_sid_valid(big, 257));

	CHECK(ks_sess_keys_build(&k, "p:", 2, "abc", 3) == 0);
	CHECK(!strcmp(k.data, "p:{abc}") && k.data_len == 7);
	CHECK(!strcmp(k.lock, "p:{abc}:lock") && k.lock_len == 12);
	CHECK(!strcmp(k.wake, "p:{abc}:wake") && k.wake_len == 12);
	CHECK(!strcmp(k.queue, "p:{abc}:queue") && k.queue_len == 13);
	{
		char *rk = NULL;
		size_t rlen = 0;
		CHECK(ks_sess_keys_receipt(&k, "00112233445566778899aabbccddeeff", &rk, &rlen) == 0);
		CHECK(rk && !strcmp(rk, "p:{abc}:done:00112233445566778899aabbccddeeff") && rlen == strlen(rk));
		free(rk);
	}
	{
		/* rebuild reuses the buffer while it is large enough, and grows it when not */
		const char *buf = k.buf;
		CHECK(ks_sess_keys_rebuild(&k, "p:", 2, "xy", 2) == 0 && k.buf == buf);
		CHECK(!strcmp(k.data, "p:{xy}") && !strcmp(k.lock, "p:{xy}:lock") && !strcmp(k.wake, "p:{xy}:wake"));
		CHECK(ks_sess_keys_rebuild(&k, "prefix:", 7, "abcdefghij", 10) == 0);
		CHECK(!strcmp(k.data, "prefix:{abcdefghij}") && k.data_len == 19 && !strcmp(k.wake, "prefix:{abcdefghij}:wake"));
		CHECK(!strcmp(k.queue, "prefix:{abcdefghij}:queue") && k.queue_len == 25);
		CHECK(k.cap >= 4 * 19 + sizeof(":lock") + sizeof(":wake") + sizeof(":queue") + 1);   /* prefix{sid} is 19 bytes */
	}
	ks_sess_keys_free(&k);
	CHECK(k.buf == NULL);

	for (i = 0; i < 16; i++) {
		raw[i] = (unsigned char)(i * 17);
	}
	ks_sess_hex(raw, 16, hex);
	CHECK(!strcmp(hex, "00112233445566778899aabbccddeeff"));

	CHECK(ks_sess_lock_ttl_ms(1234, 0) == 1234);
	CHECK(ks_sess_lock_ttl_ms(0, 0) == 30000);          /* CLI: still finite */
	CHECK(ks_sess_lock_ttl_ms(0, 10) == 30000);         /* floor */
	CHECK(ks_sess_lock_ttl_ms(0, 60) == 65000);         /* max_execution_time + 5 s */
	CHECK(ks_sess_lock_ttl_ms(0, 86399) == 86400000);   /* + 5 s, clamped to lock_ttl's maximum */
	CHECK(ks_sess_lock_ttl_ms(0, 86400) == 86400000);   /* a day or more: the maximum, never back to 30 s */
	CHECK(ks_sess_lock_ttl_ms(0, INT64_MAX) == 86400000);
	CHECK(ks_sess_lock_wait_ms(-1, 65000) == 65000);
	CHECK(ks_sess_lock_wait_ms(0, 65000) == 0);
	CHECK(ks_sess_lock_wait_ms(250, 65000) == 250);
	CHECK(ks_sess_reserve_ms(30000) == KS_SESS_RESERVE_MS);
	CHECK(ks_sess_reserve_ms(KS_SESS_RESERVE_MS) == KS_SESS_RESERVE_MS);
	CHECK(ks_sess_reserve_ms(200) == 200);   /* never outlives a short lock */
	CHECK(ks_sess_reserve_ms(1) == 1);
	CHECK(ks_sess_reserve_ms(0) == 1);       /* PX 0 would be an error */
}

/* PHP's sid alphabet, written out rather than as ranges, so the model
 * cannot share a mistake with the range checks it tests. */
static const char PHP_SID_CHARS[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,-";

/*
 * The two sid rules share one character check (ks_sess_sid_chars_valid);
 * they differ only in length: ks_sess_sid_valid takes 1..256 characters,
 * ks_sess_mig_files_sid_valid also needs more than `depth` of them. Every
 * byte value, at the start, middle and end of an id, must be accepted by
 * all three exactly when it is in PHP_SID_CHARS (bytes >= 0x80 included,
 * which are negative as plain char); then the length bounds of each rule.
 */
static void test_sid_rules(void)
{
	char sid[300];
	int b, pos;

	for (b = 0; b < 256; b++) {
		int ok = b != 0 && strchr(PHP_SID_CHARS, b) != NULL;
		for (pos = 0; pos < 3; pos++) {
			memcpy(sid, "aZ9,-", 5);
			sid[pos * 2] = (char)b;
			CHECK(ks_sess_sid_chars_valid(sid, 5) == ok);
			CHECK(ks_sess_sid_valid(sid, 5) == ok);
			CHECK(ks_sess_mig_files_sid_valid(sid, 5, 2) == ok);
		}
	}
	CHECK(ks_sess_sid_chars_valid("", 0));             /* no length rule of its own */
	memset(sid, '-', sizeof(sid));
	CHECK(ks_sess_sid_chars_valid(sid, sizeof(sid)));
	CHECK(ks_sess_sid_valid(sid, KS_SESS_MAX_SID) && !ks_sess_sid_valid(sid, KS_SESS_MAX_SID + 1));
	CHECK(ks_sess_mig_files_sid_valid(sid, KS_SESS_MIG_FILES_MAX_SID, 0));
	CHECK(!ks_sess_mig_files_sid_valid(sid, KS_SESS_MIG_FILES_MAX_SID + 1, 0));
	CHECK(ks_sess_sid_valid(sid, 2) && !ks_sess_mig_files_sid_valid(sid, 2, 2));  /* depth takes one each */
	CHECK(ks_sess_mig_files_sid_valid(sid, 3, 2));
	CHECK(!ks_sess_sid_valid(sid, 0) && !ks_sess_mig_files_sid_valid(sid, 0, 0));
}

int main(void)
{
	test_keys();
	test_sid_rules();
	printf("test_sess_keys: %d checks, %d failed\n", ks_unit_checks, ks_unit_failures);
	return ks_unit_failures ? 1 : 0;
}
