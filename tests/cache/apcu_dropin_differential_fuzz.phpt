--TEST--
APCu drop-in: random sequences of apcu_* calls (fixed seeds; store/add/fetch/exists/delete/inc/dec/cas, entry() callbacks that touch their own key, array forms, the iterator, clear) give exactly APCu's output, with zero-copy on and off
--SKIPIF--
<?php
require __DIR__ . '/apcu_dropin.inc';
if (extension_loaded('apcu')) die('skip APCu is loaded');
if (!ks_dropin_apcu_so()) die('skip APCu (php8.2-apcu) is not installed');
?>
--FILE--
<?php
require __DIR__ . '/apcu_dropin.inc';
$inc = escapeshellarg(__DIR__ . '/apcu_differential.inc');
$apcu = [ks_dropin_apcu_so()];
$ours = [ks_dropin_so()];
$ks = '-d keepsake.cache.enable_cli=1 -d keepsake.cache.apcu_compat=1';
$failed = 0;
for ($seed = 1; $seed <= 20; $seed++) {
    $want = ks_dropin_run($apcu, "-d apc.enable_cli=1 $inc $seed 300");
    foreach (['zero_copy=1' => 1, 'zero_copy=0' => 0] as $mode => $zc) {
        $got = ks_dropin_run($ours, "$ks -d keepsake.cache.zero_copy=$zc $inc $seed 300");
        if ($got !== $want) {
            $w = explode("\n", $want);
            $g = explode("\n", $got);
            for ($i = 0; $i < max(count($w), count($g)) && ($w[$i] ?? null) === ($g[$i] ?? null); $i++);
            echo "seed $seed ($mode) differs at line $i:\n  APCu:     ", $w[$i] ?? '(end)', "\n  keepsake: ", $g[$i] ?? '(end)', "\n";
            $failed++;
        }
    }
}
// the runs did something: a line per call at least
var_dump(substr_count($want, "\n") >= 300, $failed);
?>
--EXPECT--
bool(true)
int(0)
