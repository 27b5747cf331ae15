--TEST--
Every keepsake INI setting has its documented default
--EXTENSIONS--
keepsake
--FILE--
<?php
$all = ini_get_all('keepsake');
unset($all['keepsake.cache.debug_lock_pause']); /* only in --enable-keepsake-debug builds */
foreach ($all as $name => $v) {
    echo $name, ' = ', var_export($v['global_value'], true), "\n";
}
/* every setting is documented, with its default, in docs/ */
$docs = implode("\n", array_map('file_get_contents', glob(__DIR__ . '/../../docs/*.md')));
foreach (array_keys($all) as $name) {
    if (!str_contains($docs, $name)) echo "undocumented: $name\n";
}
?>
--EXPECT--
keepsake.cache.apcu_compat = '0'
keepsake.cache.enable_cli = '0'
keepsake.cache.enabled = '1'
keepsake.cache.entry_timeout = '30'
keepsake.cache.lock_timeout = '1000'
keepsake.cache.serializer = 'php'
keepsake.cache.shards = '8'
keepsake.cache.size = '32M'
keepsake.cache.ttl = '0'
keepsake.cache.zero_copy = '1'
keepsake.cache.zero_copy_max_pin = '60'
keepsake.session.auth = ''
keepsake.session.compression = 'none'
keepsake.session.compression_level = '0'
keepsake.session.compression_threshold = '1024'
keepsake.session.connect_timeout = '1'
keepsake.session.database = '0'
keepsake.session.lock_timeout_action = 'fail'
keepsake.session.lock_ttl = '0'
keepsake.session.lock_wait = '-1'
keepsake.session.locking = '1'
keepsake.session.migrate_from = 'none'
keepsake.session.migrate_path = ''
keepsake.session.migrate_prefix = 'PHPREDIS_SESSION:'
keepsake.session.persistent = '1'
keepsake.session.prefix = 'ks:sess:'
keepsake.session.read_timeout = '2'
keepsake.session.sentinel_auth = ''
keepsake.session.sentinel_user = ''
keepsake.session.user = ''
keepsake.session.wait_replicas = '0'
keepsake.session.wait_timeout = '100'
