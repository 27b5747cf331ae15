--TEST--
Every function and method declared in the stubs exists with the stub's signature
--EXTENSIONS--
keepsake
--INI--
; PCRE JIT code reads uninitialised bytes by design; valgrind reports it
pcre.jit=0
--FILE--
<?php
/*
 * Reads every part's .stub.php with a small regex parser (tokenizer is not loaded
 * under run-tests) and compares each declaration with what Reflection sees
 * in the loaded module.
 */
function norm_default(string $d): string {
    $d = trim($d);
    return in_array(strtolower($d), ['null', 'true', 'false'], true) ? strtolower($d) : $d;
}
function stub_params(string $list): array {
    $out = [];
    foreach (array_filter(array_map('trim', explode(',', $list)), 'strlen') as $p) {
        preg_match('/^(?:([^\s$&]+)\s+)?(&)?\$(\w+)(?:\s*=\s*(.+))?$/', $p, $m) or die("cannot parse param '$p'\n");
        $default = isset($m[4]) ? norm_default($m[4]) : null;
        $out[] = trim(($m[1] ?? '') . ' ' . ($m[2] ?? '') . '$' . $m[3] . ($default !== null ? ' = ' . $default : ''));
    }
    return $out;
}
function refl_params(ReflectionFunctionAbstract $f): array {
    $out = [];
    foreach ($f->getParameters() as $p) {
        $s = ($p->getType() ? $p->getType() . ' ' : '') . ($p->isPassedByReference() ? '&' : '') . '$' . $p->getName();
        if ($p->isOptional()) {
            if (!$p->isDefaultValueAvailable()) $s .= ' = UNKNOWN';
            elseif ($p->isDefaultValueConstant()) $s .= ' = ' . $p->getDefaultValueConstantName();
            else $s .= ' = ' . norm_default(var_export($p->getDefaultValue(), true));
        }
        $out[] = $s;
    }
    return $out;
}
function sig(string $name, array $params, ?string $ret): string {
    return $name . '(' . implode(', ', $params) . ')' . ($ret !== null && $ret !== '' ? ': ' . $ret : '');
}

$checked = 0;
$bad = [];
foreach (glob(__DIR__ . '/../../src/*/*.stub.php') as $stub) {
    $src = file_get_contents($stub);
    $class = null;
    foreach (preg_split('/\R/', $src) as $line) {
        if (preg_match('/^\s*namespace\s+([\w\\\\]+)/', $line, $m)) $ns = $m[1];
        if (preg_match('/^\s*namespace\s*\{/', $line)) $ns = '';
        if (preg_match('/^\s*(?:final\s+)?class\s+(\w+)/', $line, $m)) $class = ltrim(($ns ?? '') . '\\' . $m[1], '\\');
        if (!preg_match('/^\s*(?:public\s+)?function\s+(\w+)\((.*)\)(?:\s*:\s*([^{]+?))?\s*\{\}/', $line, $m)) continue;
        $want = sig($m[1], stub_params($m[2]), isset($m[3]) ? trim($m[3]) : null);
        $isMethod = preg_match('/^\s+public\s+function/', $line);
        try {
            $r = $isMethod ? new ReflectionMethod($class, $m[1]) : new ReflectionFunction($m[1]);
            $got = sig($r->getName(), refl_params($r), $r->hasReturnType() ? (string)$r->getReturnType() : null);
        } catch (ReflectionException $e) {
            $got = 'missing';
        }
        $checked++;
        if ($got !== $want) $bad[] = ($isMethod ? "$class::" : '') . "stub: $want\n  module: $got";
    }
}
echo $bad ? implode("\n", $bad) . "\n" : "all match\n";
var_dump($checked >= 24);
?>
--EXPECT--
all match
bool(true)
