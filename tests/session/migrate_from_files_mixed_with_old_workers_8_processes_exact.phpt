--TEST--
migrate_from=files: 4 old files-handler workers inside requests (flock held) and 4 keepsake workers incrementing the same sessions end with exact counts under one key, the files gone
--SKIPIF--
<?php require __DIR__ . '/migrate.inc'; ks_redis_skip_if_down(); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/migrate.inc';
ob_start();
$dir = ks_mig_tmpdir('files-mix');
$ids = [ks_sess_new_id(), ks_sess_new_id(), ks_sess_new_id(), ks_sess_new_id()];
foreach ($ids as $i => $sid) {
    ks_mig_old_write(ks_mig_files_ini($dir), $sid, ['n' => 1000 * ($i + 1)]);
}
ks_mig_use('files', $dir);
$lines = ks_mig_mix(ks_mig_files_ini($dir), $ids, 60, fn($sid) => !file_exists("$dir/sess_$sid"));
echo implode("\n", $lines), "\n";
ks_mig_rmtree($dir);
echo ob_get_clean();
?>
--EXPECT--
id 0: exact, one key
id 1: exact, one key
id 2: exact, one key
id 3: exact, one key
