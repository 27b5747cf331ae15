--TEST--
bench/session builds the keepsake it measures (no debug hooks) apart, with ks_build_apart into .run/builds/, never with ks_build, which would replace modules/keepsake.so, scripts/test's build with the debug hooks, so that a debug-only test run after a benchmark would skip
--SKIPIF--
<?php if (!is_file(__DIR__ . '/../../bench/session') || !is_file(__DIR__ . '/../../scripts/lib.sh')) die('skip no bench/ or scripts/ (a package build)'); ?>
--FILE--
<?php
$root = __DIR__ . '/../..';
/* The shell code without its comments. */
$code = preg_replace('/^\s*#.*$/m', '', (string)file_get_contents("$root/bench/session"));
preg_match_all('/\bks_build(_\w+)?\b/', $code, $m);
echo 'build calls: ', json_encode(array_values(array_unique($m[0]))), "\n";
$lib = (string)file_get_contents("$root/scripts/lib.sh");
if (!preg_match('/^ks_build_apart\(\) \{\n(.*?)^\}/ms', $lib, $f)) {
    echo "scripts/lib.sh has no ks_build_apart\n";
} else {
    echo 'ks_build_apart builds under $KS_RUN/builds: ', var_export(str_contains($f[1], '$KS_RUN/builds/'), true), "\n";
    echo 'with KS_ROOT pointed there: ', var_export((bool)preg_match('/KS_ROOT=\$dir\b[^\n]*ks_build\b/', $f[1]), true), "\n";
}
?>
--EXPECT--
build calls: ["ks_build_apart"]
ks_build_apart builds under $KS_RUN/builds: true
with KS_ROOT pointed there: true
