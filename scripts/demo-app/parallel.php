<?php
/*
 * The keepsake demo's parallel page: the browser fires several requests at
 * one session at once (fetch()). Each one waits for the session lock, adds 1
 * to a counter and holds the lock for 100 ms; the page shows how long each
 * waited, and that the counter went up by exactly the number of requests:
 * no update is lost. Their waits then show on the status page.
 *
 *   parallel.php          the page
 *   parallel.php?hit=1    one locked update (JSON)
 *   parallel.php?count=1  the counter, read without the lock (JSON)
 */
declare(strict_types=1);

if (isset($_GET['hit'])) {
    $t0 = hrtime(true);
    if (!session_start()) {
        http_response_code(503);
        exit(json_encode(['error' => 'the session store is unavailable']));
    }
    $waited = (hrtime(true) - $t0) / 1e6;
    $before = (int)($_SESSION['parallel'] ?? 0);
    usleep(100000);   /* holds the lock: the other requests queue behind it */
    $_SESSION['parallel'] = $before + 1;
    session_write_close();
    header('Content-Type: application/json');
    exit(json_encode(['i' => (int)($_GET['i'] ?? 0), 'pid' => getmypid(), 'waited_ms' => round($waited, 1),
        'before' => $before, 'after' => $before + 1]));
}
if (isset($_GET['count'])) {
    session_start(['read_and_close' => true]);   /* one GET, no lock */
    header('Content-Type: application/json');
    exit(json_encode(['count' => (int)($_SESSION['parallel'] ?? 0)]));
}
if (!session_start()) {   /* makes sure the browser has a session cookie */
    http_response_code(503);
    exit("The session store is unavailable; see the server log.\n");
}
$count = (int)($_SESSION['parallel'] ?? 0);
session_write_close();
header('Content-Type: text/html; charset=utf-8');
?>
<!doctype html>
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>keepsake demo: parallel requests on one session</title>
<style>body{font:15px/1.4 system-ui,sans-serif;margin:1rem;max-width:48rem} table{border-collapse:collapse} td,th{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:right} .ok{color:#1b7a2f} .bad{color:#b3261e}</style>
<h1>Parallel requests on one session</h1>
<p><a href="index.php">demo</a> · <a href="status.php">status page</a></p>
<p>The session's counter is <strong id="start"><?= $count ?></strong>. Each request below takes the session lock,
adds 1 and holds the lock for 100 ms, so they queue: keepsake hands the lock from one to the next.</p>
<p><label>Requests <input id="n" type="number" value="8" min="1" max="32"></label> <button id="go">Fire them at once</button></p>
<table id="out"><thead><tr><th>#</th><th>worker</th><th>waited for the lock</th><th>counter before → after</th></tr></thead><tbody></tbody></table>
<p id="verdict"></p>
<noscript><p>This page needs JavaScript to fire requests in parallel; the status page does not.</p></noscript>
<script>
document.getElementById('go').onclick = async () => {
  const n = Math.max(1, Math.min(32, +document.getElementById('n').value || 8));
  const body = document.querySelector('#out tbody');
  body.textContent = '';
  const start = (await (await fetch('parallel.php?count=1')).json()).count;
  const t0 = performance.now();
  const results = await Promise.all(Array.from({length: n}, (_, i) =>
    fetch('parallel.php?hit=1&i=' + i).then(r => r.json()).catch(e => ({i, error: String(e)}))));
  const ms = Math.round(performance.now() - t0);
  results.sort((a, b) => (a.waited_ms ?? 0) - (b.waited_ms ?? 0));
  for (const r of results) {
    const tr = body.insertRow();
    for (const v of [r.i, r.pid ?? '', r.error ?? r.waited_ms + ' ms', r.error ? '' : r.before + ' → ' + r.after]) tr.insertCell().textContent = v;
  }
  const end = (await (await fetch('parallel.php?count=1')).json()).count;
  const v = document.getElementById('verdict');
  v.className = end - start === n ? 'ok' : 'bad';
  v.textContent = `${n} requests in ${ms} ms; the counter went from ${start} to ${end}: ` +
    (end - start === n ? 'no update was lost.' : `${n - (end - start)} updates lost!`);
  document.getElementById('start').textContent = end;
};
</script>
