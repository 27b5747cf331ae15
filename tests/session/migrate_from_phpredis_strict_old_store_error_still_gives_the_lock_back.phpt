--TEST--
migrate_from=phpredis, strict mode: when the old store cannot be asked whether an unknown id exists (an error reply: here an ACL user without phpredis's keys), session_start() fails with one warning naming the cause, and the lock the check took for that id does not outlive the request
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ks_redis_skip_if_down(); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=1
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.migrate_from=phpredis
keepsake.session.lock_ttl=30000
--FILE--
<?php
/* The old store's EXISTS runs on the session's own connection, and its
 * error reply stays there for the read to report; the lock taken by the
 * check must still go back (before: the drop never left, stopped by that
 * error, and the lock stayed for its whole TTL). */
require __DIR__ . '/sess.inc';
ob_start();
$port = ks_redis_start();
$r = ks_redis($port);
$doc = file_get_contents(__DIR__ . '/../../docs/session.md');
preg_match('/<!-- acl -->\s*`([^`]+)`/', $doc, $m) or die("docs/session.md lists no ACL commands\n");
var_dump($r->cmd('ACL', ...array_merge(['SETUSER', 'app', 'reset', 'on', '>pw', '~' . ks_sess_prefix() . '*', 'resetchannels'],
    preg_split('/\s+/', trim($m[1])))));
ks_sess_use('user=app&auth=pw', $port);
$known = ks_sess_new_id();   // a session keepsake has: its check never asks the old store
$r->cmd('SET', ks_sess_key($known), 'n|i:1;', 'EX', '1440');
$w = [];
set_error_handler(function ($no, $s) use (&$w) { $w[] = $s; return true; });
$bad = ks_sess_new_id();
session_id($bad);
var_dump(session_start());
restore_error_handler();
echo 'keepsake warnings: ', count(preg_grep('/keepsake:/', $w)), "\n";
/* Redis's own words after NOPERM differ between versions (7.0: "this user has
 * no permissions to access one of the keys ...", 8: "No permissions to access
 * a key"): the test keeps the code and that keepsake quotes the reply. */
echo preg_replace('/tcp:\/\/\S+/', 'HOST', $w[0] ?? ''), "\n";
echo 'lock of the unknown id: ', $r->cmd('PTTL', ks_sess_key($bad, ':lock')), "\n";
echo 'keys of the unknown id other than receipts: ', count(array_filter($r->cmd('KEYS', ks_sess_key($bad) . '*'),
    fn($k) => !str_contains($k, ':done:'))), "\n";
// the known session still works
var_dump(ks_sess_request($known, function () { $_SESSION['n']++; }));
echo $r->cmd('GET', ks_sess_key($known)), "\n";
ks_redis_stop($port);
?>
--EXPECTF--
string(2) "OK"
bool(false)
keepsake warnings: 1
session_start(): keepsake: session read failed: EXISTS of phpredis's session on HOST replied "NOPERM %s"
lock of the unknown id: -2
keys of the unknown id other than receipts: 0
bool(true)
n|i:2;
