<?php
/*
 * tests/faults/proxy.php: a fault-injecting TCP proxy between keepsake and a
 * real redis-server, for the fault suite (tests/faults/*.phpt, scripts/faults).
 *
 *   php tests/faults/proxy.php --upstream 127.0.0.1:6379 --ports-file F
 *       [--max-seconds 600] [--parent PID]
 *
 * It listens on two free loopback ports and writes "LISTEN CONTROL\n" to the
 * ports file once both are open. Bytes go through unchanged until a control
 * client asks for a fault. The control port takes one JSON object per line
 * and answers one JSON line:
 *   {"mode":"pass"}                              forward everything (the default)
 *   {"mode":"latency","ms":50}                   hold each chosen reply ms before sending it
 *   {"mode":"drop"}                              send half of a chosen reply's first chunk, then close
 *   {"mode":"blackhole"}                         accept, never answer: requests and replies are
 *                                                swallowed, new connections are never forwarded
 *   {"mode":"reset","bytes":[min,max]}           RST a connection once it has received N reply
 *                                                bytes since the fault was set (N per connection)
 *   {"mode":"garbage","kind":"junk"|"type"}      a chosen reply becomes invalid RESP ("junk") or a
 *                                                valid reply of the wrong type ("type": ":7")
 *   common: "p" (0..1, default 1) chooses replies at random with "seed"; "match" (a PCRE) limits
 *   the fault to replies whose request matches it.
 *   {"cmd":"stats"}   {"faults":N,"events":[{mode,req,reply}...],"conns":N}; req/reply are the
 *                     first bytes of the request and of the reply the fault hit, so a test can
 *                     tell whether a write was applied although the client saw it fail
 *   {"cmd":"close"}   closes every proxied connection (a server restart, as seen by clients)
 *   {"cmd":"quit"}
 *
 * Pairing of requests and replies: keepsake waits for every reply before it
 * sends more, so per connection the first reply chunk after client bytes
 * starts the reply to those bytes ("phase"). Sockets are non-blocking; one
 * select() loop serves everything. The proxy exits by itself after
 * --max-seconds, or when --parent is gone, so no test can leave it behind.
 */

$opt = getopt('', ['upstream:', 'ports-file:', 'max-seconds:', 'parent:']);
if (!isset($opt['upstream'], $opt['ports-file'])) {
    fwrite(STDERR, "usage: proxy.php --upstream HOST:PORT --ports-file FILE [--max-seconds S] [--parent PID]\n");
    exit(2);
}
$upstream = $opt['upstream'];
$deadline = microtime(true) + (float)($opt['max-seconds'] ?? 600);
$parent = (int)($opt['parent'] ?? 0);

$listen = stream_socket_server('tcp://127.0.0.1:0', $e, $m) or exit(1);
$control = stream_socket_server('tcp://127.0.0.1:0', $e, $m) or exit(1);
stream_set_blocking($listen, false);
stream_set_blocking($control, false);
$port = fn($s) => (int)substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
file_put_contents($opt['ports-file'] . '.tmp', $port($listen) . ' ' . $port($control) . "\n");
rename($opt['ports-file'] . '.tmp', $opt['ports-file']);

$fault = ['mode' => 'pass'];
$conns = [];      /* id => connection state, see new_conn() */
$ctl = [];        /* id => [stream, input buffer] */
$events = [];
$nfaults = 0;
$next_id = 1;

function new_conn($c, $u): array
{
    return ['c' => $c, 'u' => $u, 'to_c' => '', 'to_u' => '', 'delayed' => [], 'req' => '',
        'phase' => 'rep', 'hit' => null, 'down' => 0, 'limit' => null, 'closing' => false];
}

function reset_limit(array $fault): ?int
{
    if ($fault['mode'] !== 'reset') {
        return null;
    }
    $b = (array)($fault['bytes'] ?? [64, 4096]);
    return mt_rand((int)$b[0], (int)($b[1] ?? $b[0]));
}

function set_fault(array $f): array
{
    global $fault, $conns;
    $modes = ['pass', 'latency', 'drop', 'blackhole', 'reset', 'garbage'];
    if (!in_array($f['mode'] ?? '', $modes, true)) {
        return ['error' => 'unknown mode'];
    }
    if (isset($f['match']) && @preg_match($f['match'], '') === false) {
        return ['error' => 'bad match regex'];
    }
    mt_srand((int)($f['seed'] ?? 1));
    $fault = $f;
    foreach ($conns as &$cn) {
        $cn['limit'] = reset_limit($fault);
        $cn['down'] = 0;
    }
    return ['ok' => true];
}

/* Closes a proxied connection; $rst sends a TCP reset to the client instead of a FIN. */
function close_conn(int $id, bool $rst = false): void
{
    global $conns;
    $cn = $conns[$id];
    if ($rst && function_exists('socket_import_stream') && ($s = @socket_import_stream($cn['c']))) {
        /* linger 0: close() sends RST; socket_close() also closes the stream */
        @socket_set_option($s, SOL_SOCKET, SO_LINGER, ['l_onoff' => 1, 'l_linger' => 0]);
        socket_close($s);
    } else {
        @fclose($cn['c']);
    }
    if ($cn['u']) {
        @fclose($cn['u']);
    }
    unset($conns[$id]);
}

/* Whether the fault applies to the reply that starts now on connection $cn. */
function choose(array $cn): bool
{
    global $fault;
    if (in_array($fault['mode'], ['pass', 'blackhole', 'reset'], true)) {
        return false;
    }
    if (isset($fault['match']) && !preg_match($fault['match'], $cn['req'])) {
        return false;
    }
    return mt_rand() / mt_getrandmax() < (float)($fault['p'] ?? 1.0);
}

function record(array $cn, string $mode, string $reply): void
{
    global $events, $nfaults;
    $nfaults++;
    if (count($events) < 20000) {
        $events[] = ['mode' => $mode, 'req' => substr($cn['req'], 0, 120), 'reply' => substr($reply, 0, 40)];
    }
}

/* Bytes from redis for connection $id. */
function from_server(int $id, string $data): void
{
    global $conns, $fault;
    $cn = &$conns[$id];
    if ($cn['closing']) {
        return;   /* cut: nothing more of this reply may reach the client */
    }
    if ($fault['mode'] === 'blackhole') {
        if ($cn['phase'] === 'req') {
            /* a request sent before the fault began: it ran, but its reply never comes */
            $cn['phase'] = 'rep';
            record($cn, 'blackhole', $data);
        }
        return;
    }
    if ($cn['phase'] === 'req') {
        $cn['phase'] = 'rep';
        $cn['hit'] = choose($cn) ? $fault : null;
        if ($cn['hit']) {
            $mode = $cn['hit']['mode'];
            record($cn, $mode, $data);
            if ($mode === 'drop') {
                $cn['to_c'] .= substr($data, 0, max(1, intdiv(strlen($data), 2)));
                $cn['closing'] = true;
                return;
            }
            if ($mode === 'garbage') {
                $cn['to_c'] .= ($cn['hit']['kind'] ?? 'junk') === 'type' ? ":7\r\n" : "\x00\xffgarbage\r\n";
                return;   /* the real reply is swallowed (rest below) */
            }
        }
    } elseif ($cn['hit'] && $cn['hit']['mode'] === 'garbage') {
        return;
    }
    if ($cn['limit'] !== null && $cn['down'] + strlen($data) > $cn['limit']) {
        $part = $cn['limit'] - $cn['down'];
        record($cn, 'reset', $data);
        $cn['to_c'] .= substr($data, 0, $part);
        $cn['closing'] = 'rst';
        return;
    }
    $cn['down'] += strlen($data);
    if (($cn['hit'] && $cn['hit']['mode'] === 'latency') || $cn['delayed']) {
        $ms = $cn['hit'] && $cn['hit']['mode'] === 'latency' ? (int)$cn['hit']['ms'] : 0;
        $cn['delayed'][] = [microtime(true) + $ms / 1000, $data];
        return;
    }
    $cn['to_c'] .= $data;
}

/* Bytes from the client (keepsake) for connection $id. */
function from_client(int $id, string $data): void
{
    global $conns, $fault;
    $cn = &$conns[$id];
    if ($fault['mode'] === 'blackhole' || !$cn['u'] || $cn['closing']) {
        return;   /* swallowed: never answered */
    }
    if ($cn['phase'] === 'rep') {
        $cn['phase'] = 'req';
        $cn['req'] = '';
    }
    if (strlen($cn['req']) < 512) {
        $cn['req'] .= substr($data, 0, 512);
    }
    $cn['to_u'] .= $data;
}

function control(string $line)
{
    global $fault, $events, $nfaults, $conns;
    $f = json_decode($line, true);
    if (!is_array($f)) {
        return ['error' => 'not JSON'];
    }
    switch ($f['cmd'] ?? 'set') {
        case 'set':
            return set_fault($f);
        case 'stats':
            $r = ['faults' => $nfaults, 'events' => $events, 'conns' => count($conns), 'mode' => $fault['mode']];
            if (!empty($f['clear'])) {
                $events = [];
                $nfaults = 0;
            }
            return $r;
        case 'close':
            foreach (array_keys($conns) as $id) {
                close_conn($id);
            }
            return ['ok' => true];
        case 'quit':
            return 'quit';
    }
    return ['error' => 'unknown cmd'];
}

/* Sends what is due; returns false when the connection was closed. */
function flush_conn(int $id): bool
{
    global $conns;
    $cn = &$conns[$id];
    $now = microtime(true);
    while ($cn['delayed'] && $cn['delayed'][0][0] <= $now) {
        $cn['to_c'] .= array_shift($cn['delayed'])[1];
    }
    foreach (['c' => 'to_c', 'u' => 'to_u'] as $side => $buf) {
        if ($cn[$buf] !== '' && $cn[$side]) {
            $n = @fwrite($cn[$side], $cn[$buf]);
            if ($n === false) {
                close_conn($id);
                return false;
            }
            $cn[$buf] = (string)substr($cn[$buf], $n);
        }
    }
    if ($cn['closing'] && $cn['to_c'] === '' && !$cn['delayed']) {
        close_conn($id, $cn['closing'] === 'rst');
        return false;
    }
    return true;
}

for (;;) {
    if (microtime(true) > $deadline || ($parent > 0 && function_exists('posix_kill') && !posix_kill($parent, 0))) {
        break;
    }
    $r = [$listen, $control];
    $w = [];
    $wait = 0.2;
    foreach ($conns as $id => $cn) {
        $r[] = $cn['c'];
        if ($cn['u']) {
            $r[] = $cn['u'];
        }
        if ($cn['to_c'] !== '') {
            $w[] = $cn['c'];
        }
        if ($cn['to_u'] !== '' && $cn['u']) {
            $w[] = $cn['u'];
        }
        if ($cn['delayed']) {
            $wait = min($wait, max(0.0, $cn['delayed'][0][0] - microtime(true)));
        }
    }
    foreach ($ctl as $c) {
        $r[] = $c[0];
    }
    $x = null;
    if (@stream_select($r, $w, $x, 0, (int)($wait * 1e6)) === false) {
        usleep(10000);
        continue;
    }
    foreach ($r as $s) {
        if ($s === $listen) {
            $c = @stream_socket_accept($listen, 0);
            if (!$c) {
                continue;
            }
            stream_set_blocking($c, false);
            $u = null;
            if ($fault['mode'] !== 'blackhole') {
                $u = @stream_socket_client("tcp://$upstream", $e, $m, 1.0);
                if (!$u) {
                    fclose($c);   /* redis is down: the client sees its connection closed */
                    continue;
                }
                stream_set_blocking($u, false);
            }
            $conns[$next_id] = new_conn($c, $u);
            $conns[$next_id]['limit'] = reset_limit($fault);
            $next_id++;
            continue;
        }
        if ($s === $control) {
            if ($c = @stream_socket_accept($control, 0)) {
                $ctl[(int)$c] = [$c, ''];
            }
            continue;
        }
        if (isset($ctl[(int)$s])) {
            $d = fread($s, 65536);
            if ($d === '' || $d === false) {
                fclose($s);
                unset($ctl[(int)$s]);
                continue;
            }
            $ctl[(int)$s][1] .= $d;
            while (($nl = strpos($ctl[(int)$s][1], "\n")) !== false) {
                $line = substr($ctl[(int)$s][1], 0, $nl);
                $ctl[(int)$s][1] = substr($ctl[(int)$s][1], $nl + 1);
                $res = control($line);
                if ($res === 'quit') {
                    fwrite($s, "{\"ok\":true}\n");
                    exit(0);
                }
                stream_set_blocking($s, true);
                fwrite($s, json_encode($res, JSON_INVALID_UTF8_SUBSTITUTE) . "\n");
                stream_set_blocking($s, false);
            }
            continue;
        }
        foreach ($conns as $id => $cn) {
            if ($s !== $cn['c'] && $s !== $cn['u']) {
                continue;
            }
            $d = @fread($s, 65536);
            if ($d === '' || $d === false) {
                if ($s === $cn['u']) {
                    /* redis closed: pass what it sent, then close the client */
                    $conns[$id]['u'] = null;
                    @fclose($s);
                    $conns[$id]['closing'] = $conns[$id]['closing'] ?: true;
                } else {
                    close_conn($id);
                }
                break;
            }
            if ($s === $cn['c']) {
                from_client($id, $d);
            } else {
                from_server($id, $d);
            }
            break;
        }
    }
    foreach (array_keys($conns) as $id) {
        flush_conn($id);
    }
}
exit(0);
