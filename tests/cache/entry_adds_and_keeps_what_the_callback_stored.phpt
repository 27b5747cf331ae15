--TEST--
entry(): the result is added as in APCu, so a value the callback stored under its own key (with its own TTL), or a nested entry() for that key, is kept; the call still returns the callback's result
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
// the callback stores the key itself, with a TTL of its own
var_dump(keepsake_cache_entry('t', function ($k) {
    keepsake_cache_store($k, 'short-lived', 100);
    return 'computed';
}));
var_dump(keepsake_cache_fetch('t'), keepsake_cache_key_info('t')['ttl']);
// nested entry() for the key being computed: the first adds, the second finds it
var_dump(keepsake_cache_entry('u', function ($k) {
    var_dump(keepsake_cache_entry($k, fn() => 'first'));
    return keepsake_cache_entry($k, fn() => 'second');
}));
var_dump(keepsake_cache_fetch('u'));
// a nested entry() whose callback throws stores nothing; the outer one still adds
var_dump(keepsake_cache_entry('v', function ($k) {
    try {
        keepsake_cache_entry($k, function () { throw new RuntimeException('inner'); });
    } catch (RuntimeException $e) {
        echo "caught ", $e->getMessage(), "\n";
    }
    return 'outer';
}, 7));
var_dump(keepsake_cache_fetch('v'), keepsake_cache_key_info('v')['ttl']);
// an ordinary miss is still stored with the entry's TTL, and leases are all gone
var_dump(keepsake_cache_entry('w', fn() => 'plain', 9), keepsake_cache_key_info('w')['ttl'], keepsake_cache_info(true)['leases']);
?>
--EXPECT--
string(8) "computed"
string(11) "short-lived"
int(100)
string(5) "first"
string(5) "first"
string(5) "first"
caught inner
string(5) "outer"
string(5) "outer"
int(7)
string(5) "plain"
int(9)
int(0)
