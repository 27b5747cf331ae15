--TEST--
keepsake_session_stats(true) when the kernel refuses the all-workers counters page (mmap failing, through an LD_PRELOAD shim): one startup warning, keepsake still loads with its session handler and cache, all_workers is false and the counters are this process's, keepsake_session_stats_reset() returns false
--SKIPIF--
<?php
if (!is_executable('/usr/bin/cc')) die('skip no C compiler for the mmap shim');
if (!function_exists('keepsake_session_stats')) die('skip no session part');
?>
--FILE--
<?php
$dir = sys_get_temp_dir() . '/ks-nopage-' . getmypid();
@mkdir($dir);
/* Fails the one MAP_SHARED|MAP_ANONYMOUS mapping of a single page (the
 * counters page; the cache's segment is megabytes), like a kernel out of memory. */
file_put_contents("$dir/shim.c", <<<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>
static void *shim(const char *name, void *a, size_t len, int prot, int flags, int fd, off_t off)
{
	void *(*real)(void *, size_t, int, int, int, off_t);
	if ((flags & MAP_SHARED) && (flags & MAP_ANONYMOUS) && len == (size_t)sysconf(_SC_PAGESIZE)) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	real = (void *(*)(void *, size_t, int, int, int, off_t))dlsym(RTLD_NEXT, name);
	return real(a, len, prot, flags, fd, off);
}
void *mmap(void *a, size_t len, int prot, int flags, int fd, off_t off) { return shim("mmap", a, len, prot, flags, fd, off); }
void *mmap64(void *a, size_t len, int prot, int flags, int fd, off_t off) { return shim("mmap64", a, len, prot, flags, fd, off); }
/* PHP opens extensions with RTLD_DEEPBIND, which binds them to libc's mmap
 * past this shim: open them without it. */
void *dlopen(const char *file, int mode)
{
	void *(*real)(const char *, int) = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
	return real(file, mode & ~RTLD_DEEPBIND);
}
C);
exec('cc -shared -fPIC -o ' . escapeshellarg("$dir/shim.so") . ' ' . escapeshellarg("$dir/shim.c") . ' -ldl 2>&1', $out, $rc);
if ($rc !== 0) { echo "shim build failed: ", implode("\n", $out), "\n"; }
$so = rtrim(ini_get('extension_dir'), '/') . '/keepsake.so';
$code = <<<'PHP'
$handler = ini_set('session.save_handler', 'keepsake') !== false;
echo "loaded: ", var_export(extension_loaded('keepsake'), true), "\n";
echo "cache works: ", var_export(keepsake_cache_store('k', 1) && keepsake_cache_fetch('k') === 1, true), "\n";
echo "session handler: ", var_export($handler, true), "\n";
$s = keepsake_session_stats(true);
echo "all_workers: ", var_export($s['all_workers'], true), ", since: {$s['since']}, lock_acquisitions: {$s['lock_acquisitions']}\n";
echo "reset: ", var_export(keepsake_session_stats_reset(), true), "\n";
echo "metrics: ", substr_count(keepsake_metrics(), "keepsake_session_lock_acquisitions_total 0\n"), "\n";
PHP;
$cmd = 'LD_PRELOAD=' . escapeshellarg("$dir/shim.so") . ' ' . escapeshellarg(PHP_BINARY) . ' -n -d display_errors=1 -d display_startup_errors=1 -d html_errors=0'
    . ' -d extension=' . escapeshellarg($so) . ' -d keepsake.cache.enable_cli=1 -r ' . escapeshellarg($code) . ' 2>&1';
echo preg_replace('/^(PHP )?(Warning|Core Warning).*session counters.*$/m', 'WARNING about the counters page', (string)shell_exec($cmd));
exec("rm -rf " . escapeshellarg($dir));
?>
--EXPECTF--
%AWARNING about the counters page
%Aloaded: true
cache works: true
session handler: true
all_workers: false, since: 0, lock_acquisitions: 0
reset: false
metrics: 1
