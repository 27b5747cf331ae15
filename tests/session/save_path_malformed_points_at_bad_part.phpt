--TEST--
save_path: a malformed save_path gives one warning pointing at the offending part, and session_start() returns false
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
$paths = [
    'tcp://127.0.0.1:99999',
    'tcp://127.0.0.1:6379?timeout=abc',
    'tcp://127.0.0.1:6379?database=-1',
    'tcp://127.0.0.1:6379?bogus=1',
    'tcp://127.0.0.1:6379?persistent=maybe',
    'unix://relative/path.sock',
    'http://127.0.0.1:6379',
    'tcp://?timeout=1',
    'tcp://127.0.0.1:6379?user=alice',
    '',
];
foreach ($paths as $p) {
    ini_set('session.save_path', $p);
    session_id('abc');
    var_dump(session_start());
}
var_dump(keepsake_session_stats()['errors']['save_path'], keepsake_session_stats()['round_trips']);
?>
--EXPECTF--
Warning: session_start(): keepsake: malformed session.save_path: bad port in host 1 at offset 17 (want 1..65535) in %s on line %d

Warning: session_start(): Failed to initialize storage module: keepsake (path: tcp://127.0.0.1:99999) in %s on line %d
bool(false)

Warning: session_start(): keepsake: malformed session.save_path: bad value for 'timeout' in host 1 at offset 22 (want seconds > 0, at most 86400) in %s on line %d

Warning: session_start(): Failed to initialize storage module: %s
bool(false)

Warning: session_start(): keepsake: malformed session.save_path: bad value for 'database' in host 1 at offset 22 (want an integer >= 0) in %s on line %d

Warning: session_start(): Failed to initialize storage module: %s
bool(false)

Warning: session_start(): keepsake: malformed session.save_path: unknown parameter in host 1 at offset 22 (if a value holds '&', write it as %26) in %s on line %d

Warning: session_start(): Failed to initialize storage module: %s
bool(false)

Warning: session_start(): keepsake: malformed session.save_path: bad value for 'persistent' in host 1 at offset 22 (want 0 or 1) in %s on line %d

Warning: session_start(): Failed to initialize storage module: %s
bool(false)

Warning: session_start(): keepsake: malformed session.save_path: unix socket path must be absolute in host 1 at offset 8 in %s on line %d

Warning: session_start(): Failed to initialize storage module: %s
bool(false)

Warning: session_start(): keepsake: malformed session.save_path: unsupported scheme in host 1 at offset 1 (want tcp://, redis://, unix://, tls://, rediss://, cluster:// or sentinel://) in %s on line %d

Warning: session_start(): Failed to initialize storage module: %s
bool(false)

Warning: session_start(): keepsake: malformed session.save_path: missing host name in host 1 at offset 7 in %s on line %d

Warning: session_start(): Failed to initialize storage module: %s
bool(false)

Warning: session_start(): keepsake: malformed session.save_path: 'user' without 'auth' in host 1 (ACL login needs both) in %s on line %d

Warning: session_start(): Failed to initialize storage module: %s
bool(false)

Warning: session_start(): keepsake: malformed session.save_path: no host given (want e.g. tcp://127.0.0.1:6379) in %s on line %d

Warning: session_start(): Failed to initialize storage module: %s
bool(false)
int(10)
int(0)
