--TEST--
save_path: a host name over 255 bytes (tcp:// or a cluster:// seed) is refused with one warning saying so, never as "out of memory" or a resolver error; 255 bytes is accepted and looked up
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_probability=0
--FILE--
<?php
ob_start();
ini_set('session.save_handler', 'keepsake');
$long = str_repeat('a', 60) . '.' . str_repeat('b', 60) . '.' . str_repeat('c', 60) . '.' . str_repeat('d', 60) . '.' . str_repeat('e', 20) . '.invalid';
$w = [];
set_error_handler(function ($no, $msg) use (&$w) { $w[] = $msg; return true; });
foreach (["tcp://$long:6379?timeout=0.5", "cluster://$long:7000?timeout=0.5", "$long:6379"] as $p) {
    $w = [];
    ini_set('session.save_path', $p);
    session_id('abcdef0123456789');
    var_dump(session_start(), strlen($long));
    echo str_replace($long, '<host>', $w[0] ?? 'no warning'), "\n";
}
/* 255 bytes: accepted by the parser; the lookup itself fails (.invalid never resolves). */
$ok = substr($long, 0, 247) . '.invalid';
$w = [];
ini_set('session.save_path', "tcp://$ok:6379?timeout=0.5");
session_id('abcdef0123456789');
var_dump(session_start(), strlen($ok));
echo str_replace($ok, '<host>', $w[0] ?? 'no warning'), "\n";
?>
--EXPECTF--
bool(false)
int(272)
session_start(): keepsake: malformed session.save_path: host name of host 1 at offset 7 is longer than 255 bytes
bool(false)
int(272)
session_start(): keepsake: malformed session.save_path: host name of host 1 at offset 11 is longer than 255 bytes
bool(false)
int(272)
session_start(): keepsake: malformed session.save_path: host name of host 1 at offset 1 is longer than 255 bytes
bool(false)
int(255)
session_start(): keepsake: session read (lock acquire) failed: cannot resolve tcp://<host>:6379: %s
