--TEST--
compression: lz4 and zstd round trip above the threshold, small data stays raw, and every setting reads every format
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ks_redis_skip_if_down();
if (@ini_set('keepsake.session.compression', 'lz4') === false || @ini_set('keepsake.session.compression', 'zstd') === false) die('skip built without lz4 or zstd'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.compression_threshold=256
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
ks_sess_use();
$big = str_repeat('keepsake session data ', 200);
$algos = ['none', 'lz4', 'zstd'];
foreach ($algos as $w) {
    $sid = ks_sess_new_id();
    ini_set('keepsake.session.compression', $w);
    ks_sess_request($sid, function () use ($big) { $_SESSION['big'] = $big; });
    $raw = ks_redis()->cmd('GET', ks_sess_key($sid));
    $tag = substr($raw, 0, 3) === "\0KS" ? $raw[3] : 'raw';
    echo "$w: stored as $tag, ", strlen($raw) < strlen($big) ? "smaller" : "not smaller", "\n";
    foreach ($algos as $r) {
        ini_set('keepsake.session.compression', $r);
        session_id($sid);
        session_start(['read_and_close' => true]);
        echo "  read with $r: ", ($_SESSION['big'] ?? null) === $big ? "ok" : "MISMATCH", "\n";
    }
}
// below the threshold: raw
ini_set('keepsake.session.compression', 'zstd');
$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['s'] = 'small'; });
var_dump(ks_redis()->cmd('GET', ks_sess_key($sid)));
// corrupt compressed data: one warning, session_start() fails
ks_redis()->cmd('SET', ks_sess_key($sid), "\0KSz\x10\x00\x00\x00garbage");
session_id($sid);
var_dump(session_start());
?>
--EXPECTF--
none: stored as raw, not smaller
  read with none: ok
  read with lz4: ok
  read with zstd: ok
lz4: stored as 4, smaller
  read with none: ok
  read with lz4: ok
  read with zstd: ok
zstd: stored as z, smaller
  read with none: ok
  read with lz4: ok
  read with zstd: ok
string(14) "s|s:5:"small";"

Warning: session_start(): keepsake: session read failed: zstd session data is corrupt in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
