<?php

/** @generate-class-entries */

/**
 * This worker's session counters since it started: lock acquisitions and
 * waits, wait times, lock timeouts and lost locks, round trips, reconnects
 * and errors by kind.
 */
function keepsake_session_stats(): array {}
