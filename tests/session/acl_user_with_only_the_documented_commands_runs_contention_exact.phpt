--TEST--
ACL: a user allowed only the commands docs/session.md lists, on the prefix's keys, runs 4 contended processes in strict mode (refused ids included) with exact counts and no warning
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
--FILE--
<?php
/* The lock scripts call TIME and sorted-set and list commands (the waiter
 * queue and the wake list), which a hand-written ACL easily leaves out: the
 * list in docs/session.md must be enough, and is checked here. */
require __DIR__ . '/sess.inc';
ob_start();
$doc = file_get_contents(__DIR__ . '/../../docs/session.md');
preg_match('/<!-- acl -->\s*`([^`]+)`/', $doc, $m) or die("docs/session.md lists no ACL commands\n");
$user = 'acl' . getmypid();
$rules = array_merge(['SETUSER', $user, 'reset', 'on', '>pw-acl', '~' . ks_sess_prefix() . '*', 'resetchannels'],
    preg_split('/\s+/', trim($m[1])));
$set = ks_redis()->cmd('ACL', ...$rules);
ks_sess_use("user=$user&auth=pw-acl");
$sid = ks_sess_new_id();
ks_redis()->cmd('SET', ks_sess_key($sid), 'n|i:0;', 'EX', '1440');
$dir = sys_get_temp_dir() . '/ks-acl-' . getmypid();
@mkdir($dir);
$pids = [];
for ($p = 0; $p < 4; $p++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        $msgs = [];
        set_error_handler(function ($no, $str) use (&$msgs) { $msgs[] = $str; return true; });
        for ($i = 0; $i < 150; $i++) {
            if ($i % 10 == 0) {   /* an unknown id: its lock is taken and given back */
                session_id(ks_sess_new_id());
                if (session_start()) { session_abort(); }
            }
            session_id($sid);
            if (!session_start()) { $msgs[] = 'session_start failed'; continue; }
            $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
            session_write_close();
        }
        file_put_contents("$dir/$p", json_encode(['msgs' => $msgs, 'waits' => keepsake_session_stats()['lock_waits']]));
        exit(0);
    }
    $pids[] = $pid;
}
foreach ($pids as $pid) pcntl_waitpid($pid, $st);
$msgs = []; $waits = 0;
for ($p = 0; $p < 4; $p++) {
    $r = json_decode((string)@file_get_contents("$dir/$p"), true);
    if (!$r) { $msgs[] = "child $p left no report"; continue; }
    $msgs = array_merge($msgs, $r['msgs']);
    $waits += $r['waits'];
    unlink("$dir/$p");
}
rmdir($dir);
ks_redis()->cmd('ACL', 'DELUSER', $user);
var_dump($set);
var_dump(array_slice(array_unique($msgs), 0, 3));
var_dump($waits > 0);
var_dump(ks_redis()->cmd('GET', ks_sess_key($sid)));
?>
--EXPECT--
string(2) "OK"
array(0) {
}
bool(true)
string(8) "n|i:600;"
