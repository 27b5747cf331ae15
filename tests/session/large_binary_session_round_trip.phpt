--TEST--
write/read: a 2 MB session with NUL and CR/LF bytes round-trips intact (binary-safe, multi-read replies)
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
$sid = ks_sess_new_id();
$blob = '';
for ($i = 0; $i < 2 * 1024 * 1024 / 32; $i++) $blob .= md5((string)$i, true) . "\0\r\n\0" . substr(md5((string)-$i), 0, 12);
ks_sess_request($sid, function () use ($blob) { $_SESSION['blob'] = $blob; });
ks_sess_request($sid, function () use ($blob) { var_dump(strlen($_SESSION['blob']), $_SESSION['blob'] === $blob); });
?>
--EXPECTF--
int(2097152)
bool(true)
