--TEST--
APCu drop-in: every apc.* setting is documented in docs/cache.md with its default and scope
--SKIPIF--
<?php if (extension_loaded('apcu')) die('skip APCu is loaded'); ?>
--INI--
keepsake.cache.apcu_compat=1
--FILE--
<?php
$docs = file_get_contents(__DIR__ . '/../../docs/cache.md');
$all = ini_get_all('apcu');
echo count($all), " settings\n";
foreach ($all as $name => $v) {
    $default = $v['global_value'] === null || $v['global_value'] === '' ? '(none)' : '`' . $v['global_value'] . '`';
    $scope = $v['access'] === INI_ALL ? 'ALL' : ($v['access'] === INI_SYSTEM ? 'SYSTEM' : 'other');
    $row = "| `$name` | $default | $scope |";
    if (!str_contains($docs, $row)) echo "not documented as: $row\n";
}
?>
--EXPECT--
14 settings
