--TEST--
APCu drop-in: Debian's php-laravel-framework, unmodified: Illuminate\Cache\ApcStore behind Illuminate\Cache\Repository (put/get/remember/increment/many/add/forget/flush)
--SKIPIF--
<?php
if (extension_loaded('apcu')) die('skip APCu is loaded');
if (!is_file('/usr/share/php/Illuminate/Cache/autoload.php')) die('skip php-laravel-framework is not installed');
?>
--INI--
include_path=.:/usr/share/php
keepsake.cache.apcu_compat=1
apc.enable_cli=1
--FILE--
<?php
require '/usr/share/php/Illuminate/Cache/autoload.php';
use Illuminate\Cache\{ApcStore, ApcWrapper, Repository};

$cache = new Repository(new ApcStore(new ApcWrapper, 'app:'));
var_dump($cache->put('user', ['id' => 7, 'tags' => ['a', 'b']], 60));
var_dump($cache->get('user'), $cache->get('missing', 'default'));
// stored in the shared cache under the store's prefix
var_dump(apcu_fetch('app:user')['id'], keepsake_cache_key_info('app:user')['ttl']);

$calls = 0;
$compute = function () use (&$calls) { $calls++; return "computed $calls"; };
var_dump($cache->remember('r', 60, $compute), $cache->remember('r', 60, $compute), $calls);
var_dump($cache->rememberForever('f', $compute), $calls);

var_dump($cache->increment('hits'), $cache->increment('hits', 10), $cache->decrement('hits', 4), $cache->get('hits'));

var_dump($cache->putMany(['m1' => 'one', 'm2' => 'two'], 60));
var_dump($cache->many(['m1', 'm2', 'm3']));

var_dump($cache->add('user', 'other', 60), $cache->add('fresh', 'new', 60), $cache->get('user')['id'], $cache->get('fresh'));
var_dump($cache->forget('user'), $cache->has('user'), $cache->missing('user'));

// expiry from Repository's seconds
$cache->put('brief', 'b', 1);
var_dump($cache->get('brief'));
sleep(2);
var_dump($cache->get('brief', 'gone'));

var_dump($cache->flush(), $cache->get('m1'), $cache->has('fresh'), apcu_cache_info(true)['num_entries']);
?>
--EXPECT--
bool(true)
array(2) {
  ["id"]=>
  int(7)
  ["tags"]=>
  array(2) {
    [0]=>
    string(1) "a"
    [1]=>
    string(1) "b"
  }
}
string(7) "default"
int(7)
int(60)
string(10) "computed 1"
string(10) "computed 1"
int(1)
string(10) "computed 2"
int(2)
int(1)
int(11)
int(7)
int(7)
bool(true)
array(3) {
  ["m1"]=>
  string(3) "one"
  ["m2"]=>
  string(3) "two"
  ["m3"]=>
  NULL
}
bool(false)
bool(true)
int(7)
string(3) "new"
bool(true)
bool(false)
bool(true)
string(1) "b"
string(4) "gone"
bool(true)
NULL
bool(false)
int(0)
