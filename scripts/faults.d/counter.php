<?php
/*
 * scripts/faults.d/counter.php: the page scripts/faults puts under load
 * (nginx + php-fpm). It increments $_SESSION['n'] and answers 200 with the
 * new value, or 500 when the session could not be started or saved.
 *
 * PHP 8.2's session_write_close() returns true whenever a session was
 * active, even when the handler failed to write: the warning is the only
 * sign. So the page counts keepsake's warnings itself, and a write that
 * warned is a failure. ?sleep=S holds the session (and its lock) for S s.
 *
 * Every request appends one line to $KSF_LOG/<pid>.log:
 *   start end sid status n own_warnings phase first_warning
 * (start/end in unix seconds; own_warnings counts "keepsake: " warnings;
 * phase is start, write, corrupt or -).
 */
$t0 = $_SERVER['REQUEST_TIME_FLOAT'] ?? microtime(true);
$warn = [];
set_error_handler(function ($no, $str) use (&$warn) {
    $warn[] = $str;
    return true;
});
$status = 200;
$n = null;
$phase = '-';
if (!session_start()) {
    $status = 500;
    $phase = 'start';
} else {
    $v = $_SESSION['n'] ?? 0;
    $bad = !is_int($v);
    $_SESSION['n'] = ($bad ? 0 : $v) + 1;
    $n = $_SESSION['n'];
    if (isset($_GET['sleep'])) {
        usleep((int)((float)$_GET['sleep'] * 1e6));
    }
    $before = count($warn);
    session_write_close();
    if (count($warn) > $before) {
        $status = 500;
        $phase = 'write';
    } elseif ($bad) {
        $status = 500;
        $phase = 'corrupt';
    }
}
http_response_code($status);
echo $status === 200 ? "$n\n" : "failed\n";
$own = count(array_filter($warn, fn($w) => str_contains($w, 'keepsake: ')));
$first = str_replace(["\n", "\r"], ' ', substr($warn[0] ?? '-', 0, 300));
file_put_contents(getenv('KSF_LOG') . '/' . getmypid() . '.log',
    sprintf("%.4f %.4f %s %d %s %d %s %s\n", $t0, microtime(true), session_id() ?: '-', $status, $n ?? '-', $own, $phase, $first),
    FILE_APPEND);
