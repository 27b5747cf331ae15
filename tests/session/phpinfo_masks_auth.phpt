--TEST--
phpinfo(): keepsake's session rows are shown and keepsake.session.auth is masked
--SKIPIF--

--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.auth=top-secret-pw
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
var_dump(str_contains($info, 'top-secret-pw'));
foreach (explode("\n", $info) as $l) {
    if (preg_match('/^(Session (save handler|Redis auth)|keepsake\.session\.auth) /', $l)) echo $l, "\n";
}
var_dump(ini_get('keepsake.session.auth') === 'top-secret-pw');
?>
--EXPECTF--
bool(false)
Session save handler => keepsake
Session Redis auth => set (hidden)
keepsake.session.auth => ******** => ********
bool(true)
