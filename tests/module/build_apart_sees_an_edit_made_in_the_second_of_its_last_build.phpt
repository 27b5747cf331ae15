--TEST--
ks_build_apart rebuilds after a source edit made later in the same second as its last build (and after one that kept an older modification time): the mirror must not serve the old keepsake.so
--SKIPIF--
<?php
if (!is_file(__DIR__ . '/../../scripts/lib.sh')) die('skip no scripts/ (a package build)');
foreach (['bash', 'make', 'touch', 'cmp'] as $t) {
    if (trim((string)shell_exec('command -v ' . escapeshellarg($t) . ' 2>/dev/null')) === '') die("skip no $t");
}
?>
--FILE--
<?php
/*
 * A fake tree (config.m4, src/x/a.c, src/x/a.h) is built twice with the
 * real ks_build_apart from scripts/lib.sh; only ks_build, the part that
 * runs phpize, configure and make on the mirror, is replaced by a plain
 * make whose rule concatenates the sources into modules/keepsake.so, so
 * the run takes no compiler and make decides alone what is out of date,
 * by the modification times the mirror gives the files.
 *
 * Times are set explicitly (touch -d @seconds.fraction) for what happens
 * by chance: the last build's output written at N.5, an edit saved at
 * N.8, in the same second. make compares times to the nanosecond in the
 * source tree, so a build there sees the edit; a mirror whose copies keep
 * only whole seconds (tar's default format) sees N.0, older than N.5,
 * and keeps the old build. A file put back with an old time (cp -p from
 * another checkout) is the other case: its content changed, its time did
 * not move forward.
 */
$lib = realpath(__DIR__ . '/../../scripts/lib.sh');
$root = sys_get_temp_dir() . '/ks-build-apart-' . getmypid();
$run = "$root/.run";
@mkdir("$root/src/x", 0755, true);
file_put_contents("$root/config.m4", "dnl fake\n");
file_put_contents("$root/src/x/a.c", "body v1\n");
file_put_contents("$root/src/x/a.h", "head v1\n");
$past = time() - 100;
foreach (['config.m4', 'src/x/a.c', 'src/x/a.h'] as $f) {
    touch("$root/$f", $past);
}

function build(string $lib, string $root, string $run): string {
    $script = '. "$1" && KS_ROOT=$2 && KS_RUN=$3 &&
        ks_build() {
            cd "$KS_ROOT" && mkdir -p modules &&
            printf "modules/keepsake.so: src/x/a.c src/x/a.h\n\tcat src/x/a.c src/x/a.h > \$@\n" > fake.mk &&
            make -s -f fake.mk
        } &&
        so=$(ks_build_apart fake) && cat "$so"';
    return (string)shell_exec('bash -c ' . escapeshellarg($script) . ' bash ' . escapeshellarg($lib) . ' '
        . escapeshellarg($root) . ' ' . escapeshellarg($run) . ' 2>&1');
}

function set_time(string $path, int $sec, string $frac): void {
    exec('touch -d ' . escapeshellarg("@$sec.$frac") . ' ' . escapeshellarg($path), $o, $rc);
    if ($rc !== 0) echo "touch failed on $path\n";
}

echo "first build:\n", build($lib, $root, $run);

/* The last build wrote its output at N.5; a.c is edited at N.8. */
$n = time() - 50;
set_time("$run/builds/fake/modules/keepsake.so", $n, '5');
file_put_contents("$root/src/x/a.c", "body v2\n");
set_time("$root/src/x/a.c", $n, '8');
echo "after an edit in the same second:\n", build($lib, $root, $run);

/* a.h gets other content with a time older than the last build. */
file_put_contents("$root/src/x/a.h", "head v3\n");
touch("$root/src/x/a.h", $past);
echo "after an edit that kept an old time:\n", build($lib, $root, $run);

/* Nothing changed: nothing is copied again, so make has nothing to do. */
$before = filemtime("$run/builds/fake/src/x/a.c");
clearstatcache();
build($lib, $root, $run);
clearstatcache();
echo 'an unchanged file is left alone: ', var_export(filemtime("$run/builds/fake/src/x/a.c") === $before, true), "\n";

exec('rm -rf ' . escapeshellarg($root));
?>
--EXPECT--
first build:
body v1
head v1
after an edit in the same second:
body v2
head v1
after an edit that kept an old time:
body v2
head v3
an unchanged file is left alone: true
