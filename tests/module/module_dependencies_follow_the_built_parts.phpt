--TEST--
Module dependencies follow the parts built: session is required only with the session part, apcu and igbinary are optional only with the cache part; hiredis shows only in the session part's phpinfo rows
--EXTENSIONS--
keepsake
--SKIPIF--
<?php require __DIR__ . '/skipif_variant.inc'; ks_variant_so('nosession'); ks_variant_so('nocache'); ?>
--FILE--
<?php
require __DIR__ . '/skipif_variant.inc';
$deps = 'var_export((new ReflectionExtension("keepsake"))->getDependencies()); echo "\n";';
echo "both parts:\n";
eval($deps);
echo "nosession:\n", ks_run_with_so(ks_variant_so('nosession'), $deps);
echo "nocache:\n", ks_run_with_so(ks_variant_so('nocache'), $deps);

/* The hiredis row sits among the session part's rows (after "Session handler
 * => compiled in", before the cache's), not among the module's own. */
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
$section = substr($info, strpos($info, "\nkeepsake\n"));
$hiredis = strpos($section, 'hiredis version => ');
$sess = strpos($section, 'Session handler => compiled in');
$cache = strpos($section, 'Shared-memory cache => compiled in');
var_dump($hiredis !== false && $sess !== false && $cache !== false && $sess < $hiredis && $hiredis < $cache);

/* A build without the session part starts with no ext/session at all when
 * PHP has it as a shared extension (-n loads none); where session is
 * compiled into PHP (Debian's), -n cannot leave it out, and the dependency
 * list above is what shows keepsake would not require it. */
$out = ks_run_with_so(ks_variant_so('nosession'), 'echo extension_loaded("keepsake") ? "loaded" : "not loaded", "\n";');
echo "nosession under -n: ", $out;
?>
--EXPECT--
both parts:
array (
  'session' => 'Required',
  'apcu' => 'Optional',
  'igbinary' => 'Optional',
)
nosession:
array (
  'apcu' => 'Optional',
  'igbinary' => 'Optional',
)
nocache:
array (
  'session' => 'Required',
)
bool(true)
nosession under -n: loaded
