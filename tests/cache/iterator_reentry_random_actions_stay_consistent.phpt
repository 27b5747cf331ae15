--TEST--
Keepsake\CacheIterator: values whose __wakeup/__destruct use the same iterator at random (valid, current, key, next, rewind, __construct, getTotalCount) never crash, and every entry handed out at the top has its value (fixed seeds)
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
class Actor {
    public $id;
    public function __construct($id) { $this->id = $id; }
    public function __wakeup() { act('wakeup'); }
    public function __destruct() { act('destruct'); }
}
function act(string $where) {
    global $it, $budget;
    if (!$it || $budget <= 0) return;
    $budget--;
    try {
        switch (mt_rand(0, 9)) {
            case 0: $it->rewind(); break;
            case 1: $it->next(); break;
            case 2: if ($it->valid()) $it->current(); break;
            case 3: if ($it->valid()) $it->key(); break;
            case 4: $it->getTotalCount(); break;
            case 5: if (mt_rand(0, 3) === 0) $it->__construct('/^[ak]/', KEEPSAKE_CACHE_ITER_VALUE | KEEPSAKE_CACHE_ITER_KEY, mt_rand(0, 4)); break;
            case 6: if (mt_rand(0, 3) === 0) throw new RuntimeException("from $where"); break;
            default: break;
        }
    } catch (Error $e) {
        echo "unexpected: ", $e->getMessage(), "\n";
    }
}
for ($i = 0; $i < 12; $i++) keepsake_cache_store("k$i", $i);
for ($i = 0; $i < 12; $i++) keepsake_cache_store("a$i", new Actor($i));
$stored = 24;
foreach ([1, 2, 3, 5, 8, 13, 21, 34, 55, 89] as $seed) {
    mt_srand($seed);
    $budget = 200;
    $it = new Keepsake\CacheIterator('/^[ak]/', KEEPSAKE_CACHE_ITER_VALUE | KEEPSAKE_CACHE_ITER_KEY, $seed % 5);
    $handed = 0; $bad = 0; $thrown = 0;
    for ($steps = 0; $steps < 500; $steps++) {
        try {
            if (!$it->valid()) break;
            $e = $it->current();
            $handed++;
            // (key() may differ: a __wakeup run by it may move the cursor)
            if (!array_key_exists('value', $e) || !preg_match('/^[ak]\d+$/', $e['key'])) $bad++;
        } catch (RuntimeException $ex) {
            $thrown++;
        }
        $it->next();
    }
    $total = $it->getTotalCount();
    $it = null;
    printf("seed %d: %s, %d bad, total ok: %s\n", $seed, $handed > 0 ? 'visited' : 'none', $bad, $total >= 0 && $total <= $stored ? 'yes' : 'no');
}
?>
--EXPECT--
seed 1: visited, 0 bad, total ok: yes
seed 2: visited, 0 bad, total ok: yes
seed 3: visited, 0 bad, total ok: yes
seed 5: visited, 0 bad, total ok: yes
seed 8: visited, 0 bad, total ok: yes
seed 13: visited, 0 bad, total ok: yes
seed 21: visited, 0 bad, total ok: yes
seed 34: visited, 0 bad, total ok: yes
seed 55: visited, 0 bad, total ok: yes
seed 89: visited, 0 bad, total ok: yes
