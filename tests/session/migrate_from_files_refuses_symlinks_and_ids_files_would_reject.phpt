--TEST--
migrate_from=files: a symlinked session file or subdirectory, or a FIFO, is not adopted (one warning, a new session, the target untouched); an id the files handler would reject is skipped silently
--SKIPIF--
<?php require __DIR__ . '/migrate.inc'; ks_redis_skip_if_down(); ?>
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
require __DIR__ . '/migrate.inc';
ob_start();
$dir = ks_mig_tmpdir('refuse');
$outside = ks_mig_tmpdir('refuse-outside');
$secret = 'user|s:5:"admin";';
$r = ks_redis();
$msgs = [];
set_error_handler(function ($no, $str) use (&$msgs) { $msgs[] = $str; return true; });
$show = function (string $what, string $sid) use (&$msgs, $r) {
    echo "$what: session ", json_encode($_SESSION ?? null), ', stored ', var_export($r->cmd('GET', ks_sess_key($sid)), true), "\n";
    foreach ($msgs as $m) echo "  $m\n";
    $msgs = [];
};

// 1. sess_<sid> is a symlink to a file outside the directory.
$sid = ks_sess_new_id();
file_put_contents("$outside/sess_$sid", $secret);
symlink("$outside/sess_$sid", "$dir/sess_$sid");
ks_mig_use('files', $dir);
ks_sess_request($sid, function () { $_SESSION['mine'] = 1; });
$show('symlinked file', $sid);
echo "  target untouched: ", json_encode(file_get_contents("$outside/sess_$sid") === $secret), "\n";

// 2. with one level, the subdirectory is a symlink to a directory outside.
$sid = 'q' . substr(ks_sess_new_id(), 1);
file_put_contents("$outside/sess_$sid", $secret);
symlink($outside, "$dir/q");
ks_mig_use('files', "1;$dir");
ks_sess_request($sid, function () { $_SESSION['mine'] = 1; });
$show('symlinked subdirectory', $sid);
echo "  target untouched: ", json_encode(file_get_contents("$outside/sess_$sid") === $secret), "\n";

// 3. a FIFO: refused at once, never waited on.
$sid = ks_sess_new_id();
exec("mkfifo " . escapeshellarg("$dir/sess_$sid"), $o, $rc);
ks_mig_use('files', $dir);
$t = microtime(true);
ks_sess_request($sid, function () { $_SESSION['mine'] = 1; });
$show('fifo', $sid);
echo "  within 5 s: ", json_encode(microtime(true) - $t < 5), "\n";

// 4. an id with fewer characters than the directory levels: the files
//    handler would reject it, so there is nothing to adopt, silently.
$sid = 'ab';
@mkdir("$dir/a/b", 0700, true);
file_put_contents("$dir/a/b/sess_ab", $secret);
ks_mig_use('files', "3;$dir");
ks_sess_request($sid, function () { $_SESSION['mine'] = 1; });
$show('id shorter than the levels', $sid);
echo "  file untouched: ", json_encode(file_get_contents("$dir/a/b/sess_ab") === $secret), "\n";

// 5. migrate_path is not a directory: one warning, a new session.
$sid = ks_sess_new_id();
ks_mig_use('files', "$dir/nowhere");
ks_sess_request($sid, function () { $_SESSION['mine'] = 1; });
$show('missing directory', $sid);
ks_mig_rmtree($dir);
ks_mig_rmtree($outside);
echo ob_get_clean();
?>
--EXPECTF--
symlinked file: session {"mine":1}, stored 'mine|i:1;'
  session_start(): keepsake: session read: the old files session was not adopted: the session's file is a symbolic link or not a regular file (refused)
  target untouched: true
symlinked subdirectory: session {"mine":1}, stored 'mine|i:1;'
  session_start(): keepsake: session read: the old files session was not adopted: the session's subdirectory is a symbolic link or not a directory (refused)
  target untouched: true
fifo: session {"mine":1}, stored 'mine|i:1;'
  session_start(): keepsake: session read: the old files session was not adopted: the session file is not a regular file (refused)
  within 5 s: true
id shorter than the levels: session {"mine":1}, stored 'mine|i:1;'
  file untouched: true
missing directory: session {"mine":1}, stored 'mine|i:1;'
  session_start(): keepsake: session read: the old files session was not adopted: keepsake.session.migrate_path: %s
