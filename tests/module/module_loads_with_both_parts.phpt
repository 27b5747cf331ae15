--TEST--
The module loads with both parts and exposes each part's API
--EXTENSIONS--
keepsake
--FILE--
<?php
var_dump(extension_loaded('keepsake'));
var_dump(phpversion('keepsake') === '0.1.0');
var_dump(function_exists('keepsake_session_stats'));
var_dump(function_exists('keepsake_cache_fetch'));
var_dump(class_exists('Keepsake\CacheIterator'));
$deps = (new ReflectionExtension('keepsake'))->getDependencies();
var_dump($deps['session'] ?? null);
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
string(8) "Required"
