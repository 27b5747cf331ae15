--TEST--
APCu drop-in: Debian's composer, unmodified: `composer dump-autoload --apcu` makes ClassLoader::setApcuPrefix() cache class lookups (found and not found) in keepsake
--SKIPIF--
<?php
if (extension_loaded('apcu')) die('skip APCu is loaded');
if (!is_file('/usr/share/php/Composer/Autoload/ClassLoader.php') || !is_executable('/usr/bin/composer')) die('skip composer is not installed');
?>
--INI--
include_path=.:/usr/share/php
keepsake.cache.apcu_compat=1
apc.enable_cli=1
--FILE--
<?php
$dir = sys_get_temp_dir() . '/ks-composer-' . getmypid();
@mkdir("$dir/src/Sub", 0700, true);
file_put_contents("$dir/composer.json", json_encode(['name' => 'keepsake/apcu-test', 'autoload' => ['psr-4' => ['App\\' => 'src/']]]));
file_put_contents("$dir/src/Foo.php", '<?php namespace App; class Foo { const X = 42; }');
file_put_contents("$dir/src/Sub/Bar.php", '<?php namespace App\Sub; class Bar { const Y = 7; }');
file_put_contents("$dir/src/Sub/Baz.php", '<?php namespace App\Sub; class Baz {}');
$env = 'COMPOSER_ALLOW_SUPERUSER=1 COMPOSER_HOME=' . escapeshellarg("$dir/.composer") . ' HOME=' . escapeshellarg($dir) . ' COMPOSER_DISABLE_NETWORK=1';
exec("cd " . escapeshellarg($dir) . " && $env /usr/bin/composer dump-autoload --apcu --no-interaction 2>&1", $out, $rc);
var_dump($rc);

$loader = require "$dir/vendor/autoload.php";
$prefix = $loader->getApcuPrefix();
var_dump(is_string($prefix) && $prefix !== '');
var_dump(App\Foo::X, App\Sub\Bar::Y, class_exists('App\Missing'));
// each lookup is now a cache entry: the file, or false for a class that does not exist
var_dump(realpath(apcu_fetch($prefix . 'App\Foo')) === realpath("$dir/src/Foo.php"));
var_dump(apcu_fetch($prefix . 'App\Missing', $hit), $hit);
// a loader with no mappings at all finds what was cached, and only that
$fresh = new Composer\Autoload\ClassLoader();
$fresh->setApcuPrefix($prefix);
var_dump($fresh->getApcuPrefix() === $prefix);
var_dump(realpath($fresh->findFile('App\Sub\Bar')) === realpath("$dir/src/Sub/Bar.php"), $fresh->findFile('App\Sub\Baz'));
var_dump(count(iterator_to_array(new APCUIterator('/^' . preg_quote($prefix, '/') . '/'))) >= 3);
exec('rm -rf ' . escapeshellarg($dir));
?>
--EXPECT--
int(0)
bool(true)
int(42)
int(7)
bool(false)
bool(true)
bool(false)
bool(true)
bool(true)
bool(true)
bool(false)
bool(true)
