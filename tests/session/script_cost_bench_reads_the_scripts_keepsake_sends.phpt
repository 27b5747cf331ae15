--TEST--
bench/session.d/c_literal.inc (script_cost.php's reader of store.c) yields exactly the scripts keepsake sends: the SHA1 of each is known to a Redis that only keepsake loaded scripts into
--SKIPIF--
<?php
require __DIR__ . '/sess.inc';
if (!is_file(__DIR__ . '/../../bench/session.d/c_literal.inc')) die('skip no bench/ (a package build)');
?>
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
require __DIR__ . '/../../bench/session.d/c_literal.inc';
ob_start();
$port = ks_redis_start();
$r = ks_redis($port);
ks_sess_use('', $port);

/* ACQUIRE: a lock held for a moment makes the request run the script. */
$sid = ks_sess_new_id();
$r->cmd('SET', ks_sess_key($sid, ':lock'), 'someone-else', 'PX', '200');
ini_set('keepsake.session.lock_wait', '5000');
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = 1; }));   /* RELEASE with the write */
/* TOUCH: an unlocked request whose data did not change. */
ini_set('keepsake.session.locking', '0');
var_dump(ks_sess_request($sid, function () { }));

$src = file_get_contents(__DIR__ . '/../../src/session/store.c');
foreach (['acquire_lua', 'release_lua', 'touch_lua'] as $name) {
    echo $name, ': ', json_encode($r->cmd('SCRIPT', 'EXISTS', sha1(c_literal($src, $name)))), "\n";
}
?>
--EXPECT--
bool(true)
bool(true)
acquire_lua: [1]
release_lua: [1]
touch_lua: [1]
