--TEST--
save_path: sentinel:// without master=, master= on a tcp:// host, a tcp:// host mixed with sentinel:// or cluster:// (either order), a prefix with a hash tag on cluster://, database= on cluster://, sentinel_auth= off sentinel:// and sentinel_user= without sentinel_auth= are each refused with one warning naming the problem
--SKIPIF--
--INI--
session.use_cookies=0
session.cache_limiter=
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/../session/sess.inc';
ob_start();
ini_set('session.save_handler', 'keepsake');
set_error_handler(function ($no, $msg) { if (str_contains($msg, 'keepsake:')) echo $msg, "\n"; return true; });
foreach (['sentinel://127.0.0.1:26379,127.0.0.1:26380',
          'tcp://127.0.0.1:6379?master=m',
          'sentinel://127.0.0.1:26379?master=m, tcp://127.0.0.1:6379',
          'cluster://127.0.0.1:7000, tcp://127.0.0.1:6379',
          'tcp://127.0.0.1:6379, sentinel://127.0.0.1:26379?master=m',
          'tcp://127.0.0.1:6379, cluster://127.0.0.1:7000',
          'cluster://127.0.0.1:7000,127.0.0.1:7001?prefix=app{1}:',
          'cluster://127.0.0.1:7000,127.0.0.1:7001?database=2',
          'tcp://127.0.0.1:6379?sentinel_auth=hidden-pw',
          'sentinel://127.0.0.1:26379?master=m&sentinel_user=ops'] as $p) {
    ini_set('session.save_path', $p);
    session_id('abc');
    var_dump(session_start());
}
?>
--EXPECT--
session_start(): keepsake: malformed session.save_path: sentinel:// needs master=<name> (the master the sentinels monitor)
bool(false)
session_start(): keepsake: malformed session.save_path: 'master' in host 1, which is not a sentinel:// host
bool(false)
session_start(): keepsake: malformed session.save_path: host 2 is tcp:// but host 1 is sentinel://: a save_path lists either sentinel:// hosts only, cluster:// hosts only, or tcp://, tls:// and unix:// hosts
bool(false)
session_start(): keepsake: malformed session.save_path: host 2 is tcp:// but host 1 is cluster://: a save_path lists either sentinel:// hosts only, cluster:// hosts only, or tcp://, tls:// and unix:// hosts
bool(false)
session_start(): keepsake: malformed session.save_path: host 2 is sentinel:// but host 1 is tcp://: a save_path lists either sentinel:// hosts only, cluster:// hosts only, or tcp://, tls:// and unix:// hosts
bool(false)
session_start(): keepsake: malformed session.save_path: host 2 is cluster:// but host 1 is tcp://: a save_path lists either sentinel:// hosts only, cluster:// hosts only, or tcp://, tls:// and unix:// hosts
bool(false)
session_start(): keepsake: malformed session.save_path: the key prefix of host 2 contains '{' or '}' (from prefix= or keepsake.session.prefix): on cluster:// the hash tag of every key must be the session id, which keepsake adds
bool(false)
session_start(): keepsake: malformed session.save_path: database=2: Redis Cluster has only database 0
bool(false)
session_start(): keepsake: malformed session.save_path: 'sentinel_auth'/'sentinel_user' in host 1, which is not a sentinel:// host
bool(false)
session_start(): keepsake: malformed session.save_path: 'sentinel_user' without 'sentinel_auth' in host 1 (ACL login needs both)
bool(false)
