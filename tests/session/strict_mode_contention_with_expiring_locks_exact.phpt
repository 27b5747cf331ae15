--TEST--
locking, strict mode: 8 processes mixing refused ids, session_reset(), session_regenerate_id(false) and requests that outlive a 40 ms lock TTL end with the count of applied writes exactly, and no lock or waiter queue behind
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
keepsake.session.lock_ttl=40
keepsake.session.lock_wait=5000
--FILE--
<?php
/* Strict mode's id check takes the lock and reads the data (lock_ahead());
 * a refused id's lock is given back at once. Here those paths race plain
 * requests, session_reset(), session_regenerate_id(false) (which writes the
 * old id under its lock) and requests whose lock expires under them (their
 * write must be refused, never applied over a newer one). Every write that
 * was not refused counts 1: the stored count must equal their number. */
require __DIR__ . '/sess.inc';
ob_start();
ks_sess_use();
$sid = ks_sess_new_id();
ks_redis()->cmd('SET', ks_sess_key($sid), 'n|i:0;', 'EX', '1440');
$dir = sys_get_temp_dir() . '/ks-strict-mix-' . getmypid();
@mkdir($dir);
$pids = [];
for ($p = 0; $p < 8; $p++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        mt_srand($p + 1);
        $own = new KsRedis(ks_redis_host(), ks_redis_port());   /* not the parent's socket */
        $msgs = []; $applied = 0; $refused = 0; $kept = 0;
        set_error_handler(function ($no, $str) use (&$msgs, &$refused) {
            if (str_contains($str, 'session write refused: the session lock')) { $refused++; }
            elseif (!str_contains($str, 'Failed to write session data')) { $msgs[] = $str; }
            return true;
        });
        for ($i = 0; $i < 250; $i++) {
            $k = mt_rand(0, 9);
            if ($k == 0) {   /* an unknown id: refused, replaced by a new one */
                $bogus = ks_sess_new_id();
                session_id($bogus);
                if (session_start()) { $kept += session_id() === $bogus; session_abort(); }
                continue;
            }
            session_id($sid);
            if (!session_start()) { $msgs[] = 'session_start failed'; continue; }
            if (session_id() !== $sid) { $msgs[] = 'strict mode refused the known id'; session_abort(); continue; }
            $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
            if ($k == 1) { usleep(60000); }   /* outlives the lock */
            if ($k == 2) { session_reset(); $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1; }
            $before = $refused;
            if ($k == 3) {
                $ok = session_regenerate_id(false);   /* writes the old id (under its lock) */
                $applied += $ok && $refused == $before;
                $new = session_id();
                if ($ok) { session_write_close(); $own->cmd('DEL', ks_sess_key($new)); }
                continue;
            }
            session_write_close();
            $applied += $refused == $before;
        }
        file_put_contents("$dir/$p", json_encode(['msgs' => $msgs, 'applied' => $applied, 'refused' => $refused, 'kept' => $kept]));
        exit(0);
    }
    $pids[] = $pid;
}
foreach ($pids as $pid) pcntl_waitpid($pid, $st);
$msgs = []; $applied = 0; $refused = 0; $kept = 0;
for ($p = 0; $p < 8; $p++) {
    $r = json_decode((string)@file_get_contents("$dir/$p"), true);
    if (!$r) { $msgs[] = "child $p left no report"; continue; }
    $msgs = array_merge($msgs, $r['msgs']);
    $applied += $r['applied']; $refused += $r['refused']; $kept += $r['kept'];
    unlink("$dir/$p");
}
rmdir($dir);
var_dump($msgs, $kept);
var_dump($applied > 1000, $refused > 0);
var_dump(ks_redis()->cmd('GET', ks_sess_key($sid)) === "n|i:$applied;");
/* Every process has ended; a lock lasts 40 ms, a queue entry about 2 s. */
$left = 1;
for ($t = 0; $t < 60 && $left; $t++) {
    $left = ks_redis()->cmd('EXISTS', ks_sess_key($sid, ':lock'), ks_sess_key($sid, ':queue'));
    if ($left) usleep(100000);
}
var_dump($left);
?>
--EXPECT--
array(0) {
}
int(0)
bool(true)
bool(true)
bool(true)
int(0)
