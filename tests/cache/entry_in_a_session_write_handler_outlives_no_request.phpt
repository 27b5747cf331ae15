--TEST--
entry() called by PHP code that runs after keepsake's RSHUTDOWN (a user session save handler writing at request end) leaves nothing of that request behind: the next requests of the same process run normally (the table was used after it was freed, and the server crashed)
--SKIPIF--
<?php if (!function_exists('proc_open')) die('skip proc_open'); ?>
--FILE--
<?php
require __DIR__ . '/../port.inc';
$dir = sys_get_temp_dir() . '/ks-test-sess-entry-' . getmypid();
@mkdir($dir);
file_put_contents("$dir/router.php", <<<'PHP'
<?php
if (($_GET['step'] ?? '') === 'write') {
    class H implements SessionHandlerInterface {
        function open($p, $n): bool { return true; }
        function close(): bool { return true; }
        function read($id): string|false { return ''; }
        // the session module calls this from its RSHUTDOWN, after keepsake's
        function write($id, $data): bool { keepsake_cache_entry('from-session-write', fn() => $data); return true; }
        function destroy($id): bool { return true; }
        function gc($max): int|false { return 0; }
    }
    session_set_save_handler(new H, false);
    session_id('abcdef0123456789');
    session_start();
    $_SESSION['n'] = 1;
    echo "wrote\n";
    return;
}
// the next request: its heap is full of these strings, then entry() runs
$junk = [];
for ($i = 0; $i < 5000; $i++) $junk[] = str_repeat(chr(65 + $i % 26), 8 + $i % 400);
$v = keepsake_cache_entry('k' . $_GET['n'], fn() => 'computed');
$bad = 0;
foreach ($junk as $i => $s) if ($s !== str_repeat(chr(65 + $i % 26), 8 + $i % 400)) $bad++;
echo "$v, corrupted strings: $bad\n";
PHP);
$port = ks_free_port();
$so = rtrim(ini_get('extension_dir'), '/') . '/keepsake.so';
$server = proc_open([PHP_BINARY, '-n', '-d', "extension=$so", '-S', "127.0.0.1:$port", "$dir/router.php"],
    [0 => ['pipe', 'r'], 1 => ['file', "$dir/log", 'a'], 2 => ['file', "$dir/log", 'a']], $pipes);
$get = function (string $q) use ($port) {
    $ctx = stream_context_create(['http' => ['timeout' => 10]]);
    for ($try = 0; $try < 50; $try++) {
        $body = @file_get_contents("http://127.0.0.1:$port/?$q", false, $ctx);
        if ($body !== false || $try > 0 && !str_contains((string) error_get_last()['message'], 'refused')) {
            return $body === false ? "(no reply)\n" : $body;
        }
        usleep(100000);
    }
    return "(server not up)\n";
};
echo $get('step=write');
for ($n = 1; $n <= 3; $n++) echo $get("n=$n");
$st = proc_get_status($server);
echo $st['running'] ? "server alive\n" : "server died (signal {$st['termsig']})\n";
/* SIGINT: the CLI server's own clean stop, so under valgrind (which traces
 * it) its exit is checked too; SIGTERM would end it before its shutdown. */
proc_terminate($server, 2);
proc_close($server);
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
wrote
computed, corrupted strings: 0
computed, corrupted strings: 0
computed, corrupted strings: 0
server alive
