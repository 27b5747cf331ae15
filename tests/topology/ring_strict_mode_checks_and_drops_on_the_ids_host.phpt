--TEST--
ring, strict mode: a known id is kept and updated on its host (the check's lock used by the read), an unknown one is refused and its check's lock dropped on the host that took it, leaving no key of it on any host; the new id's session goes to its own host
--SKIPIF--
<?php require __DIR__ . '/../session/sess.inc'; ?>
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
require __DIR__ . '/ring.inc';
ob_start();
$ports = ks_ring_servers(3);
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', ks_ring_path($ports));
$w = [];
set_error_handler(function ($no, $s) use (&$w) { $w[] = $s; return true; });
/* 30 sessions made by keepsake (no id brought: PHP makes one). */
$known = [];
for ($i = 0; $i < 30; $i++) {
    session_id('');
    session_start();
    $_SESSION['n'] = 1;
    $known[] = session_id();
    session_write_close();
}
$kept = 0;
foreach ($known as $sid) {
    $kept += ks_sess_request($sid, function () { $_SESSION['n']++; }) && session_id() === $sid;
}
$refused = 0; $new = [];
for ($i = 0; $i < 30; $i++) {
    $bad = ks_sess_new_id();
    session_id($bad);
    if (session_start() && session_id() !== $bad) {
        $refused++;
        $_SESSION['n'] = 5;
        $new[] = [$bad, session_id()];
    }
    session_write_close();
}
restore_error_handler();
echo "warnings: ", count($w), "\nknown kept and updated: $kept\nunknown refused: $refused\n";
$lost = 0; $hosts = [];
foreach ($known as $sid) {
    $on = ks_ring_where($ports, ks_sess_key($sid));
    $hosts[$on[0] ?? 0] = true;
    if (count($on) !== 1 || ks_redis($on[0])->cmd('GET', ks_sess_key($sid)) !== 'n|i:2;') $lost++;
}
echo "known sessions not exactly 'n|i:2;' on one host: $lost\n";
echo "hosts used: ", count($hosts), "\n";
$left = 0; $misplaced = 0;
foreach ($new as [$bad, $sid]) {
    foreach ($ports as $p) $left += count(ks_redis($p)->cmd('KEYS', ks_sess_key($bad) . '*'));
    if (count(ks_ring_where($ports, ks_sess_key($sid))) !== 1) $misplaced++;
}
echo "keys of refused ids on any host: $left\nnew sessions not on exactly one host: $misplaced\n";
$locks = 0;
foreach ($ports as $p) $locks += count(ks_redis($p)->cmd('KEYS', ks_sess_prefix() . '*:lock'));
echo "locks left: $locks\n";
?>
--EXPECT--
warnings: 0
known kept and updated: 30
unknown refused: 30
known sessions not exactly 'n|i:2;' on one host: 0
hosts used: 3
keys of refused ids on any host: 0
new sessions not on exactly one host: 0
locks left: 0
