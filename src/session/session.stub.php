<?php

/** @generate-class-entries */

/**
 * Session counters: lock acquisitions and waits, wait times (with a
 * histogram and its p50/p95/p99), lock timeouts and lost locks, round
 * trips, reconnects and errors by kind. Those of this worker since it
 * started, or with $all_workers those of every worker of this php-fpm
 * master (or of this CLI process and its forks), summed in shared memory.
 */
function keepsake_session_stats(bool $all_workers = false): array {}

/**
 * Sets the all-workers session counters (keepsake_session_stats(true)) to
 * zero, and their start time to now. Each worker's own counters stay.
 */
function keepsake_session_stats_reset(): bool {}
