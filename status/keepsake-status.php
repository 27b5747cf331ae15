<?php
/*
 * keepsake-status.php: a status page for keepsake's cache and sessions, in one
 * file with no dependencies (as APCu ships apc.php). Copy it into a folder your
 * web server runs PHP in, and open it in a browser.
 *
 * Access. By default it answers requests from loopback only (127.0.0.0/8, ::1)
 * that name a loopback host (Host: localhost, 127.0.0.1, [::1]) and carry no
 * header a proxy adds (X-Forwarded-For, Forwarded, X-Real-IP, Via, ...): a
 * reverse proxy or tunnel on this host makes every request come from
 * loopback, and a web page can point its own name at 127.0.0.1 (DNS
 * rebinding). Anything else gets 403. Set KEEPSAKE_STATUS_PASSWORD below (or
 * define it before including this file) to let remote browsers in with HTTP
 * basic auth (user KEEPSAKE_STATUS_USER); serve it over HTTPS then, as basic
 * auth sends the password in clear. Behind a proxy that adds none of those
 * headers and passes a loopback Host on, set KEEPSAKE_STATUS_LOOPBACK_IS_LOCAL
 * to false. Actions that change state (clear the cache, delete a key, reset
 * the session counters) are POST forms carrying a CSRF token.
 *
 * What it shows: the cache (memory per shard, hits, evictions, lock waits,
 * fragmentation, top keys with a PCRE search, entry() leases) and the sessions
 * of every worker of this php-fpm master (lock acquisitions and waits with a
 * histogram and p50/p95/p99, errors, round trips, and each Redis node of
 * session.save_path with a live PING time and its role). Charts are inline SVG
 * drawn here; the page needs no JavaScript and reads on a phone. Add
 * ?refresh=5 to reload it every 5 seconds.
 */
declare(strict_types=1);

/* ---- settings: edit here, or define() them before including this file ---- */

/* '' = loopback only. Otherwise remote requests need this password (basic auth). */
defined('KEEPSAKE_STATUS_PASSWORD') || define('KEEPSAKE_STATUS_PASSWORD', '');
defined('KEEPSAKE_STATUS_USER') || define('KEEPSAKE_STATUS_USER', 'keepsake');
/* Seconds to wait for each Redis node's PING. */
defined('KEEPSAKE_STATUS_PING_TIMEOUT') || define('KEEPSAKE_STATUS_PING_TIMEOUT', 0.5);
/* Entries the top-keys tables look at, at most (the iterator reads them all otherwise). */
defined('KEEPSAKE_STATUS_SCAN_LIMIT') || define('KEEPSAKE_STATUS_SCAN_LIMIT', 100000);
/* Seconds a key search may run before it stops with what it found (a costly pattern). */
defined('KEEPSAKE_STATUS_SEARCH_SECONDS') || define('KEEPSAKE_STATUS_SEARCH_SECONDS', 2.0);
/* false treats loopback clients as remote (they need the password too): set it
 * behind a reverse proxy on this host that adds no X-Forwarded-For (or
 * Forwarded, X-Real-IP, Via) header and passes a loopback Host on, as nginx's
 * bare proxy_pass does. Tests use it to check the refusal from loopback. */
defined('KEEPSAKE_STATUS_LOOPBACK_IS_LOCAL') || define('KEEPSAKE_STATUS_LOOPBACK_IS_LOCAL', true);

/* ---- access ------------------------------------------------------------- */

function kss_is_loopback(string $ip): bool
{
    if (str_starts_with($ip, '::ffff:')) {
        $ip = substr($ip, 7);
    }
    return $ip === '::1' || (filter_var($ip, FILTER_VALIDATE_IP, FILTER_FLAG_IPV4) && str_starts_with($ip, '127.'));
}

function kss_deny(int $code, string $why, array $headers = []): never
{
    http_response_code($code);
    foreach ($headers as $h) {
        header($h);
    }
    header('Content-Type: text/plain; charset=utf-8');
    echo $why, "\n";
    exit;
}

/* Headers that a reverse proxy, load balancer or tunnel adds: a request with
 * one came from further away than its loopback peer. */
const KSS_PROXY_HEADERS = ['HTTP_X_FORWARDED_FOR', 'HTTP_X_FORWARDED_HOST', 'HTTP_X_FORWARDED_PROTO',
    'HTTP_X_FORWARDED_SERVER', 'HTTP_FORWARDED', 'HTTP_X_REAL_IP', 'HTTP_VIA', 'HTTP_CLIENT_IP', 'HTTP_X_CLIENT_IP',
    'HTTP_TRUE_CLIENT_IP', 'HTTP_CF_CONNECTING_IP', 'HTTP_X_CLUSTER_CLIENT_IP', 'HTTP_FASTLY_CLIENT_IP',
    'HTTP_X_ORIGINAL_FORWARDED_FOR'];

/* A Host header that names this machine's loopback: localhost (and
 * *.localhost, which browsers resolve to loopback themselves), 127.x.y.z or
 * [::1], with or without a port. No Host at all (HTTP/1.0) counts too. */
function kss_is_loopback_host(string $host): bool
{
    $host = strtolower(rtrim($host, '.'));
    if (preg_match('/^\[([0-9a-f:.]+)\](?::\d+)?$/', $host, $m)) {
        return kss_is_loopback($m[1]);
    }
    $host = preg_replace('/:\d+$/', '', $host);
    return $host === '' || $host === 'localhost' || str_ends_with($host, '.localhost') || kss_is_loopback($host);
}

/* Served without a password: from loopback, to a loopback name, not relayed. */
function kss_is_local_request(array $server): bool
{
    if (!KEEPSAKE_STATUS_LOOPBACK_IS_LOCAL || !kss_is_loopback((string)($server['REMOTE_ADDR'] ?? ''))) {
        return false;
    }
    foreach (KSS_PROXY_HEADERS as $h) {
        if (isset($server[$h])) {
            return false;
        }
    }
    return kss_is_loopback_host((string)($server['HTTP_HOST'] ?? ''));
}

function kss_check_access(): void
{
    if (kss_is_local_request($_SERVER)) {
        return;
    }
    if (KEEPSAKE_STATUS_PASSWORD === '') {
        kss_deny(403, 'keepsake status: only answers requests from loopback (to localhost or 127.0.0.1, not through a proxy); '
            . 'set KEEPSAKE_STATUS_PASSWORD in ' . basename(__FILE__) . ' to allow other access with a password.');
    }
    $user = $_SERVER['PHP_AUTH_USER'] ?? null;
    $pass = $_SERVER['PHP_AUTH_PW'] ?? null;
    $hdr = (string)($_SERVER['HTTP_AUTHORIZATION'] ?? '');
    if ($user === null && stripos($hdr, 'basic ') === 0) {
        [$user, $pass] = explode(':', (string)base64_decode(substr($hdr, 6)), 2) + ['', ''];
    }
    /* Both compared, as hashes: the time taken tells neither which one was
     * wrong nor the password's length (hash_equals stops at a length mismatch). */
    $user_ok = is_string($user) && hash_equals(hash('sha256', (string)KEEPSAKE_STATUS_USER), hash('sha256', $user));
    $pass_ok = is_string($pass) && hash_equals(hash('sha256', (string)KEEPSAKE_STATUS_PASSWORD), hash('sha256', $pass));
    if (!$user_ok || !$pass_ok) {
        kss_deny(401, 'keepsake status: a user name and password are needed.', ['WWW-Authenticate: Basic realm="keepsake status", charset="UTF-8"']);
    }
}

/* ---- actions (POST + CSRF token) ---------------------------------------- */

/* The CSRF token: a random value in a SameSite=Strict cookie, repeated in every form. */
function kss_csrf_token(): string
{
    static $token = null;
    if ($token === null) {
        $c = $_COOKIE['kss_csrf'] ?? '';
        $token = is_string($c) && preg_match('/^[0-9a-f]{32}$/', $c) ? $c : bin2hex(random_bytes(16));
        if ($token !== $c) {
            setcookie('kss_csrf', $token, ['httponly' => true, 'samesite' => 'Strict', 'path' => '/',
                'secure' => !empty($_SERVER['HTTPS']) && $_SERVER['HTTPS'] !== 'off']);
        }
    }
    return $token;
}

function kss_self(array $query = []): string
{
    /* one leading slash: "//host/..." would be a link to another site */
    $path = '/' . ltrim((string)strtok((string)($_SERVER['REQUEST_URI'] ?? '/'), '?'), '/');
    return $path . ($query ? '?' . http_build_query($query) : '');
}

/* What an action reports back (?done=...); the page shows no other text from the URL. */
const KSS_MESSAGES = ['nothing done', 'cache cleared', 'the cache could not be cleared', 'deleted one key', 'no such key',
    'session counters reset', 'the session counters could not be reset'];

function kss_handle_post(): void
{
    $c = $_COOKIE['kss_csrf'] ?? '';
    $t = $_POST['csrf'] ?? '';
    /* A sibling subdomain can set the cookie for the whole site, and
     * SameSite lets its requests carry it: the browser's Sec-Fetch-Site
     * tells such a form from the page's own. */
    $site = $_SERVER['HTTP_SEC_FETCH_SITE'] ?? 'same-origin';
    if (!is_string($c) || !is_string($t) || strlen($c) !== 32 || !hash_equals($c, $t) || !in_array($site, ['same-origin', 'none'], true)) {
        kss_deny(403, 'keepsake status: the form\'s CSRF token is missing or wrong; reload the page and try again.');
    }
    $msg = KSS_MESSAGES[0];
    switch ($_POST['action'] ?? '') {
        case 'clear_cache':
            $msg = function_exists('keepsake_cache_clear') && keepsake_cache_clear() ? 'cache cleared' : 'the cache could not be cleared';
            break;
        case 'delete_key':
            /* base64: a key is bytes, and a form field would come back as UTF-8 text */
            $key = is_string($_POST['key64'] ?? null) ? base64_decode($_POST['key64'], true) : false;
            $msg = function_exists('keepsake_cache_delete') && is_string($key) && $key !== '' && keepsake_cache_delete($key)
                ? 'deleted one key' : 'no such key';
            break;
        case 'reset_sessions':
            $msg = function_exists('keepsake_session_stats_reset') && keepsake_session_stats_reset()
                ? 'session counters reset' : 'the session counters could not be reset';
            break;
    }
    header('Location: ' . kss_self(['done' => $msg]), true, 303);
    exit;
}

function kss_form(string $action, string $label, array $fields = [], string $confirm = ''): string
{
    $h = '<form method="post" action="' . kss_e(kss_self()) . '" class="inline">'
        . '<input type="hidden" name="csrf" value="' . kss_e(kss_csrf_token()) . '">'
        . '<input type="hidden" name="action" value="' . kss_e($action) . '">';
    foreach ($fields as $k => $v) {
        $h .= '<input type="hidden" name="' . kss_e($k) . '" value="' . kss_e((string)$v) . '">';
    }
    return $h . '<button type="submit" title="' . kss_e($confirm) . '">' . kss_e($label) . '</button></form>';
}

/* ---- formatting ---------------------------------------------------------- */

function kss_e(string $s): string
{
    return htmlspecialchars($s, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
}

/* At most $n bytes of $s (no mbstring needed: kss_e() replaces a cut character). */
function kss_cut(string $s, int $n): string
{
    return strlen($s) > $n ? substr($s, 0, $n) . '…' : $s;
}

function kss_bytes(float $n): string
{
    foreach (['B', 'KiB', 'MiB', 'GiB'] as $u) {
        if ($n < 1024 || $u === 'GiB') {
            return ($u === 'B' ? (string)(int)$n : number_format($n, 1)) . ' ' . $u;
        }
        $n /= 1024;
    }
    return '';
}

function kss_num(int|float $n): string
{
    return is_int($n) ? number_format($n) : number_format($n, 2);
}

/* One row of a figures table; data-k names the value for tests and scrapers. */
function kss_row(string $label, int|float|string $value, string $key = '', string $note = ''): string
{
    $raw = is_string($value) ? $value : (string)$value;
    $shown = is_string($value) ? $value : kss_num($value);
    return '<tr><th scope="row">' . kss_e($label) . '</th><td' . ($key !== '' ? ' data-k="' . kss_e($key) . '" data-v="' . kss_e($raw) . '"' : '')
        . '>' . kss_e($shown) . ($note !== '' ? ' <small>' . kss_e($note) . '</small>' : '') . '</td></tr>';
}

/* ---- charts: inline SVG ------------------------------------------------- */

/*
 * A bar chart: $bars is a list of [label, [value, ...]] with one value per
 * series (stacked); $series names them, with a CSS class each. The SVG
 * scales to its box (viewBox), so it fits a phone.
 */
function kss_bar_chart(string $id, string $title, array $bars, array $series, ?callable $fmt = null, array $marks = []): string
{
    $fmt ??= fn($v) => kss_num($v);
    $n = max(1, count($bars));
    $w = 640; $h = 220; $left = 8; $bottom = 38; $top = 14;
    $slot = ($w - 2 * $left) / $n;
    $max = 0;
    foreach ($bars as [, $vals]) {
        $max = max($max, array_sum($vals));
    }
    $max = $max > 0 ? $max : 1;
    $svg = '<svg id="' . kss_e($id) . '" class="chart" viewBox="0 0 ' . $w . ' ' . $h . '" role="img" aria-label="' . kss_e($title) . '">'
        . '<title>' . kss_e($title) . '</title>'
        . '<line x1="' . $left . '" y1="' . ($h - $bottom) . '" x2="' . ($w - $left) . '" y2="' . ($h - $bottom) . '" class="axis"/>';
    foreach (array_values($bars) as $i => [$label, $vals]) {
        $x = $left + $i * $slot + $slot * 0.12;
        $bw = max(1.0, $slot * 0.76);
        $y = $h - $bottom;
        foreach (array_values($vals) as $s => $v) {
            $bh = ($h - $bottom - $top) * $v / $max;
            if ($v > 0) {
                $bh = max($bh, 1.5);   /* a non-zero value stays visible */
                $y -= $bh;
                $svg .= sprintf('<rect class="bar %s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s: %s %s</title></rect>',
                    kss_e($series[$s][1]), $x, $y, $bw, $bh, kss_e((string)$label), kss_e($series[$s][0]), kss_e($fmt($v)));
            }
        }
        if ($n <= 24 || $i % (int)ceil($n / 24) === 0) {
            $svg .= sprintf('<text x="%.1f" y="%d" class="lbl" transform="rotate(35 %.1f %d)">%s</text>',
                $x + $bw / 2, $h - $bottom + 12, $x + $bw / 2, $h - $bottom + 12, kss_e((string)$label));
        }
    }
    $byIndex = [];
    foreach ($marks as [$index, $name]) {   /* marks on one bar share one line: "p95 p99" */
        $byIndex[$index] = isset($byIndex[$index]) ? $byIndex[$index] . ' ' . $name : $name;
    }
    foreach ($byIndex as $index => $name) {   /* vertical markers, e.g. p50 over its bucket */
        $x = $left + ($index + 0.5) * $slot;
        $svg .= sprintf('<line class="mark" x1="%.1f" y1="%d" x2="%.1f" y2="%d"/><text class="mark" x="%.1f" y="%d">%s</text>',
            $x, $top - 2, $x, $h - $bottom, $x + 2, $top + 8, kss_e($name));
    }
    $legend = '';
    foreach ($series as [$name, $class]) {
        $legend .= '<span class="swatch ' . kss_e($class) . '"></span>' . kss_e($name) . ' ';
    }
    return '<figure>' . $svg . '</svg><figcaption>' . kss_e($title) . (count($series) > 1 ? ' — ' . $legend : '') . '</figcaption></figure>';
}

/* ---- Redis nodes: a live PING and the role -------------------------------- */

/*
 * The hosts of session.save_path (phpredis syntax: "tcp://h:p?auth=..,
 * tls://..., unix:///path, sentinel://s1:26379,s2:26379?master=m,
 * cluster://h1:7000,h2:7001"), each as [scheme, target, params]. A host
 * without a scheme takes the previous one's; a query on the last host
 * applies to those without one. Passwords stay in params, never shown.
 */
function kss_save_path_hosts(string $path): array
{
    $hosts = [];
    $scheme = 'tcp';
    foreach (array_filter(array_map('trim', explode(',', $path))) as $part) {
        if (preg_match('~^([a-z]+)://(.*)$~i', $part, $m)) {
            $scheme = strtolower($m[1]);
            $part = $m[2];
        }
        [$target, $query] = explode('?', $part, 2) + ['', null];
        $params = [];
        if ($query !== null) {
            parse_str($query, $params);
        }
        if ($scheme !== 'unix' && ($at = strrpos($target, '@')) !== false) {
            $target = substr($target, $at + 1);   /* user:password@ (keepsake refuses it): never shown */
        }
        $hosts[] = [$scheme, $target, $params, $query !== null];
    }
    $last = $hosts ? $hosts[count($hosts) - 1][2] : [];
    foreach ($hosts as &$h) {
        if (!$h[3]) {
            $h[2] = $last;
        }
        unset($h[3]);
    }
    return $hosts;
}

/* A tiny RESP client: sends one command, returns its reply (RedisError for -ERR). */
final class KssRedis
{
    /** @var resource */
    private $s;

    public function __construct($stream)
    {
        $this->s = $stream;
    }

    public function cmd(string ...$args): mixed
    {
        $out = '*' . count($args) . "\r\n";
        foreach ($args as $a) {
            $out .= '$' . strlen($a) . "\r\n" . $a . "\r\n";
        }
        if (@fwrite($this->s, $out) !== strlen($out)) {
            throw new RuntimeException('write failed');
        }
        return $this->reply();
    }

    private function reply(): mixed
    {
        $line = fgets($this->s);
        if ($line === false) {
            throw new RuntimeException(stream_get_meta_data($this->s)['timed_out'] ? 'timed out' : 'connection closed');
        }
        $t = $line[0];
        $v = substr($line, 1, -2);
        switch ($t) {
            case '+': return $v;
            case '-': return new KssRedisError($v);
            case ':': return (int)$v;
            case '$':
                if ((int)$v < 0) return null;
                $data = '';
                while (strlen($data) < (int)$v + 2) {
                    $chunk = fread($this->s, (int)$v + 2 - strlen($data));
                    if ($chunk === false || $chunk === '') throw new RuntimeException('short read');
                    $data .= $chunk;
                }
                return substr($data, 0, -2);
            case '*':
                $r = [];
                for ($i = 0; $i < (int)$v; $i++) $r[] = $this->reply();
                return $r;
        }
        throw new RuntimeException('not a Redis reply');
    }
}

final class KssRedisError
{
    public function __construct(public string $message) {}
}

/* Connects to one node, authenticates, PINGs and asks its role. Returns
 * ['node', 'role', 'ping_ms', 'error'] and, for cluster/sentinel seeds, the
 * nodes they name (['more' => [[scheme, target, params], ...]]). */
function kss_probe(string $scheme, string $target, array $p, float $timeout): array
{
    $desc = $scheme . '://' . $target;
    $r = ['node' => $desc, 'role' => '?', 'ping_ms' => null, 'error' => '', 'more' => []];
    $opts = [];
    if ($scheme === 'unix') {
        $addr = 'unix://' . $target;
    } else {
        $tls = $scheme === 'tls' || ($scheme === 'cluster' && isset($p['tls_ca']));
        $addr = ($tls ? 'tls://' : 'tcp://') . $target;
        if ($tls) {
            $opts['ssl'] = ['verify_peer' => ($p['tls_verify'] ?? '1') !== '0', 'verify_peer_name' => ($p['tls_verify'] ?? '1') !== '0'];
            foreach (['tls_ca' => 'cafile', 'tls_capath' => 'capath', 'tls_cert' => 'local_cert', 'tls_key' => 'local_pk', 'tls_sni' => 'peer_name'] as $k => $o) {
                if (isset($p[$k])) $opts['ssl'][$o] = $p[$k];
            }
        }
    }
    $s = @stream_socket_client($addr, $errno, $errstr, $timeout, STREAM_CLIENT_CONNECT, stream_context_create($opts));
    if (!$s) {
        $r['error'] = 'connect: ' . ($errstr !== '' ? $errstr : "error $errno");
        return $r;
    }
    stream_set_timeout($s, (int)$timeout, (int)(fmod($timeout, 1) * 1e6));
    $c = new KssRedis($s);
    try {
        $sentinel = $scheme === 'sentinel';
        $pass = $sentinel ? ($p['sentinel_auth'] ?? ini_get('keepsake.session.sentinel_auth')) : ($p['auth'] ?? ini_get('keepsake.session.auth'));
        $user = $sentinel ? ($p['sentinel_user'] ?? ini_get('keepsake.session.sentinel_user')) : ($p['user'] ?? ini_get('keepsake.session.user'));
        if (is_string($pass) && $pass !== '') {
            $a = is_string($user) && $user !== '' ? $c->cmd('AUTH', $user, $pass) : $c->cmd('AUTH', $pass);
            if ($a instanceof KssRedisError) {
                $r['error'] = 'AUTH refused';   /* never the reply: it could quote what was sent */
                return $r;
            }
        }
        $t0 = hrtime(true);
        $pong = $c->cmd('PING');
        $r['ping_ms'] = (hrtime(true) - $t0) / 1e6;
        if ($pong instanceof KssRedisError) {
            $r['error'] = 'PING: ' . substr($pong->message, 0, 80);
        }
        $info = $c->cmd('INFO', $sentinel ? 'server' : 'replication');
        if (is_string($info) && preg_match('/^role:(\w+)/m', $info, $m)) {
            $r['role'] = $m[1] === 'slave' ? 'replica' : $m[1];
        } elseif ($sentinel || (is_string($info) && str_contains($info, 'redis_mode:sentinel'))) {
            $r['role'] = 'sentinel';
        }
        if ($sentinel && isset($p['master'])) {
            $m = $c->cmd('SENTINEL', 'get-master-addr-by-name', (string)$p['master']);
            if (is_array($m) && count($m) === 2) {
                $r['more'][] = ['tcp', "$m[0]:$m[1]", $p];
            }
        }
        if ($scheme === 'cluster') {
            $nodes = $c->cmd('CLUSTER', 'NODES');
            foreach (is_string($nodes) ? explode("\n", trim($nodes)) : [] as $line) {
                $f = explode(' ', $line);
                if (count($f) > 2 && !str_contains($f[2], 'myself') && !str_contains($f[2], 'fail')) {
                    $r['more'][] = ['cluster', explode('@', $f[1])[0], $p];
                }
            }
        }
    } catch (Throwable $e) {
        $r['error'] = $e->getMessage();
    } finally {
        fclose($s);
    }
    return $r;
}

/* Every node of the save_path, the ones cluster and sentinel name included. */
function kss_nodes(): array
{
    if (ini_get('session.save_handler') !== 'keepsake') {
        return [];
    }
    $out = [];
    $seen = [];
    $queue = kss_save_path_hosts((string)ini_get('session.save_path'));
    while ($queue && count($out) < 32) {
        [$scheme, $target, $p] = array_shift($queue);
        $key = ($scheme === 'cluster' ? 'tcp' : $scheme) . '://' . $target;
        if (isset($seen[$key])) {
            continue;
        }
        $seen[$key] = true;
        $n = kss_probe($scheme, $target, $p, (float)KEEPSAKE_STATUS_PING_TIMEOUT);
        foreach ($n['more'] as $m) {
            $queue[] = $m;
        }
        unset($n['more']);
        $out[] = $n;
    }
    return $out;
}

/* ---- the cache section ------------------------------------------------- */

/* A user's search as a PCRE pattern: /.../flags as typed, or else the text as the pattern's body. */
function kss_pattern(string $q): ?string
{
    if ($q === '') {
        return null;
    }
    if (!preg_match('{^([/#~!%@|]).*\1[imsxuADU]*$}s', $q)) {
        $q = '/' . str_replace('/', '\/', $q) . '/';
    }
    return $q;
}

/* The $n rows of $rows (keyed by cache key) with the largest column $col, keys kept. */
function kss_keep_top(array $rows, int $col, int $n): array
{
    uasort($rows, fn($a, $b) => $b[$col] <=> $a[$col]);
    return array_slice($rows, 0, $n, true);
}

/*
 * The top 10 keys by hits and by size among the entries that match
 * $pattern: ['hits' => rows, 'size' => rows, 'matched' => n]; a row is
 * [key, hits, size, ttl]. The pattern runs here, one key at a time, not in
 * the iterator: a pattern that backtracks catastrophically costs up to
 * pcre.backtrack_limit steps per key, and the iterator would spend that on
 * every key where max_execution_time cannot stop it. Here the first PCRE
 * error ends the search, and so does KEEPSAKE_STATUS_SEARCH_SECONDS.
 * Memory holds two short lists, not a row per entry.
 */
function kss_top_keys(?string $pattern, string &$error): array
{
    $top = ['hits' => [], 'size' => [], 'matched' => 0];
    $error = '';
    if ($pattern !== null && @preg_match($pattern, '') === false) {
        $why = error_get_last()['message'] ?? preg_last_error_msg();
        $error = 'not a valid PCRE pattern: ' . preg_replace('/^preg_match\(\): /', '', $why);
        return $top;
    }
    $deadline = hrtime(true) + (int)(KEEPSAKE_STATUS_SEARCH_SECONDS * 1e9);
    $looked = 0;
    $rows = [];
    try {
        $it = new Keepsake\CacheIterator(null, KEEPSAKE_CACHE_ITER_KEY | KEEPSAKE_CACHE_ITER_NUM_HITS
            | KEEPSAKE_CACHE_ITER_MEM_SIZE | KEEPSAKE_CACHE_ITER_TTL, 500);
        foreach ($it as $e) {
            if ($looked >= KEEPSAKE_STATUS_SCAN_LIMIT) {
                $error = 'looked at the first ' . kss_num($looked) . ' entries only (KEEPSAKE_STATUS_SCAN_LIMIT)';
                break;
            }
            if (++$looked > 1 && hrtime(true) > $deadline) {
                $error = sprintf('the search stopped after %.1f s (KEEPSAKE_STATUS_SEARCH_SECONDS), having looked at %d entries',
                    KEEPSAKE_STATUS_SEARCH_SECONDS, $looked);
                break;
            }
            $key = (string)$e['key'];
            if ($pattern !== null) {
                $m = @preg_match($pattern, $key);
                if ($m === false && preg_last_error() === PREG_BAD_UTF8_ERROR) {
                    continue;   /* a /u pattern and a key that is not UTF-8: no match */
                }
                if ($m === false) {
                    $error = 'the pattern gave up on a key (' . preg_last_error_msg() . '); the search stopped there';
                    break;
                }
                if ($m === 0) {
                    continue;
                }
            }
            $top['matched']++;
            $rows[$key] = [$key, (int)$e['num_hits'], (int)$e['mem_size'], (int)($e['ttl'] ?? 0)];
            if (count($rows) >= 1000) {   /* trim: memory stays bounded however many entries match */
                $rows = kss_keep_top($rows, 1, 10) + kss_keep_top($rows, 2, 10);
            }
        }
    } catch (Throwable $e) {
        $error = $e->getMessage();
    }
    $top['hits'] = array_values(kss_keep_top($rows, 1, 10));
    $top['size'] = array_values(kss_keep_top($rows, 2, 10));
    return $top;
}

function kss_keys_table(string $id, string $title, array $rows): string
{
    $h = '<h3>' . kss_e($title) . '</h3><div class="scroll"><table id="' . kss_e($id) . '" class="keys"><thead><tr><th>key</th><th>hits</th><th>size</th><th>ttl</th><th></th></tr></thead><tbody>';
    foreach ($rows as [$key, $hits, $size, $ttl]) {
        $h .= '<tr><td class="key">' . kss_e(kss_cut($key, 80)) . '</td><td>' . kss_num($hits) . '</td><td>'
            . kss_bytes($size) . '</td><td>' . ($ttl ? $ttl . ' s' : '—') . '</td><td>' . kss_form('delete_key', 'delete', ['key64' => base64_encode($key)]) . '</td></tr>';
    }
    if (!$rows) {
        $h .= '<tr><td colspan="5">no entries</td></tr>';
    }
    return $h . '</tbody></table></div>';
}

function kss_cache_section(): string
{
    if (!function_exists('keepsake_cache_enabled')) {
        return '<section id="cache"><h2>Cache</h2><p>This keepsake was built without the cache part.</p></section>';
    }
    if (!keepsake_cache_enabled()) {
        return '<section id="cache"><h2>Cache</h2><p>The cache is disabled here (keepsake.cache.enabled, or keepsake.cache.enable_cli in the CLI).</p></section>';
    }
    $i = keepsake_cache_info(true);
    $sma = keepsake_cache_sma_info();
    if (!is_array($i) || !is_array($sma)) {
        return '<section id="cache"><h2>Cache</h2><p>keepsake_cache_info() returned nothing.</p></section>';
    }
    $lookups = $i['num_hits'] + $i['num_misses'];
    $overhead = $sma['num_seg'] > 0 ? intdiv($i['mem_total'] - $i['mem_size'] - $i['mem_free'], $sma['num_seg']) : 0;
    $bars = [];
    foreach ($sma['block_lists'] as $shard => $blocks) {
        $free = array_sum(array_column($blocks, 'size'));
        /* retired: freed memory that readers may still see. This keepsake frees at
         * once, so it is 0; the series is drawn so that a version that retires
         * memory shows it without a new page. */
        $retired = (int)($sma['retired'][$shard] ?? 0);
        $bars[] = ["shard $shard", [max(0, $sma['seg_size'] - $free - $overhead), $free, $retired]];
    }
    $h = '<section id="cache"><h2>Cache</h2><div class="grid"><div class="card">'
        . kss_bar_chart('chart-shards', 'Memory per shard', $bars, [['used', 'used'], ['free', 'free'], ['retired', 'retired']], fn($v) => kss_bytes($v))
        . '<!--free--></div><div class="card"><table class="figs">'
        . kss_row('hit ratio', $lookups ? sprintf('%.1f %%', 100 * $i['num_hits'] / $lookups) : '—', 'hit_ratio')
        . kss_row('hits', $i['num_hits'], 'num_hits')
        . kss_row('misses', $i['num_misses'], 'num_misses')
        . kss_row('entries', $i['num_entries'], 'num_entries')
        . kss_row('inserts', $i['num_inserts'], 'num_inserts')
        . kss_row('deletes', $i['num_deletes'], 'num_deletes');
    foreach ($i['evictions'] as $cause => $n) {
        $h .= kss_row("evictions: $cause", $n, "evictions.$cause");
    }
    $h .= kss_row('expunges', $i['expunges'], 'expunges', 'always 0: keepsake never wipes the cache')
        . kss_row('store failures (no memory)', $i['store_failures'], 'store_failures')
        . kss_row('lock waits', $i['lock_waits'], 'lock_waits')
        . kss_row('lock timeouts', $i['lock_timeouts'], 'lock_timeouts')
        . kss_row('recoveries', $i['recoveries'], 'recoveries')
        . kss_row('read fallbacks', $i['read_fallbacks'], 'read_fallbacks')
        . kss_row('open entry() leases', $i['leases'], 'leases')
        . kss_row('memory used', kss_bytes($i['mem_size']) . ' of ' . kss_bytes($i['mem_total']), 'mem_size')
        . kss_row('shards', $i['shards'], 'shards')
        . kss_row('started', date('Y-m-d H:i:s', $i['start_time']))
        . '</table><p>' . kss_form('clear_cache', 'Clear the cache', [], 'deletes every entry') . '</p></div></div>';
    $hist = [];
    foreach ($sma['free_histogram'] as $size => $n) {
        /* "1024-2047" is labelled by its lower bound, "1K", so the labels fit */
        $lo = (int)preg_replace('/^\D*(\d+).*$/', '$1', (string)$size);
        $hist[] = [($lo >= 1048576 ? ($lo >> 20) . 'M' : ($lo >= 1024 ? ($lo >> 10) . 'K' : (string)$lo)) . (str_starts_with((string)$size, '>=') ? '+' : ''), [$n]];
    }
    $h = str_replace('<!--free-->', kss_bar_chart('chart-free', 'Free blocks by size, from the lower bound of each size class in bytes (fragmentation)',
        $hist, [['free blocks', 'free']]), $h);

    $q = is_string($_GET['q'] ?? null) ? $_GET['q'] : '';
    $err = '';
    $top = kss_top_keys(kss_pattern($q), $err);
    $h .= '<h3>Keys</h3><form method="get" action="' . kss_e(kss_self()) . '" class="search"><label>PCRE pattern <input type="search" name="q" value="'
        . kss_e($q) . '" placeholder="/^user:/"></label> <button type="submit">Search</button></form>'
        . ($err !== '' ? '<p class="err">' . kss_e($err) . '</p>' : '')
        . '<p>' . kss_num($top['matched']) . ' matching entries</p>';
    $h .= '<div class="grid"><div class="card">' . kss_keys_table('top-hits', 'Top keys by hits', $top['hits'])
        . '</div><div class="card">' . kss_keys_table('top-size', 'Top keys by size', $top['size']) . '</div></div>';
    return $h . '</section>';
}

/* ---- the sessions section --------------------------------------------- */

function kss_sessions_section(): string
{
    if (!function_exists('keepsake_session_stats')) {
        return '<section id="sessions"><h2>Sessions</h2><p>This keepsake was built without the session part.</p></section>';
    }
    $s = keepsake_session_stats(true);
    $h = '<section id="sessions"><h2>Sessions <small>every worker of this master, since '
        . kss_e(date('Y-m-d H:i:s', (int)$s['since'])) . '</small></h2><div class="grid"><div class="card">';
    $bars = [];
    $marks = [];
    $cum = 0;
    $total = array_sum($s['lock_wait_histogram']);
    $idx = 0;
    $pcts = ['p50' => 0.5, 'p95' => 0.95, 'p99' => 0.99];
    foreach ($s['lock_wait_histogram'] as $le => $n) {
        $bars[] = [$le === 'inf' ? '>32s' : ($le >= 1024 ? ($le >> 10) . 's' : $le . 'ms'), [$n]];
        foreach ($pcts as $name => $q) {
            if ($total > 0 && $cum < $q * $total && $cum + $n >= $q * $total) {
                $marks[] = [$idx, $name];
            }
        }
        $cum += $n;
        $idx++;
    }
    $h .= kss_bar_chart('chart-waits', 'Lock waits by wait time, up to each bound (1024 ms shown as 1s), with p50, p95 and p99', $bars, [['waits', 'used']], null, $marks)
        . '<!--redis--></div><div class="card"><table class="figs">'
        . kss_row('lock acquisitions', $s['lock_acquisitions'], 'lock_acquisitions')
        . kss_row('lock waits', $s['lock_waits'], 'lock_waits')
        . kss_row('wait p50', sprintf('%.1f ms', $s['lock_wait_ms_p50']), 'lock_wait_ms_p50')
        . kss_row('wait p95', sprintf('%.1f ms', $s['lock_wait_ms_p95']), 'lock_wait_ms_p95')
        . kss_row('wait p99', sprintf('%.1f ms', $s['lock_wait_ms_p99']), 'lock_wait_ms_p99')
        . kss_row('longest wait', $s['lock_wait_ms_max'] . ' ms', 'lock_wait_ms_max')
        . kss_row('lock timeouts', $s['lock_timeouts'], 'lock_timeouts')
        . kss_row('lost locks', $s['lost_locks'], 'lost_locks')
        . kss_row('release resends', $s['release_resends'], 'release_resends')
        . kss_row('read-only sessions', $s['readonly_sessions'], 'readonly_sessions')
        . kss_row('round trips per locked session', $s['lock_acquisitions'] ? round($s['round_trips'] / $s['lock_acquisitions'], 2) : '—', 'round_trips_per_lock')
        . kss_row('round trips', $s['round_trips'], 'round_trips')
        . kss_row('connects', $s['connects'], 'connects')
        . kss_row('reconnects', $s['reconnects'], 'reconnects');
    /* errors: the total, then each kind that happened */
    $h .= kss_row('errors', array_sum($s['errors']), 'errors', array_sum($s['errors']) ? '' : 'none of: ' . implode(', ', array_keys($s['errors'])));
    foreach ($s['errors'] as $kind => $n) {
        if ($n > 0) {
            $h .= kss_row("errors: $kind", $n, "errors.$kind");
        }
    }
    $h .= '</table><p>' . kss_form('reset_sessions', 'Reset the session counters', [], 'sets the all-workers counters to zero') . '</p></div>';
    $mine = keepsake_session_stats();
    $redis = '<h3>Redis</h3><table class="figs">' . kss_row('topology', $mine['topology'] === 'none' ? 'not used yet by this worker' : $mine['topology'])
        . kss_row('save handler', (string)ini_get('session.save_handler')) . '</table><div class="scroll"><table id="nodes"><thead><tr><th>node</th><th>role</th><th>PING</th></tr></thead><tbody>';
    $nodes = kss_nodes();
    foreach ($nodes as $n) {
        $redis .= '<tr><td>' . kss_e($n['node']) . '</td><td>' . kss_e($n['role']) . '</td><td' . ($n['error'] !== '' ? ' class="err">' . kss_e($n['error'])
            : ' data-k="ping_ms" data-v="' . sprintf('%.3f', $n['ping_ms']) . '">' . sprintf('%.2f ms', $n['ping_ms'])) . '</td></tr>';
    }
    if (!$nodes) {
        $redis .= '<tr><td colspan="3">session.save_handler is not keepsake here</td></tr>';
    }
    return str_replace('<!--redis-->', $redis . '</tbody></table></div>', $h) . '</div></section>';
}

/* ---- the page ------------------------------------------------------------- */

function kss_page(): string
{
    $refresh = (int)($_GET['refresh'] ?? 0);
    $done = in_array($_GET['done'] ?? null, KSS_MESSAGES, true) ? $_GET['done'] : '';
    $body = kss_cache_section() . kss_sessions_section();
    $version = phpversion('keepsake') ?: '?';
    return '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        . ($refresh > 0 ? '<meta http-equiv="refresh" content="' . min(3600, $refresh) . '">' : '')
        . '<title>keepsake status</title><style>' . KSS_CSS . '</style></head><body><header><h1>keepsake <small>' . kss_e($version)
        . ' · PHP ' . PHP_VERSION . ' · ' . kss_e(php_sapi_name()) . ' · ' . date('H:i:s') . '</small></h1>'
        . '<nav><a href="#cache">cache</a> <a href="#sessions">sessions</a> <a href="' . kss_e(kss_self(['refresh' => 5])) . '">auto-refresh</a></nav></header>'
        . ($done !== '' ? '<p class="done">' . kss_e(kss_cut($done, 100)) . '</p>' : '')
        . '<main>' . $body . '</main></body></html>';
}

const KSS_CSS = <<<'CSS'
:root { --fg:#1d2430; --muted:#5d6878; --bg:#f4f6f9; --card:#fff; --used:#3867d6; --free:#9ad0a4; --retired:#f7b267; --err:#b3261e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { background: #1d2430; color: #fff; padding: .6rem 1rem; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: baseline; }
header h1 { font-size: 1.2rem; margin: 0; } header small { color: #b8c2d0; font-weight: normal; }
header a { color: #cfe0ff; margin-right: .8rem; }
main { padding: .5rem 1rem 2rem; max-width: 1400px; margin: 0 auto; }
h2 { margin: 1.2rem 0 .5rem; } h2 small { color: var(--muted); font-weight: normal; font-size: .8rem; }
h3 { margin: .4rem 0; font-size: 1rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); gap: .8rem; }
.card { background: var(--card); border-radius: 8px; padding: .8rem; box-shadow: 0 1px 3px rgba(0,0,0,.08); min-width: 0; }
figure { margin: 0; } figcaption { color: var(--muted); font-size: .85rem; }
svg.chart { width: 100%; height: auto; display: block; }
svg .axis { stroke: #9aa4b2; } svg .lbl { font-size: 11px; fill: var(--muted); }
svg .mark { stroke: var(--err); stroke-dasharray: 3 2; fill: var(--err); font-size: 11px; }
rect.used, .swatch.used { fill: var(--used); background: var(--used); }
rect.free, .swatch.free { fill: var(--free); background: var(--free); }
rect.retired, .swatch.retired { fill: var(--retired); background: var(--retired); }
.swatch { display: inline-block; width: .8em; height: .8em; margin: 0 .25em 0 .5em; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .2rem .4rem; border-bottom: 1px solid #e6e9ee; vertical-align: top; }
table.figs td { text-align: right; font-variant-numeric: tabular-nums; }
td small { color: var(--muted); display: block; }
.scroll { overflow-x: auto; } td.key { word-break: break-all; }
.err { color: var(--err); } .done { background: #e7f5ea; padding: .4rem 1rem; margin: 0; }
form.inline { display: inline; } button { font: inherit; padding: .2rem .6rem; }
form.search input { font: inherit; padding: .2rem; width: min(24em, 60vw); }
CSS;

/* ---- main ------------------------------------------------------------------ */

if (!defined('KEEPSAKE_STATUS_NO_MAIN')) {
    kss_check_access();
    header('Cache-Control: no-store');
    header('X-Content-Type-Options: nosniff');
    header('X-Frame-Options: DENY');
    header('Referrer-Policy: no-referrer');
    header("Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
    if (!extension_loaded('keepsake')) {
        kss_deny(500, 'keepsake status: the keepsake extension is not loaded in this PHP.');
    }
    if (($_SERVER['REQUEST_METHOD'] ?? 'GET') === 'POST') {
        kss_handle_post();
    }
    kss_csrf_token();   /* sets the cookie before any output */
    echo kss_page();
}
