<?php
/*
 * bench/session.d/counter.php: the page wrk requests under php-fpm + nginx.
 * It increments a counter in the session named by the PHPSESSID cookie and
 * answers 500 when the session cannot be started or saved, so wrk's "Non-2xx"
 * count is the number of failed requests. The handler comes from the pool's
 * php_admin_value settings; the "floor" pool (KSB_NO_SESSION=1) answers
 * without starting a session, to measure what the page costs without one.
 */
if (getenv('KSB_NO_SESSION') === '1') {   /* the floor pool: the same page without a session */
    echo "0\n";
    return;
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
