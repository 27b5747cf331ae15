<?php

/** @generate-class-entries */

/**
 * Both parts' counters and gauges in the Prometheus text exposition format
 * (version 0.0.4): the session counters of every worker of this master
 * (keepsake_session_stats(true)), with the lock waits as a histogram, and
 * the cache's (keepsake_cache_info(), keepsake_cache_sma_info()), with a
 * shard label on the per-shard memory. Never a password.
 */
function keepsake_metrics(): string {}
