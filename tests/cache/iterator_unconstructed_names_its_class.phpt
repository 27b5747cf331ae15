--TEST--
Keepsake\CacheIterator used before its constructor ran throws an Error naming the object's class; delete() of it too
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
class Lazy extends Keepsake\CacheIterator { public function __construct() {} }
keepsake_cache_store('a', 1);
$objects = [new Lazy, (new ReflectionClass('Keepsake\CacheIterator'))->newInstanceWithoutConstructor()];
foreach ($objects as $it) {
    foreach (['rewind', 'valid', 'key', 'current', 'next', 'getTotalCount'] as $m) {
        try { $it->$m(); echo "$m: no error\n"; } catch (Error $e) { echo "$m: ", $e->getMessage(), "\n"; }
    }
    try { var_dump(keepsake_cache_delete($it)); } catch (Error $e) { echo "delete: ", $e->getMessage(), "\n"; }
}
var_dump(keepsake_cache_exists('a'));
?>
--EXPECT--
rewind: Lazy was not constructed: its constructor must run before it is used
valid: Lazy was not constructed: its constructor must run before it is used
key: Lazy was not constructed: its constructor must run before it is used
current: Lazy was not constructed: its constructor must run before it is used
next: Lazy was not constructed: its constructor must run before it is used
getTotalCount: Lazy was not constructed: its constructor must run before it is used
delete: Lazy was not constructed: its constructor must run before it is used
rewind: Keepsake\CacheIterator was not constructed: its constructor must run before it is used
valid: Keepsake\CacheIterator was not constructed: its constructor must run before it is used
key: Keepsake\CacheIterator was not constructed: its constructor must run before it is used
current: Keepsake\CacheIterator was not constructed: its constructor must run before it is used
next: Keepsake\CacheIterator was not constructed: its constructor must run before it is used
getTotalCount: Keepsake\CacheIterator was not constructed: its constructor must run before it is used
delete: Keepsake\CacheIterator was not constructed: its constructor must run before it is used
bool(true)
