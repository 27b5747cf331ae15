--TEST--
Zero-copy: php-fpm started with stdin closed keeps the heir file in its master and workers
--DESCRIPTION--
MINIT (in the master) creates the heir file that counts the heirs of sticky
slots (docs/cache.md); the workers inherit it. php-fpm started with
descriptor 0 closed gave it number 0, and then pointed 0 at /dev/null in
the master (and its socket or /dev/null in each worker): no process had the
heir file any more, so every sticky slot would have been kept for good. A
worker must still hold it, above 2, and so must the master.
--SKIPIF--
<?php
require __DIR__ . '/fpm.inc';
if ($why = ks_fpm_skip_reason()) die("skip $why");
if (!is_dir('/proc/self/fd')) die('skip needs /proc');
?>
--FILE--
<?php
require __DIR__ . '/fpm.inc';
echo ks_fpm_run('', '<?php
function heirs(int $pid): string {
    $fds = [];
    foreach (glob("/proc/$pid/fd/*") as $f) {
        if (str_contains((string) @readlink($f), "keepsake-heirs")) {
            $fds[] = (int) basename($f);
        }
    }
    return count($fds) !== 1 ? "held " . count($fds) . " times" : ($fds[0] > 2 ? "held above 2" : "held on " . $fds[0]);
}
preg_match("/^PPid:\s+(\d+)/m", file_get_contents("/proc/self/status"), $m);
echo "worker: ", heirs(getmypid()), "\n", "master: ", heirs((int) $m[1]), "\n";', true), "\n";
?>
--EXPECT--
worker: held above 2
master: held above 2
