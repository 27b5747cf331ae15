--TEST--
strict mode: ids Redis does not know are refused leaving no key for them (master and a real replica), and each one reaches the replication stream only as the lock's SET and its DEL (no receipt); a refused id still costs 4 round trips in all, a known id 2
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=1
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
/* Disk-based sync: the stream below starts with "$<length>" and the RDB. */
$master = ks_redis_start(['--repl-diskless-sync', 'no']);
$replica = ks_redis_start(['--replicaof', '127.0.0.1', (string)$master]);
$linked = false;
for ($i = 0; $i < 400 && !$linked; $i++) {
    $linked = str_contains(ks_redis($replica)->cmd('INFO', 'replication'), 'master_link_status:up');
    if (!$linked) usleep(25000);
}
var_dump($linked);
ks_sess_use('persistent=1', $master);
$known = ks_sess_new_id();
ini_set('session.use_strict_mode', 0);
ks_sess_request($known, function () { $_SESSION['n'] = 0; });   /* loads the scripts */
ini_set('session.use_strict_mode', 1);

/* The replication stream, as a replica gets it: SYNC, skip the RDB, then
 * read commands (RESP arrays) until $stop is seen. */
$sync = stream_socket_client("tcp://127.0.0.1:$master", $e, $m, 2.0);
stream_set_timeout($sync, 10);
fwrite($sync, "SYNC\r\n");
do {
    $line = fgets($sync);
} while ($line === "\n");
if (!preg_match('/^\$(\d+)\r\n$/', (string)$line, $mm)) throw new RuntimeException('SYNC answered ' . json_encode($line));
for ($left = (int)$mm[1]; $left > 0; $left -= strlen($chunk)) {
    $chunk = fread($sync, min($left, 65536));
    if ($chunk === false || $chunk === '') throw new RuntimeException('RDB cut short');
}
function stream_until(string $stop): array {
    global $sync;
    $cmds = [];
    $end = microtime(true) + 20;
    while (microtime(true) < $end) {
        $head = fgets($sync);
        if ($head === false) break;
        if ($head[0] !== '*') continue;
        $cmd = [];
        for ($i = (int)substr($head, 1); $i > 0; $i--) {
            $n = (int)substr(fgets($sync), 1);
            $arg = '';
            while (strlen($arg) < $n + 2) $arg .= fread($sync, $n + 2 - strlen($arg));
            $cmd[] = substr($arg, 0, -2);
        }
        if (in_array($stop, $cmd, true)) return $cmds;
        $cmds[] = $cmd;
    }
    throw new RuntimeException("$stop not seen in the replication stream");
}

$n = 20;
$refused = [];
$rt = ks_sess_stat('round_trips');
for ($i = 0; $i < $n; $i++) {
    $id = ks_sess_new_id();
    session_id($id);
    session_start();
    if (session_id() !== $id) $refused[] = $id;
    $_SESSION['x'] = $i;
    session_write_close();
}
$per = (ks_sess_stat('round_trips') - $rt) / $n;
$rt = ks_sess_stat('round_trips');
ks_sess_request($known, function () { $_SESSION['n']++; });
echo "refused ", count($refused), " of $n; round trips: refused id ", $per, ", known id ", ks_sess_stat('round_trips') - $rt, "\n";

$mark = 'stop-' . bin2hex(random_bytes(4));
ks_redis($master)->cmd('SET', $mark, '1');
$cmds = stream_until($mark);
/* What each refused id wrote: command and the key's suffix after "{id}". */
$wrote = [];
foreach ($cmds as $c) {
    foreach ($refused as $id) {
        foreach (array_slice($c, 1) as $arg) {
            if (str_contains($arg, $id)) {
                $wrote[$id][] = strtoupper($c[0]) . ' ' . preg_replace('/[0-9a-f]{32}/', '<token>', substr($arg, strpos($arg, '}') + 1));
                continue 3;
            }
        }
    }
}
$shapes = array_count_values(array_map(fn($id) => implode(', ', $wrote[$id] ?? []), $refused));
echo "writes per refused id: ", json_encode($shapes), "\n";
var_dump(ks_redis($master)->cmd('WAIT', '1', '5000'));
$left = [];
foreach ($refused as $id) {
    foreach ([$master, $replica] as $port) {
        foreach (ks_redis($port)->cmd('KEYS', "*$id*") as $k) $left[] = "$port: $k";
    }
}
echo "keys left for refused ids: ", json_encode($left), "\n";
?>
--EXPECT--
bool(true)
refused 20 of 20; round trips: refused id 4, known id 2
writes per refused id: {"SET :lock, DEL :lock":20}
int(1)
keys left for refused ids: []
