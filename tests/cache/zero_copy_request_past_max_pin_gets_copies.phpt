--TEST--
Zero-copy: a request pinned for longer than keepsake.cache.zero_copy_max_pin gets copies (a long CLI loop stops handing out values in place)
--SKIPIF--
<?php
if (PHP_ZTS) die('skip zero-copy is off under ZTS: fetch copies there'); if (getenv('USE_ZEND_ALLOC') === '0') die('skip measures the Zend allocator (off under valgrind)'); ?>
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.zero_copy_max_pin=1
--FILE--
<?php
$t = array_fill(0, 5000, ['a' => 1, 'b' => 'two']);
keepsake_cache_store('t', $t);
$m = memory_get_usage();
$v = keepsake_cache_fetch('t');
echo memory_get_usage() - $m < 1024 ? "in place\n" : "copied\n";
sleep(2);
$m = memory_get_usage();
$w = keepsake_cache_fetch('t');
echo memory_get_usage() - $m > 100000 ? "copied\n" : "in place\n";
var_dump($v === $t, $w === $t);
ini_set('keepsake.cache.zero_copy_max_pin', '0');   /* no limit */
$m = memory_get_usage();
$x = keepsake_cache_fetch('t');
echo memory_get_usage() - $m < 1024 ? "in place\n" : "copied\n";
?>
--EXPECT--
in place
copied
bool(true)
bool(true)
in place
