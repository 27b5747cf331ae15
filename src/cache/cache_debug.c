/*
 * cache_debug.c: test-only PHP functions for the immutable value layout
 * (ks_cache_immutable.h), built only with --enable-keepsake-debug (which
 * scripts/test uses). Never part of a production build.
 *
 *   keepsake_debug_immutable(mixed $value, bool $protect = true, int $copy_flips = -1): mixed
 *       persists $value into a fresh block of its own (a MAP_SHARED anonymous
 *       mapping, like the cache segment, so pcntl_fork children see it at the
 *       same address) and returns the zval materialized from it: an array or
 *       string that lives in the block. With $protect the block is made
 *       read-only (mprotect) once written, so any write the engine might make
 *       into it is a SIGSEGV, as under opcache.protect_memory=1. A value that
 *       is not pure data gets one warning and null.
 *       With $copy_flips >= 0 the copy path is tested instead: the block is
 *       written into request memory, copied byte for byte elsewhere, the
 *       original freed (so a pointer left untranslated is a use after free),
 *       $copy_flips bytes of the copy are flipped at pseudo-random places,
 *       and ks_cache_imm_copy_out() builds the returned value from the copy
 *       (null when it refuses the bytes; a warning too when nothing was
 *       flipped).
 *   keepsake_debug_immutable_info(): array
 *       ['blocks' => n, 'bytes' => total, 'sizes' => [each block's size],
 *       'checksums' => [each block's FNV-1a 64 over its whole mapping, hex]],
 *       blocks in the order they were made.
 *   keepsake_debug_immutable_release(): int
 *       unmaps every block (the caller must hold no value from one any more)
 *       and returns how many there were.
 *
 * The block table is process-global and not locked: the tests call these from
 * one thread. Blocks left at exit are mappings, not heap, so they are no leak.
 */
#include "php.h"

#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#ifdef KEEPSAKE_DEBUG

#include "cache/ks_cache_immutable.h"
#include "cache/ks_cache_debug.h"

#include <errno.h>
#include <sys/mman.h>

#define KS_DEBUG_BLOCKS 4096

static struct {
	void *mem;
	size_t mapped;           /* page-rounded length of the mapping */
	size_t size;             /* the block's bytes */
} ks_debug_blocks[KS_DEBUG_BLOCKS];
static uint32_t ks_debug_nblocks;

static const char *ks_debug_imm_text(ks_cache_imm_status st)
{
	switch (st) {
	case KS_CACHE_IMM_NOT_PURE: return "the value holds an object, a resource or a reference";
	case KS_CACHE_IMM_DEPTH: return "the value is nested too deeply";
	case KS_CACHE_IMM_TOOBIG: return "the value is too large";
	default: return "unknown status";
	}
}

/* The copy path: persist, move the bytes, flip some, copy out. */
static void ks_debug_copy_out(ks_cache_imm_plan *plan, zval *value, zend_long flips, zval *return_value)
{
	char *home = emalloc(plan->size), *moved = emalloc(plan->size);
	uint64_t x = 0x9e3779b97f4a7c15ULL ^ (plan->size * 0x100000001b3ULL) ^ (uint64_t) flips;
	zend_long i;

	ks_cache_imm_write(plan, value, home);
	memcpy(moved, home, plan->size);
	efree(home);
	for (i = 0; i < flips; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		moved[x % plan->size] ^= (char) (1 + (x >> 32) % 255);
	}
	if (ks_cache_imm_copy_out(moved, plan->size, return_value) == FAILURE) {
		if (flips == 0) {
			php_error_docref(NULL, E_WARNING, "the copy path refused an intact block");
		}
		ZVAL_NULL(return_value);
	}
	efree(moved);
}

PHP_FUNCTION(keepsake_debug_immutable)
{
	zval *value;
	bool protect = true;
	zend_long copy_flips = -1;
	ks_cache_imm_plan plan;
	ks_cache_imm_status st;
	size_t page = (size_t) sysconf(_SC_PAGESIZE), mapped;
	void *mem;

	ZEND_PARSE_PARAMETERS_START(1, 3)
		Z_PARAM_ZVAL(value)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(protect)
		Z_PARAM_LONG(copy_flips)
	ZEND_PARSE_PARAMETERS_END();

	if (ks_debug_nblocks == KS_DEBUG_BLOCKS) {
		php_error_docref(NULL, E_WARNING, "too many blocks; call keepsake_debug_immutable_release()");
		RETURN_NULL();
	}
	st = ks_cache_imm_measure(value, (size_t) 1 << 32, &plan);
	if (st != KS_CACHE_IMM_OK) {
		php_error_docref(NULL, E_WARNING, "cannot persist the value: %s", ks_debug_imm_text(st));
		RETURN_NULL();
	}
	if (copy_flips >= 0) {
		ks_debug_copy_out(&plan, value, copy_flips, return_value);
		ks_cache_imm_plan_free(&plan);
		return;
	}
	mapped = (plan.size + page - 1) / page * page;
	mem = mmap(NULL, mapped, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		php_error_docref(NULL, E_WARNING, "cannot map %zu bytes: %s", mapped, strerror(errno));
		ks_cache_imm_plan_free(&plan);
		RETURN_NULL();
	}
	/* poison the slack so a size mismatch would show in the checksum */
	memset(mem, 0xa5, mapped);
	ks_cache_imm_write(&plan, value, mem);
	ks_debug_blocks[ks_debug_nblocks].mem = mem;
	ks_debug_blocks[ks_debug_nblocks].mapped = mapped;
	ks_debug_blocks[ks_debug_nblocks].size = plan.size;
	ks_debug_nblocks++;
	ks_cache_imm_plan_free(&plan);
	if (protect && mprotect(mem, mapped, PROT_READ) != 0) {
		php_error_docref(NULL, E_WARNING, "mprotect: %s", strerror(errno));
	}
	if (ks_cache_imm_materialize(mem, return_value) == FAILURE) {
		RETURN_NULL();
	}
}

PHP_FUNCTION(keepsake_debug_immutable_info)
{
	size_t total = 0;
	uint32_t i;
	zval sizes, sums;

	ZEND_PARSE_PARAMETERS_NONE();
	array_init(&sizes);
	array_init(&sums);
	for (i = 0; i < ks_debug_nblocks; i++) {
		const unsigned char *p = ks_debug_blocks[i].mem;
		uint64_t h = 0xcbf29ce484222325ULL;
		char hex[17];
		size_t j;
		for (j = 0; j < ks_debug_blocks[i].mapped; j++) {
			h = (h ^ p[j]) * 0x100000001b3ULL;
		}
		snprintf(hex, sizeof(hex), "%016llx", (unsigned long long) h);
		add_next_index_string(&sums, hex);
		total += ks_debug_blocks[i].size;
		add_next_index_long(&sizes, (zend_long) ks_debug_blocks[i].size);
	}
	array_init(return_value);
	add_assoc_long(return_value, "blocks", (zend_long) ks_debug_nblocks);
	add_assoc_long(return_value, "bytes", (zend_long) total);
	add_assoc_zval(return_value, "sizes", &sizes);
	add_assoc_zval(return_value, "checksums", &sums);
}

PHP_FUNCTION(keepsake_debug_immutable_release)
{
	uint32_t i, n = ks_debug_nblocks;

	ZEND_PARSE_PARAMETERS_NONE();
	for (i = 0; i < n; i++) {
		munmap(ks_debug_blocks[i].mem, ks_debug_blocks[i].mapped);
	}
	ks_debug_nblocks = 0;
	RETURN_LONG((zend_long) n);
}

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_keepsake_debug_immutable, 0, 1, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO(0, value, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, protect, _IS_BOOL, 0, "true")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, copy_flips, IS_LONG, 0, "-1")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_keepsake_debug_immutable_info, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_keepsake_debug_immutable_release, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

static const zend_function_entry ks_cache_debug_functions[] = {
	PHP_FE(keepsake_debug_immutable, arginfo_keepsake_debug_immutable)
	PHP_FE(keepsake_debug_immutable_info, arginfo_keepsake_debug_immutable_info)
	PHP_FE(keepsake_debug_immutable_release, arginfo_keepsake_debug_immutable_release)
	PHP_FE_END
};

zend_result ks_cache_debug_register(int type)
{
	return zend_register_functions(NULL, ks_cache_debug_functions, NULL, type);
}

#endif
