--TEST--
session ids: ids with ../, spaces or 300 characters never reach Redis as a key (refused, or replaced by PHP)
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ks_redis_skip_if_down(); ?>
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
ks_sess_use();
$bad = ['../../etc/passwd', 'a b', str_repeat('a', 300), 'abc*', '{x}'];
foreach ($bad as $id) {
    @session_id($id);
    $ok = @session_start();
    echo $ok ? (session_id() === $id ? "used as is!\n" : "replaced by a new id\n") : "refused\n";
    if (session_status() === PHP_SESSION_ACTIVE) session_abort();
}
var_dump(keepsake_session_stats()['errors']['invalid_sid']);
$keys = ks_redis()->cmd('KEYS', ks_sess_prefix() . '*');
var_dump(count(array_filter($keys, fn($k) => !preg_match('/^t:[a-z_]+:\{[a-zA-Z0-9,-]{1,256}\}(:lock|:wake|:queue|:done:[0-9a-f]{32})?$/', $k))));
session_id('../x');
session_start();
?>
--EXPECTF--
refused
replaced by a new id
refused
refused
refused
int(4)
int(0)

Warning: session_start(): keepsake: session read refused: invalid session id (4 characters; only a-z A-Z 0-9 "," "-" are allowed, at most 256) in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
