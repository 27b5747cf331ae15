<?php
/*
 * bench/session.d/worker.php: the PHP side of each measurement. main.php runs
 * it as a child php process with one handler's INI on the command line
 * (session.save_handler, session.save_path, the locking settings), so the
 * same code measures every handler:
 *
 *   worker.php probe SID                 one locked cycle, then read back: prints {"ok":bool}
 *   worker.php cycles N SID [SECONDS]    start -> modify -> close cycles, N of them or for
 *                                        SECONDS, whichever ends first: {"cycles_per_s":..}
 *   worker.php rt K SID [rac]            K cycles between two markers on stderr (for strace);
 *                                        with "rac", K session_start(['read_and_close' => true])
 *   worker.php contend N SID START_NS    N increments, starting at hrtime START_NS
 *   worker.php handoff TRIALS SID        holder/waiter pairs (pcntl_fork): hand-off latencies
 *   worker.php precreate FILE            one session per id listed in FILE, counter 0
 *   worker.php readall FILE              sum of the counters of the ids in FILE
 *   worker.php read SID                  the counter of one session
 *   worker.php ping N PORT               N PING round trips to redis on PORT over a PHP
 *                                        stream socket: {"us_per_rt":..}
 *
 * With KSB_FLOOR=1, "cycles" runs on an in-memory user save handler (no I/O
 * at all): the cost of PHP's session machinery itself, the floor under every
 * handler's cycle time.
 *
 * Every loop is bounded in count and in time (KSB_WORKER_BUDGET_S, default 120 s).
 * Warnings and notices are counted with an error handler, and each distinct
 * message is reported once with its count.
 */

/* The floor: a save handler that keeps sessions in this process's memory. */
final class KsbMemoryHandler implements SessionHandlerInterface, SessionUpdateTimestampHandlerInterface
{
    private array $data = [];

    public function open(string $path, string $name): bool { return true; }
    public function close(): bool { return true; }
    public function read(string $id): string|false { return $this->data[$id] ?? ''; }
    public function write(string $id, string $data): bool { $this->data[$id] = $data; return true; }
    public function destroy(string $id): bool { unset($this->data[$id]); return true; }
    public function gc(int $max_lifetime): int|false { return 0; }
    public function validateId(string $id): bool { return isset($this->data[$id]); }
    public function updateTimestamp(string $id, string $data): bool { return true; }
}

const KSB_HOLD_MIN_US = 5000;    /* hand-off: how long the holder keeps the lock */
const KSB_HOLD_MAX_US = 15000;

$ksb_msgs = [];
$ksb_warn = 0;      /* every diagnostic: warnings, notices, deprecations */
$ksb_levels = [];   /* 'warning' / 'notice' / 'other' => count */
set_error_handler(function (int $no, string $str) use (&$ksb_msgs, &$ksb_warn, &$ksb_levels) {
    $level = match ($no) {
        E_WARNING, E_USER_WARNING => 'warning',
        E_NOTICE, E_USER_NOTICE => 'notice',
        default => 'other',
    };
    $ksb_warn++;
    $ksb_levels[$level] = ($ksb_levels[$level] ?? 0) + 1;
    $ksb_msgs["$level: $str"] = ($ksb_msgs["$level: $str"] ?? 0) + 1;
    return true;
});

$budget_ns = (int)((float)(getenv('KSB_WORKER_BUDGET_S') ?: 120) * 1e9);
$t_start = hrtime(true);
$over = fn() => hrtime(true) - $t_start > $budget_ns;

function cycle(string $sid): array
{
    session_id($sid);
    if (!session_start()) {
        return [false, false];
    }
    $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
    $_SESSION['user'] = ['id' => 42, 'name' => 'bench', 'roles' => ['a', 'b']];
    return [true, session_write_close()];
}

function out(array $r): void
{
    global $ksb_msgs, $ksb_warn, $ksb_levels;
    $r['diagnostics'] = $ksb_warn;
    $r['warnings'] = $ksb_levels['warning'] ?? 0;
    $r['notices'] = $ksb_levels['notice'] ?? 0;
    $r['messages'] = $ksb_msgs;
    echo json_encode($r), "\n";
}

$mode = $argv[1] ?? '';
switch ($mode) {
    case 'probe':
        $sid = $argv[2];
        [$s, $w] = cycle($sid);
        session_id($sid);
        $n = session_start(['read_and_close' => true]) ? ($_SESSION['n'] ?? null) : null;
        out(['ok' => $s && $w && $n === 1, 'start' => $s, 'write' => $w, 'n' => $n]);
        break;

    case 'cycles':
        $n = (int)$argv[2];
        $sid = $argv[3];
        $for_ns = isset($argv[4]) ? (int)((float)$argv[4] * 1e9) : PHP_INT_MAX;
        if (getenv('KSB_FLOOR') === '1') {
            session_set_save_handler(new KsbMemoryHandler(), true);
        }
        for ($i = 0; $i < 20; $i++) {
            cycle($sid);
        }
        $fail = 0;
        $done = 0;
        $cpu = function () {
            $u = getrusage();
            return $u['ru_utime.tv_sec'] * 1e6 + $u['ru_utime.tv_usec'] + $u['ru_stime.tv_sec'] * 1e6 + $u['ru_stime.tv_usec'];
        };
        $c0 = $cpu();
        $t0 = hrtime(true);
        for ($i = 0; $i < $n && !$over() && hrtime(true) - $t0 < $for_ns; $i++) {
            [$s, $w] = cycle($sid);
            $fail += ($s && $w) ? 0 : 1;
            $done++;
        }
        $dt = (hrtime(true) - $t0) / 1e9;
        out(['cycles' => $done, 'seconds' => $dt, 'cycles_per_s' => $done / max($dt, 1e-9), 'failed' => $fail,
            'cpu_us_per_cycle' => ($cpu() - $c0) / max($done, 1)]);
        break;

    case 'rt':
        $k = (int)$argv[2];
        $sid = $argv[3];
        $rac = ($argv[4] ?? '') === 'rac';
        cycle($sid);   /* connect, script loading, first read: not counted */
        if ($rac) {
            session_id($sid);
            session_start(['read_and_close' => true]);
        }
        $stats = function_exists('keepsake_session_stats');
        $before = $stats ? keepsake_session_stats() : null;
        fwrite(STDERR, "KSB-MARK-BEGIN\n");
        $fail = 0;
        for ($i = 0; $i < $k && !$over(); $i++) {
            if ($rac) {
                session_id($sid);
                $fail += session_start(['read_and_close' => true]) ? 0 : 1;
                continue;
            }
            [$s, $w] = cycle($sid);
            $fail += ($s && $w) ? 0 : 1;
        }
        fwrite(STDERR, "KSB-MARK-END\n");
        $after = $stats ? keepsake_session_stats() : null;
        out(['k' => $i, 'failed' => $fail, 'stats_before' => $before, 'stats_after' => $after]);
        break;

    case 'contend':
        $n = (int)$argv[2];
        $sid = $argv[3];
        $start = (int)$argv[4];
        while (hrtime(true) < $start && !$over()) {
            usleep(200);
        }
        $t0 = hrtime(true);
        $fs = $fw = $done = 0;
        for ($i = 0; $i < $n && !$over(); $i++) {
            [$s, $w] = cycle($sid);
            $fs += $s ? 0 : 1;
            $fw += ($s && !$w) ? 1 : 0;
            $done++;
        }
        out(['done' => $done, 'failed_start' => $fs, 'failed_write' => $fw, 't0' => $t0, 't1' => hrtime(true),
            'keepsake_stats' => function_exists('keepsake_session_stats') ? keepsake_session_stats() : null]);
        break;

    case 'handoff':
        handoff((int)$argv[2], $argv[3], $over);
        break;

    case 'precreate':
        $ok = 0;
        foreach (file($argv[2], FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $sid) {
            session_id($sid);
            if (session_start()) {
                $_SESSION['n'] = 0;
                $_SESSION['user'] = ['id' => 42, 'name' => 'bench', 'roles' => ['a', 'b']];
                $ok += session_write_close() ? 1 : 0;
            }
            if ($over()) {
                break;
            }
        }
        out(['created' => $ok]);
        break;

    case 'readall':
    case 'read':
        $ids = $mode === 'read' ? [$argv[2]] : file($argv[2], FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES);
        $sum = 0;
        $missing = 0;
        foreach ($ids as $sid) {
            session_id($sid);
            if (session_start(['read_and_close' => true]) && isset($_SESSION['n'])) {
                $sum += $_SESSION['n'];
            } else {
                $missing++;
            }
            $_SESSION = [];
            if ($over()) {
                break;
            }
        }
        out(['sum' => $sum, 'missing' => $missing]);
        break;

    case 'ping':
        $n = (int)$argv[2];
        $s = stream_socket_client('tcp://127.0.0.1:' . (int)$argv[3], $en, $es, 2);
        if (!$s) {
            out(['error' => $es]);
            break;
        }
        stream_set_timeout($s, 2);
        for ($i = 0; $i < 50; $i++) {
            fwrite($s, "*1\r\n$4\r\nPING\r\n");
            fgets($s);
        }
        $t0 = hrtime(true);
        for ($i = 0; $i < $n && !$over(); $i++) {
            fwrite($s, "*1\r\n$4\r\nPING\r\n");
            fgets($s);
        }
        out(['us_per_rt' => (hrtime(true) - $t0) / 1e3 / max($i, 1)]);
        break;

    default:
        fwrite(STDERR, "worker.php: unknown mode '$mode'\n");
        exit(2);
}

/*
 * Hand-off latency. The parent (holder) and a forked child (waiter) share a
 * socket pair; the fork happens before any session work so they never share a
 * connection. Per trial: the holder takes the lock and tells the waiter, which
 * calls session_start() and blocks; the holder keeps the lock for a random
 * 5-15 ms (random, so a polling waiter's phase is random; short, so that every
 * peer's waiter is still waiting: phpredis 5.3.7 polls only 10 x 2 ms by
 * default and then goes on without the lock), then closes the session and
 * notes when close() returned. A waiter that gave up is counted, not timed. The waiter notes when its session_start()
 * returned and reports it. hrtime() is CLOCK_MONOTONIC, common to both.
 */
function handoff(int $trials, string $sid, callable $over): void
{
    $pair = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
    $pid = pcntl_fork();
    if ($pid < 0) {
        out(['error' => 'fork failed']);
        return;
    }
    if ($pid === 0) {
        fclose($pair[0]);
        $s = $pair[1];
        stream_set_timeout($s, 30);
        while (($l = fgets($s)) !== false && trim($l) === 'go') {
            global $ksb_warn;
            $w0 = $ksb_warn;
            session_id($sid);
            $ok = session_start();
            $ta = hrtime(true);
            /* a notice or warning here means the waiter gave up waiting
             * (phpredis 5.3.7 then reads without the lock) */
            $gave = $ksb_warn !== $w0;
            if ($ok) {
                $_SESSION['w'] = ($_SESSION['w'] ?? 0) + 1;
                session_write_close();
            }
            fwrite($s, (!$ok ? 'fail' : ($gave ? 'gaveup' : $ta)) . "\n");
        }
        exit(0);
    }
    fclose($pair[1]);
    $s = $pair[0];
    stream_set_timeout($s, 30);
    $lat = $close = [];
    $failed = $gave_up = 0;
    for ($i = 0; $i < $trials && !$over(); $i++) {
        session_id($sid);
        if (!session_start()) {
            $failed++;
            continue;
        }
        $_SESSION['h'] = ($_SESSION['h'] ?? 0) + 1;
        fwrite($s, "go\n");
        usleep(random_int(KSB_HOLD_MIN_US, KSB_HOLD_MAX_US));
        $t0 = hrtime(true);
        session_write_close();
        $t1 = hrtime(true);
        $l = trim((string)fgets($s));
        if ($l === 'gaveup') {
            $gave_up++;
            continue;
        }
        if (!ctype_digit($l)) {
            $failed++;
            continue;
        }
        $lat[] = ((int)$l - $t1) / 1e6;
        $close[] = ($t1 - $t0) / 1e6;
    }
    fclose($s);
    pcntl_waitpid($pid, $st);
    out(['trials' => count($lat), 'failed' => $failed, 'gave_up' => $gave_up, 'latency_ms' => $lat, 'close_ms' => $close]);
}

