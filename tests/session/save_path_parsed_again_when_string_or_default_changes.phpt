--TEST--
save_path: a worker keeps its parsed save_path, and parses it again when the string or a keepsake.session.* default changes (ini_set of database, persistent, prefix; a new query)
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ks_redis_skip_if_down(); ?>
--CONFLICTS--
redis-select
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
$sid = ks_sess_new_id();
$r = ks_redis();
$in_db = function (int $db, string $key) use ($r) {
    $r->cmd('SELECT', (string)$db);
    $v = $r->cmd('GET', $key);
    $r->cmd('DEL', $key);
    $r->cmd('SELECT', '0');
    return $v;
};
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', ks_redis_save_path());
ini_set('keepsake.session.prefix', ks_sess_prefix());
/* The same string twice: the second request uses the kept parse. */
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = 1; }));
var_dump(ks_sess_request($sid, function () { $_SESSION['n']++; }));
var_dump($in_db(0, ks_sess_key($sid)));
/* A default of a connection parameter changes, the string does not. */
ini_set('keepsake.session.database', '3');
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = 3; }));
var_dump($in_db(3, ks_sess_key($sid)));
/* A default of the session's own parameter changes: the keys follow. */
ini_set('keepsake.session.prefix', ks_sess_prefix() . 'again:');
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = 4; }));
var_dump($in_db(3, ks_sess_prefix() . 'again:{' . $sid . '}'));
/* persistent=0 by default now: each request closes its connection at the
 * end (the first reuses the one left open before), so the second connects. */
ini_set('keepsake.session.persistent', '0');
$c = keepsake_session_stats()['connects'];
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = 5; }));
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = 6; }));
var_dump(keepsake_session_stats()['connects'] - $c);
/* The string changes (its query overrides the defaults). */
ini_set('session.save_path', ks_redis_save_path('database=0&prefix=' . rawurlencode(ks_sess_prefix() . 'q:')));
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = 7; }));
var_dump($in_db(0, ks_sess_prefix() . 'q:{' . $sid . '}'));
$in_db(3, ks_sess_prefix() . 'again:{' . $sid . '}');
?>
--EXPECT--
bool(true)
bool(true)
string(6) "n|i:2;"
bool(true)
string(6) "n|i:3;"
bool(true)
string(6) "n|i:4;"
bool(true)
bool(true)
int(1)
bool(true)
string(6) "n|i:7;"
