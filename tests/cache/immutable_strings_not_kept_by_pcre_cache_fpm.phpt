--TEST--
Immutable (zero-copy) strings are not kept past their block's life by PHP's process-wide PCRE cache (php-fpm worker, two requests)
--DESCRIPTION--
Outside the CLI, PHP's PCRE cache lives as long as the worker and keys
compiled patterns by the pattern string. It copies the key unless the string
says it is a permanent interned string (IS_STR_PERMANENT, as opcache's
literals are, which live as long as the process). A zero-copy block lives
only until the epoch reclaims it after the request, so its strings must not
claim to be permanent: a worker that used a fetched pattern would keep a
pointer into memory another process may reuse, and read it at every later
lookup of the same pattern (and release it when the cache is trimmed).
keepsake_debug_immutable() (debug builds) builds a block with the cache's
own writer; in the second request keepsake_debug_immutable_release()
unmaps it, as a reclaimed block is gone, and the same pattern is used again
from request memory. One worker serves both requests.
--SKIPIF--
<?php
require __DIR__ . '/../redis.inc';
require __DIR__ . '/../session/web.inc';
if ($why = ks_web_skip_reason()) die("skip $why");
if (!function_exists('keepsake_debug_immutable')) die('skip needs a --enable-keepsake-debug build');
?>
--FILE--
<?php
require __DIR__ . '/../redis.inc';
require __DIR__ . '/../session/web.inc';
$app = <<<'PHP'
<?php
$pattern = '/^k(ee)p+sake' . str_repeat('ab', (int) $_GET['n']) . '$/';
$subject = 'keepsake' . str_repeat('ab', (int) $_GET['n']);
if ($_GET['step'] === '1') {
    $v = keepsake_debug_immutable(['p' => $pattern]);
    var_dump(preg_match($v['p'], $subject));
} else {
    var_dump(keepsake_debug_immutable_release());
    var_dump(preg_match($pattern, $subject));
}
PHP;
$w = ks_web_start(['app.php' => $app], 1, []);
echo ks_web_get($w, '/app.php?step=1&n=3');
echo ks_web_get($w, '/app.php?step=2&n=3');
echo ks_web_get($w, '/app.php?step=2&n=3');
$log = (string) @file_get_contents("{$w['dir']}/fpm.log");
echo preg_match('/signal|SIGSEGV/', $log) ? "worker crashed:\n$log\n" : "no crash\n";
echo ks_web_php_errors($w), "\n";
ks_web_stop($w);
?>
--EXPECT--
int(1)
int(1)
int(1)
int(0)
int(1)
no crash
