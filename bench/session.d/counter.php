<?php
/*
 * bench/session.d/counter.php: the page wrk requests under php-fpm + nginx.
 * It increments a counter in the session named by the PHPSESSID cookie and
 * answers 500 when the session cannot be started or saved, so wrk's "Non-2xx"
 * count is the number of failed requests. The handler comes from the pool's
 * php_admin_value settings; the "floor" pool (KSB_NO_SESSION=1) answers
 * without starting a session, to measure what the page costs without one;
 * the "module" pool (KSB_NOOP_HANDLER=1) starts one on a user save handler
 * that does no I/O (reads "", writes nothing), so what PHP's session module
 * costs by itself (id, cookie, headers, serializing) is known.
 */
if (getenv('KSB_NO_SESSION') === '1') {   /* the floor pool: the same page without a session */
    echo "0\n";
    return;
}
if (getenv('KSB_NOOP_HANDLER') === '1') {   /* the module pool: the session module, no storage */
    session_set_save_handler(new class implements SessionHandlerInterface, SessionUpdateTimestampHandlerInterface {
        public function open(string $path, string $name): bool { return true; }
        public function close(): bool { return true; }
        public function read(string $id): string|false { return ''; }
        public function write(string $id, string $data): bool { return true; }
        public function destroy(string $id): bool { return true; }
        public function gc(int $max): int|false { return 0; }
        public function validateId(string $id): bool { return true; }
        public function updateTimestamp(string $id, string $data): bool { return true; }
    }, false);
}
if (!session_start()) {
    http_response_code(500);
    echo "session_start failed\n";
    return;
}
$_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
$n = $_SESSION['n'];
/* PHP 8.2's session_write_close() returns true whenever a session was active,
 * also when the handler failed to write: only the warning tells. */
error_clear_last();
if (!session_write_close() || error_get_last() !== null) {
    http_response_code(500);
    echo "session_write_close failed\n";
    return;
}
echo $n, "\n";
