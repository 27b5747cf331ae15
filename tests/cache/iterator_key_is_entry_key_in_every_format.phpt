--TEST--
Keepsake\CacheIterator::key() is the entry's key whatever the format, as APCu's (it used to be the position without ITER_KEY)
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
keepsake_cache_store(['alpha' => 1, 'beta' => 2, '7' => 3]);
$formats = [
    'NONE' => KEEPSAKE_CACHE_ITER_NONE,
    'VALUE' => KEEPSAKE_CACHE_ITER_VALUE,
    'NUM_HITS|TTL' => KEEPSAKE_CACHE_ITER_NUM_HITS | KEEPSAKE_CACHE_ITER_TTL,
    'KEY' => KEEPSAKE_CACHE_ITER_KEY,
    'ALL' => KEEPSAKE_CACHE_ITER_ALL,
];
foreach ($formats as $name => $format) {
    $it = new Keepsake\CacheIterator(null, $format, 2);
    $keys = [];
    foreach ($it as $k => $e) {
        $keys[] = $k;
        // current() shows "key" only when ITER_KEY is asked for
        if (isset($e['key']) !== (bool) ($format & KEEPSAKE_CACHE_ITER_KEY)) echo "$name: wrong current() shape\n";
    }
    sort($keys, SORT_STRING);
    echo $name, ': ', json_encode($keys), "\n";
    $it->rewind();
    var_dump(is_string($it->key()));
}
?>
--EXPECT--
NONE: ["7","alpha","beta"]
bool(true)
VALUE: ["7","alpha","beta"]
bool(true)
NUM_HITS|TTL: ["7","alpha","beta"]
bool(true)
KEY: ["7","alpha","beta"]
bool(true)
ALL: ["7","alpha","beta"]
bool(true)
