--TEST--
save_path: several hosts are rejected with a message that multi-host routing is not supported yet
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
ini_set('session.save_path', 'tcp://127.0.0.1:6379?weight=1, tcp://127.0.0.1:6380?weight=2');
session_id('abc');
var_dump(session_start());
?>
--EXPECTF--
Warning: session_start(): keepsake: session.save_path lists 2 hosts; multi-host routing is not supported yet, give exactly one host in %s on line %d

Warning: session_start(): Failed to initialize storage module: %s
bool(false)
