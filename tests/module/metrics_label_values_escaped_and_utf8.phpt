--TEST--
keepsake_metrics(): a node label holding ", \ and bytes that are not UTF-8 (a unix socket path) is escaped and made UTF-8, so promtool still accepts the whole text; the save_path's auth never appears
--SKIPIF--
<?php require __DIR__ . '/metrics.inc'; if (!function_exists('keepsake_session_stats')) die('skip no session part'); if ($why = ks_promtool_skip_reason()) die("skip $why"); ?>
--INI--
session.save_handler=keepsake
session.use_cookies=0
session.use_strict_mode=0
--FILE--
<?php
require __DIR__ . '/metrics.inc';
ini_set('session.save_path', "unix:///nonexistent/ks-\"q\\b\xff\xfe\xc3\xa9.sock?auth=hunter2-secret&timeout=0.2");
@session_start();   /* fails to connect; the node is known from here on */
echo "node: ", json_encode(bin2hex(keepsake_session_stats()['nodes'][0] ?? '')), "\n";
$text = keepsake_metrics();
preg_match('/^keepsake_session_node_info\{.*$/m', $text, $m);
echo $m[0] ?? 'no node_info', "\n";
$check = ks_promtool_check($text);
echo "promtool rc {$check['rc']}", $check['rc'] ? ": {$check['out']}" : '', "\n";
echo "auth shown: ", substr_count($text, 'hunter2'), "\n";
echo "valid UTF-8: ", var_export(preg_match('//u', $text) === 1, true), "\n";
?>
--EXPECTF--
node: "%s"
keepsake_session_node_info{topology="%s",node="unix:///nonexistent/ks-\"q\\b��é.sock"} 1
promtool rc 0
auth shown: 0
valid UTF-8: true
