--TEST--
status/keepsake-status.php over 150000 cache entries: the top-keys tables keep 10 rows each, not a row per entry, so the page renders within 32 MB above what the process uses before it (the iterator's snapshot of keys included)
--SKIPIF--
<?php if (!function_exists('keepsake_cache_store')) die('skip no cache part'); ?>
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=64M
memory_limit=-1
--FILE--
<?php
define("KEEPSAKE_STATUS_NO_MAIN", 1);
ob_start();   /* the page sets its CSRF cookie */
require __DIR__ . '/../../status/keepsake-status.php';
for ($i = 0; $i < 150000; $i++) keepsake_cache_store("key:$i:" . str_repeat('k', 24), $i);
for ($i = 0; $i < 50; $i++) keepsake_cache_fetch('key:7:' . str_repeat('k', 24));
echo "entries: ", keepsake_cache_info(true)['num_entries'], "\n";
ini_set('memory_limit', (string)(memory_get_usage() + 32 * 1048576));
$_SERVER['REQUEST_URI'] = '/';
$page = kss_page();
preg_match('~<table id="top-hits".*?</table>~s', $page, $m);
echo "rows: ", substr_count($m[0] ?? '', '<td class="key">'), ", first: ", preg_match('~<td class="key">([^<]*)</td>~', $m[0] ?? '', $k) ? $k[1] : '-', "\n";
echo "matching: ", preg_match('~<p>([\d,]+) matching entries~', $page, $n) ? $n[1] : '?', "\n";
?>
--EXPECT--
entries: 150000
rows: 10, first: key:7:kkkkkkkkkkkkkkkkkkkkkkkk
matching: 100,000
