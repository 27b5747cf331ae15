--TEST--
Zero-copy: a PHP started with stdin and stdout closed does not get the heir file there (its output would be kept in memory)
--DESCRIPTION--
MINIT creates the heir file (a memfd counting the heirs of sticky slots,
docs/cache.md). In a process started with descriptor 0 or 1 closed (a
daemon, `php worker.php <&- >&-`), the lowest free number is one of those:
the heir file took it, so everything the script echoed was written into it
(kept in memory while any process of the cache lives), STDIN read it, and
php-fpm, which dup2()s its socket onto 0 and /dev/null onto 1 and 2, closed
it. It must sit above 2, and stay empty.
--SKIPIF--
<?php
if (!is_dir('/proc/self/fd')) die('skip needs /proc');
?>
--FILE--
<?php
$so = rtrim(ini_get('extension_dir'), '/') . '/keepsake.so';
$php = escapeshellarg(PHP_BINARY) . ' -n -d extension=' . escapeshellarg($so)
    . ' -d keepsake.cache.enable_cli=1 -d keepsake.cache.size=8M -d keepsake.cache.shards=1';
$code = 'ignore_user_abort(true); echo str_repeat("x", 100000);'
    . '$heirs = array_filter(glob("/proc/self/fd/*"), fn($f) => str_contains((string) @readlink($f), "keepsake-heirs"));'
    . '$low = array_filter($heirs, fn($f) => (int) basename($f) <= 2);'
    /* stat(1), not filesize(): under ZTS PHP resolves /proc/self/fd/N by
     * its link text ("/memfd:keepsake-heirs (deleted)"), which names no file */
    . 'fwrite(STDERR, "heir file on 0, 1 or 2: " . var_export($low !== [], true) . "\\n");'
    . 'fwrite(STDERR, "heir file above 2, empty: " . var_export(count($heirs) === 1 && trim((string) shell_exec("stat -L -c %s /proc/" . getmypid() . "/fd/" . basename(reset($heirs)))) === "0", true) . "\\n");';
echo "-- stdout closed\n";
passthru("timeout 30 $php -r " . escapeshellarg($code) . " 2>&1 >&-", $rc);
echo "-- stdin and stdout closed\n";
passthru("timeout 30 $php -r " . escapeshellarg($code) . " 2>&1 <&- >&-", $rc);
?>
--EXPECT--
-- stdout closed
heir file on 0, 1 or 2: false
heir file above 2, empty: true
-- stdin and stdout closed
heir file on 0, 1 or 2: false
heir file above 2, empty: true
