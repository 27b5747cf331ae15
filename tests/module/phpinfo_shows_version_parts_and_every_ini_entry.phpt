--TEST--
phpinfo(): version, hiredis version, compiled parts, every INI entry, and no secret
--EXTENSIONS--
keepsake
--INI--
keepsake.session.auth=Sup3rSecretPass
--FILE--
<?php
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
$section = substr($info, strpos($info, "\nkeepsake\n"));
$section = substr($section, 0, strpos($section, "\n\n", strpos($section, 'Directive')) ?: strlen($section));
var_dump(str_contains($section, 'keepsake support => enabled'));
var_dump(str_contains($section, 'Version => ' . phpversion('keepsake')));
var_dump((bool)preg_match('/hiredis version => \d+\.\d+\.\d+/', $section));
var_dump(str_contains($section, 'Session handler => compiled in'));
var_dump(str_contains($section, 'Shared-memory cache => compiled in'));
$missing = [];
foreach (array_keys(ini_get_all('keepsake')) as $name) {
    if (!preg_match('/^' . preg_quote($name, '/') . ' => /m', $section)) $missing[] = $name;
}
var_dump($missing);
var_dump(str_contains($info, 'Sup3rSecretPass'));
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
array(0) {
}
bool(false)
