--TEST--
save_path: several hosts form a ring; a host listed twice or a weight of 0 is rejected with a message naming it
--SKIPIF--
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
ini_set('session.save_handler', 'keepsake');
set_error_handler(function ($no, $msg) { if (str_contains($msg, 'keepsake:')) echo $msg, "\n"; return true; });
foreach (['tcp://127.0.0.1:6379?weight=1, tcp://127.0.0.1:6379?weight=2',
          'tcp://127.0.0.1:6379, tcp://127.0.0.1:6380?weight=0',
          'tcp://127.0.0.1:6379, tcp://127.0.0.1:6380?weight=1001'] as $p) {
    ini_set('session.save_path', $p);
    session_id('abc');
    var_dump(session_start());
}
?>
--EXPECT--
session_start(): keepsake: malformed session.save_path: host '127.0.0.1:6379' is listed twice
bool(false)
session_start(): keepsake: malformed session.save_path: bad value for 'weight' in host 2 at offset 44 (want an integer >= 1)
bool(false)
session_start(): keepsake: malformed session.save_path: weight 1001 of host '127.0.0.1:6380' is out of range 1..1000
bool(false)
