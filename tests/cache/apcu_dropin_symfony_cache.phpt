--TEST--
APCu drop-in: Debian's php-symfony-cache, unmodified: ApcuAdapter is supported and get/save/getItems/delete/expiry/clear work; TagAwareAdapter invalidates by tag
--SKIPIF--
<?php
if (extension_loaded('apcu')) die('skip APCu is loaded');
if (!is_file('/usr/share/php/Symfony/Component/Cache/autoload.php')) die('skip php-symfony-cache is not installed');
?>
--INI--
include_path=.:/usr/share/php
keepsake.cache.apcu_compat=1
apc.enable_cli=1
--FILE--
<?php
require '/usr/share/php/Symfony/Component/Cache/autoload.php';
/* Symfony 6.4+ wraps items with metadata (tags, expiry) in a namespace-less
 * class named "\xA9" (Traits/ValueWrapper.php), which composer maps but
 * Debian 13's generated autoload.php does not: without this line tagged
 * items fail with 'Class "\xA9" not found' whatever the cache behind them. */
if (!class_exists("\xA9") && is_file('/usr/share/php/Symfony/Component/Cache/Traits/ValueWrapper.php')) {
    require_once '/usr/share/php/Symfony/Component/Cache/Traits/ValueWrapper.php';
}
use Symfony\Component\Cache\Adapter\ApcuAdapter;
use Symfony\Component\Cache\Adapter\TagAwareAdapter;

// isSupported() reads function_exists('apcu_fetch') and ini_get('apc.enabled')
var_dump(ApcuAdapter::isSupported());

$a = new ApcuAdapter('app');
$b = new ApcuAdapter('other');
$item = $a->getItem('user.1');
var_dump($item->isHit());
var_dump($a->save($item->set(['name' => 'Ann', 'roles' => ['admin'], 'at' => new DateTimeImmutable('2020-01-02')])));
$hit = $a->getItem('user.1');
var_dump($hit->isHit(), $hit->get()['name'], $hit->get()['at']->format('Y-m-d'));
// the value really lives in the shared cache, under Symfony's namespaced key
var_dump(count(iterator_to_array(new APCUIterator('/^app:/', APC_ITER_KEY))) >= 1);

// several items at once, misses included
$a->save($a->getItem('n1')->set(1));
$a->saveDeferred($a->getItem('n2')->set(2));
$a->commit();
$got = [];
foreach ($a->getItems(['n1', 'n2', 'n3']) as $k => $i) $got[$k] = $i->isHit() ? $i->get() : 'miss';
var_dump($got);
var_dump($a->hasItem('n2'), $a->deleteItem('n2'), $a->hasItem('n2'), $a->deleteItems(['n1', 'nope']), $a->hasItem('n1'));

// expiry
$a->save($a->getItem('short')->set('s')->expiresAfter(1));
$a->save($a->getItem('long')->set('l')->expiresAfter(3600));
var_dump($a->getItem('short')->isHit());
sleep(2);
var_dump($a->getItem('short')->isHit(), $a->getItem('long')->get());

// clear() deletes this namespace only (through apcu_delete(new APCUIterator(...)))
$b->save($b->getItem('keep')->set('kept'));
var_dump($a->clear(), $a->hasItem('long'), $a->hasItem('user.1'), $b->getItem('keep')->get());

// tags
$t = new TagAwareAdapter(new ApcuAdapter('items'), new ApcuAdapter('tags'));
$t->save($t->getItem('p1')->set('page 1')->tag(['pages', 'user-1']));
$t->save($t->getItem('p2')->set('page 2')->tag(['pages']));
$t->save($t->getItem('u')->set('profile')->tag(['user-1']));
var_dump($t->getItem('p1')->get(), $t->getItem('p2')->isHit(), $t->getItem('u')->isHit());
var_dump($t->invalidateTags(['pages']));
var_dump($t->getItem('p1')->isHit(), $t->getItem('p2')->isHit(), $t->getItem('u')->get());
// a second adapter instance (another request) sees the invalidation too
$t2 = new TagAwareAdapter(new ApcuAdapter('items'), new ApcuAdapter('tags'));
var_dump($t2->getItem('p1')->isHit(), $t2->getItem('u')->isHit());
?>
--EXPECT--
bool(true)
bool(false)
bool(true)
bool(true)
string(3) "Ann"
string(10) "2020-01-02"
bool(true)
array(3) {
  ["n1"]=>
  int(1)
  ["n2"]=>
  int(2)
  ["n3"]=>
  string(4) "miss"
}
bool(true)
bool(true)
bool(false)
bool(true)
bool(false)
bool(true)
bool(false)
string(1) "l"
bool(true)
bool(false)
bool(false)
string(4) "kept"
string(6) "page 1"
bool(true)
bool(true)
bool(true)
bool(false)
bool(false)
string(7) "profile"
bool(false)
bool(true)
