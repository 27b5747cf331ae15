--TEST--
status/keepsake-status.php: an action POSTed from another site of the same domain (Sec-Fetch-Site: same-site or cross-site, e.g. after a sibling subdomain set the kss_csrf cookie itself) is refused even with a matching cookie and token; the page's own form (same-origin), a typed request (none) and clients that send no Sec-Fetch-Site still work
--SKIPIF--
<?php require __DIR__ . '/status.inc'; ?>
--FILE--
<?php
require __DIR__ . '/status.inc';
$dir = sys_get_temp_dir() . '/ks-status-csrf-' . getmypid();
$srv = ks_status_server($dir, '127.0.0.1', ['keepsake.cache.enable_cli=1', 'keepsake.cache.size=4M'], 1);
$token = str_repeat('ab', 16);   /* the value a sibling subdomain would toss into the cookie */
foreach (['same-site', 'cross-site', 'same-origin', 'none', null] as $site) {
    $h = ["Cookie: kss_csrf=$token"];
    if ($site !== null) $h[] = "Sec-Fetch-Site: $site";
    [$st] = ks_http($srv, 'POST', '/', $h, http_build_query(['action' => 'reset_sessions', 'csrf' => $token]));
    echo str_pad($site ?? '(not sent)', 12), " $st\n";
}
ks_status_stop($srv);
exec('rm -rf ' . escapeshellarg($dir));
?>
--EXPECT--
same-site    403
cross-site   403
same-origin  303
none         303
(not sent)   303
