<?php

/** @generate-class-entries */

namespace {
    /**
     * @var int
     * @cvalue KS_CACHE_LIST_ACTIVE
     */
    const KEEPSAKE_CACHE_LIST_ACTIVE = UNKNOWN;
    /**
     * @var int
     * @cvalue KS_CACHE_LIST_DELETED
     */
    const KEEPSAKE_CACHE_LIST_DELETED = UNKNOWN;
    /**
     * @var int
     * @cvalue KS_CACHE_ITER_TYPE
     */
    const KEEPSAKE_CACHE_ITER_TYPE = UNKNOWN;
    /**
     * @var int
     * @cvalue KS_CACHE_ITER_KEY
     */
    const KEEPSAKE_CACHE_ITER_KEY = UNKNOWN;
    /**
     * @var int
     * @cvalue KS_CACHE_ITER_VALUE
     */
    const KEEPSAKE_CACHE_ITER_VALUE = UNKNOWN;
    /**
     * @var int
     * @cvalue KS_CACHE_ITER_NUM_HITS
     */
    const KEEPSAKE_CACHE_ITER_NUM_HITS = UNKNOWN;
    /**
     * @var int
     * @cvalue KS_CACHE_ITER_MTIME
     */
    const KEEPSAKE_CACHE_ITER_MTIME = UNKNOWN;
    /**
     * @var int
     * @cvalue KS_CACHE_ITER_CTIME
     */
    const KEEPSAKE_CACHE_ITER_CTIME = UNKNOWN;
    /**
     * @var int
     * @cvalue KS_CACHE_ITER_DTIME
     */
    const KEEPSAKE_CACHE_ITER_DTIME = UNKNOWN;
    /**
     * @var int
     * @cvalue KS_CACHE_ITER_ATIME
     */
    const KEEPSAKE_CACHE_ITER_ATIME = UNKNOWN;
    /**
     * @var int
     * @cvalue KS_CACHE_ITER_REFCOUNT
     */
    const KEEPSAKE_CACHE_ITER_REFCOUNT = UNKNOWN;
    /**
     * @var int
     * @cvalue KS_CACHE_ITER_MEM_SIZE
     */
    const KEEPSAKE_CACHE_ITER_MEM_SIZE = UNKNOWN;
    /**
     * @var int
     * @cvalue KS_CACHE_ITER_TTL
     */
    const KEEPSAKE_CACHE_ITER_TTL = UNKNOWN;
    /**
     * @var int
     * @cvalue KS_CACHE_ITER_NONE
     */
    const KEEPSAKE_CACHE_ITER_NONE = UNKNOWN;
    /**
     * @var int
     * @cvalue KS_CACHE_ITER_ALL
     */
    const KEEPSAKE_CACHE_ITER_ALL = UNKNOWN;

    function keepsake_cache_enabled(): bool {}

    /** @param array|string $key */
    function keepsake_cache_store($key, mixed $value = UNKNOWN, int $ttl = 0): array|bool {}

    /** @param array|string $key */
    function keepsake_cache_add($key, mixed $value = UNKNOWN, int $ttl = 0): array|bool {}

    /**
     * @param array|string $key
     * @param bool $success
     */
    function keepsake_cache_fetch($key, &$success = null): mixed {}

    /** @param array|string $key */
    function keepsake_cache_exists($key): array|bool {}

    /** @param array|string|Keepsake\CacheIterator $key */
    function keepsake_cache_delete($key): array|bool {}

    /** @param bool $success */
    function keepsake_cache_inc(string $key, int $step = 1, &$success = null, int $ttl = 0): int|false {}

    /** @param bool $success */
    function keepsake_cache_dec(string $key, int $step = 1, &$success = null, int $ttl = 0): int|false {}

    function keepsake_cache_cas(string $key, int $old, int $new): bool {}

    function keepsake_cache_entry(string $key, callable $callback, int $ttl = 0): mixed {}

    function keepsake_cache_clear(): bool {}

    function keepsake_cache_info(bool $limited = false): array|false {}

    function keepsake_cache_key_info(string $key): ?array {}

    function keepsake_cache_sma_info(bool $limited = false): array|false {}
}

namespace Keepsake {
    /** @not-serializable */
    class CacheIterator implements \Iterator
    {
        /** @param array|string|null $search */
        public function __construct($search = null, int $format = KEEPSAKE_CACHE_ITER_ALL, int $chunk_size = 0, int $list = KEEPSAKE_CACHE_LIST_ACTIVE) {}

        public function rewind(): void {}

        public function next(): void {}

        public function valid(): bool {}

        public function key(): string|int {}

        public function current(): mixed {}

        public function getTotalHits(): int {}

        public function getTotalSize(): int {}

        public function getTotalCount(): int {}
    }
}
