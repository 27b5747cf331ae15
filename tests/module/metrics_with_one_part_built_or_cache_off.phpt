--TEST--
keepsake_metrics() with only one part built, or with the cache off in the CLI: valid for promtool, naming only what is there, without a warning
--SKIPIF--
<?php require __DIR__ . '/skipif_variant.inc'; ks_variant_so('nosession'); ks_variant_so('nocache'); require __DIR__ . '/metrics.inc'; if ($why = ks_promtool_skip_reason()) die("skip $why"); ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/skipif_variant.inc';
require __DIR__ . '/metrics.inc';
$code = 'echo keepsake_metrics();';
$runs = [
    'no session part' => ks_run_with_so(ks_variant_so('nosession'), 'ini_set("display_errors", 1); ' . $code),
    'no cache part' => ks_run_with_so(ks_variant_so('nocache'), $code),
    'cache off in the CLI' => keepsake_metrics(),   /* this process: keepsake.cache.enable_cli=0 */
];
foreach ($runs as $what => $text) {
    $check = ks_promtool_check($text);
    $fams = array_keys(ks_metrics_parse($text)['types']);
    echo "$what: promtool rc {$check['rc']}; ",
        preg_match('/keepsake_build_info\{[^}]*\} 1/', $text, $b) ? $b[0] : 'no build info', "; ",
        count(preg_grep('/^keepsake_session_/', $fams)) ? 'session families' : 'no session family', "; ",
        count(preg_grep('/^keepsake_cache_/', $fams)) . " cache families; ",
        preg_match('/^keepsake_cache_enabled (\d)$/m', $text, $e) ? "enabled {$e[1]}" : 'no enabled', "; ",
        str_contains($text, 'Warning') ? 'WARNING' : 'no warning', "\n";
}
?>
--EXPECTF--
no session part: promtool rc 0; keepsake_build_info{version="%s",session="no",cache="yes"} 1; no session family; 1 cache families; enabled 0; no warning
no cache part: promtool rc 0; keepsake_build_info{version="%s",session="yes",cache="no"} 1; session families; 0 cache families; no enabled; no warning
cache off in the CLI: promtool rc 0; keepsake_build_info{version="%s",session="yes",cache="yes"} 1; session families; 1 cache families; enabled 0; no warning
