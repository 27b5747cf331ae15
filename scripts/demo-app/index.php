<?php
/*
 * The keepsake demo: who is logged in and how many pages they saw live in
 * the session (Redis, locked per request); the "popular pages" fragment is
 * rendered once and then served from the shared-memory cache for 10 s.
 */
declare(strict_types=1);

if (!session_start()) {
    http_response_code(503);
    exit("The session store is unavailable; see the server log.\n");
}

if (($_POST['action'] ?? '') === 'login' && ($name = trim((string)($_POST['name'] ?? ''))) !== '') {
    session_regenerate_id(true);
    $_SESSION['user'] = substr($name, 0, 40);
} elseif (($_POST['action'] ?? '') === 'logout') {
    $_SESSION = [];
    session_regenerate_id(true);
}
$_SESSION['visits'] = ($_SESSION['visits'] ?? 0) + 1;
$user = $_SESSION['user'] ?? null;
$visits = $_SESSION['visits'];
session_write_close();

$fragment = keepsake_cache_entry('demo:fragment', function (): string {
    usleep(50000); /* the "expensive" render the cache saves */
    return '<p>Rendered at ' . date('H:i:s') . ' by worker ' . getmypid() . '; cached for 10 s.</p>';
}, 10);

header('Content-Type: text/html; charset=utf-8');
$h = fn(string $s): string => htmlspecialchars($s, ENT_QUOTES);
?>
<!doctype html>
<title>keepsake demo</title>
<h1>keepsake demo</h1>
<p id="visits">Visits in this session: <strong><?= $visits ?></strong></p>
<?php if ($user !== null): ?>
<p id="user">Logged in as <strong><?= $h($user) ?></strong></p>
<form method="post"><button name="action" value="logout">Log out</button></form>
<?php else: ?>
<p id="user">Not logged in.</p>
<form method="post"><input name="name" placeholder="your name"> <button name="action" value="login">Log in</button></form>
<?php endif ?>
<h2>Cached fragment</h2>
<?= $fragment ?>
<h2>See inside</h2>
<p><a href="parallel.php">Fire parallel requests at this session</a> (each one's lock wait, and no update lost) ·
<a href="status.php">the status page</a> (cache memory, hits, session lock waits of every worker)</p>
