--TEST--
phpinfo(): "Session Redis sentinel auth" reads "set (hidden)" from keepsake.session.sentinel_auth before any session, and both secrets are masked in the INI table; ini_get_all() shows them in clear (as every PHP INI); a php.ini may take them from the environment with ${VAR}
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
/* Set here, not in --INI--: run-tests passes --INI-- to the child below as -d, over its php.ini. */
ini_set('keepsake.session.auth', 'top-secret-pw');
ini_set('keepsake.session.sentinel_auth', 'sentinel-secret-pw');
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
var_dump(str_contains($info, 'secret-pw'));
foreach (explode("\n", $info) as $l) {
    if (preg_match('/^(Session Redis (sentinel )?auth|keepsake\.session\.(sentinel_)?auth) /', $l)) echo $l, "\n";
}
$all = ini_get_all('keepsake');
var_dump($all['keepsake.session.sentinel_auth']['local_value']);

/* A php.ini line "keepsake.session.auth = ${VAR}" keeps the password out of every ini file. */
$dir = sys_get_temp_dir() . '/ks-ini-env-' . getmypid();
@mkdir($dir, 0700);
file_put_contents("$dir/php.ini", "keepsake.session.auth = \${KS_TEST_REDIS_PW}\n");
file_put_contents("$dir/child.php", '<?php var_dump(ini_get("keepsake.session.auth") === "fr0m,env&pw");
ob_start(); phpinfo(INFO_MODULES); $i = ob_get_clean();
var_dump(str_contains($i, "fr0m"), str_contains($i, "keepsake.session.auth => ********"));');
exec('KS_TEST_REDIS_PW=' . escapeshellarg('fr0m,env&pw') . ' ' . ks_php_cmd() . ' -c ' . escapeshellarg("$dir/php.ini")
    . ' ' . escapeshellarg("$dir/child.php") . ' 2>&1', $out, $rc);
echo "child exit $rc\n", implode("\n", $out), "\n";
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
bool(false)
Session Redis auth => set (hidden)
Session Redis sentinel auth => set (hidden)
keepsake.session.auth => ******** => no value
keepsake.session.sentinel_auth => ******** => no value
string(18) "sentinel-secret-pw"
child exit 0
bool(true)
bool(false)
bool(true)
