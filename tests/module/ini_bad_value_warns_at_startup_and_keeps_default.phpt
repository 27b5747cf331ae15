--TEST--
A bad INI value in php.ini gives one clear startup warning naming the setting, and the default is kept
--EXTENSIONS--
keepsake
--INI--
; PCRE JIT code reads uninitialised bytes by design; valgrind reports it
pcre.jit=0
--FILE--
<?php
/* A child php reads the bad values at startup, as php-fpm would from php.ini. */
$cases = [
    'keepsake.cache.size' => 'lots',
    'keepsake.session.lock_timeout_action' => 'explode',
    'keepsake.session.compression' => 'rar',
];
foreach ($cases as $name => $bad) {
    $cmd = escapeshellarg(getenv('TEST_PHP_EXECUTABLE')) . ' ' . getenv('TEST_PHP_EXTRA_ARGS')
        . ' -d pcre.jit=0 -d display_startup_errors=1 -d display_errors=1 -d error_reporting=-1'
        . ' -d ' . escapeshellarg("$name=$bad")
        . ' -r ' . escapeshellarg('echo "value=", ini_get("' . $name . '"), "\n";') . ' 2>&1';
    $out = trim((string)shell_exec($cmd));
    $warnings = preg_match_all('/Warning/', $out);
    echo $name, ': ', $warnings, ' warning, names setting: ', var_export(str_contains($out, $name) && str_contains($out, $bad), true),
        ', ', substr($out, strrpos($out, 'value=')), "\n";
}
?>
--EXPECT--
keepsake.cache.size: 1 warning, names setting: true, value=32M
keepsake.session.lock_timeout_action: 1 warning, names setting: true, value=fail
keepsake.session.compression: 1 warning, names setting: true, value=none
