--TEST--
APCu drop-in: an APCUIterator used before construction throws naming APCUIterator, as in APCu (it named Keepsake\CacheIterator)
--SKIPIF--
<?php if (extension_loaded('apcu')) die('skip APCu is loaded'); ?>
--INI--
keepsake.cache.apcu_compat=1
apc.enable_cli=1
--FILE--
<?php
$it = (new ReflectionClass('APCUIterator'))->newInstanceWithoutConstructor();
try { $it->valid(); } catch (Error $e) { echo $e->getMessage(), "\n"; }
try { apcu_delete($it); } catch (Error $e) { echo $e->getMessage(), "\n"; }
class MyIterator extends APCUIterator { public function __construct() {} }
try { foreach (new MyIterator as $k => $v) {} } catch (Error $e) { echo $e->getMessage(), "\n"; }
var_dump(get_class(new APCUIterator()), new APCUIterator() instanceof Keepsake\CacheIterator);
?>
--EXPECT--
APCUIterator was not constructed: its constructor must run before it is used
APCUIterator was not constructed: its constructor must run before it is used
MyIterator was not constructed: its constructor must run before it is used
string(12) "APCUIterator"
bool(true)
