--TEST--
keepsake.cache.serializer=igbinary: objects go through igbinary and come back equal
--SKIPIF--
<?php
/* make test only loads keepsake: load Debian's igbinary by absolute path,
 * which only fits Debian's PHP 8.2 (not 8.4, nor a PHP built from source) */
if (!extension_loaded('igbinary') && (PHP_EXTENSION_DIR !== '/usr/lib/php/20220829' || !is_file('/usr/lib/php/20220829/igbinary.so'))) die('skip Debian PHP 8.2 igbinary not installed for this PHP');
?>
--INI--
extension=/usr/lib/php/20220829/igbinary.so
keepsake.cache.enable_cli=1
keepsake.cache.serializer=igbinary
--FILE--
<?php
class V { public $a = [1, 'x' => 2.5]; public ?V $next = null; }
$v = new V; $v->next = new V;
var_dump(ini_get('keepsake.cache.serializer'), keepsake_cache_store('o', ['obj' => $v]));
$g = keepsake_cache_fetch('o');
var_dump($g == ['obj' => $v], get_class($g['obj']->next));
?>
--EXPECT--
string(8) "igbinary"
bool(true)
bool(true)
string(1) "V"
