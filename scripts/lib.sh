# scripts/lib.sh: helpers shared by scripts/test, scripts/demo and bench/*.
# Sourced, never run. Everything it starts is recorded so the caller's trap
# can stop it.

KS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KS_RUN="$KS_ROOT/.run"
KS_PIDS=()

# Packages every script may need; each script passes its own extra list.
# The PHP to build against: Debian's default PHP of this release (php-dev
# depends on php8.2-dev on Debian 12, php8.4-dev on 13), unless a PHP built
# elsewhere comes first on PATH (scripts/matrix's ZTS PHPs), which needs no
# package: `PATH=/prefix/bin:$PATH scripts/test` tests against that PHP (the
# tree is re-phpized when the PHP changes). KS_PHP_PACKAGES set in the
# environment wins.
if [ -z "${KS_PHP_PACKAGES+x}" ]; then
	case "$(command -v php-config)" in
		""|/usr/bin/*) KS_PHP_PACKAGES="php-dev php-cli" ;;
		*) KS_PHP_PACKAGES="" ;;
	esac
fi
KS_BUILD_PACKAGES="build-essential pkg-config $KS_PHP_PACKAGES libhiredis-dev liblz4-dev libzstd-dev libssl-dev php-parser redis-server"

ks_log() { printf '%s\n' "$*" >&2; }

# Installs the Debian packages in "$@" that are missing. Needs root (or sudo)
# only when something is missing.
ks_install_packages() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	ks_log "installing: ${missing[*]}"
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null || return 1
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null || return 1
}

# Builds the extension in the source tree. Extra configure flags in "$@".
ks_build() {
	cd "$KS_ROOT" || return 1
	# The PHP built against is part of what was configured: another
	# php-config first on PATH (a ZTS PHP) re-runs phpize and configure.
	local php
	php="$(command -v php-config) $(php-config --version 2>/dev/null) $(php-config --extension-dir 2>/dev/null)"
	if [ -f Makefile ] && [ "$(cat "$KS_RUN/phpized" 2>/dev/null)" != "$php" ]; then
		make clean >/dev/null 2>&1  # objects built for another PHP must not be linked in
		rm -f configure
	fi
	if [ ! -f configure ] || [ config.m4 -nt configure ] || [ "$(cat "$KS_RUN/phpized" 2>/dev/null)" != "$php" ]; then
		phpize >/dev/null 2>&1 || return 1
		mkdir -p "$KS_RUN" && echo "$php" >"$KS_RUN/phpized"
	fi
	mkdir -p build/PHP-Parser-4.15.1 && ln -sfn /usr/share/php build/PHP-Parser-4.15.1/lib
	# config.m4 lists sources when configure runs, so a new or removed .c
	# must re-run it: the source list is part of what was configured.
	local want
	want="--enable-keepsake $* | $php | $(ls src/*/*.c | tr '\n' ' ')"
	if [ ! -f Makefile ] || [ "$(cat "$KS_RUN/configured" 2>/dev/null)" != "$want" ] || [ configure -nt Makefile ]; then
		./configure --enable-keepsake "$@" >/dev/null || { ks_log "configure failed, see config.log"; return 1; }
		mkdir -p "$KS_RUN" && echo "$want" > "$KS_RUN/configured"
	fi
	ks_drop_stale_objects
	make -j"$(nproc)" CFLAGS="-g -O2 -Werror" >/dev/null || { make CFLAGS="-g -O2 -Werror" 2>&1 | tail -40 >&2; return 1; }
}

# An object whose dependency file names a header that is gone (renamed or
# deleted), or that has no dependency file at all, is removed with that file:
# make would stop on the missing header ("No rule to make target"), or take
# the object as up to date although a header it was built from changed.
ks_drop_stale_objects() {
	local lo dep f
	for lo in src/*.lo src/*/*.lo; do
		[ -f "$lo" ] || continue
		dep=${lo%.lo}.dep
		if [ ! -f "$dep" ]; then
			rm -f "$lo"
			continue
		fi
		for f in $(sed -e 's/\\$//' -e 's/^[^:]*://' "$dep"); do
			[ -e "$f" ] || { rm -f "$lo" "$dep"; break; }
		done
	done
}

# Builds a variant (configure flags in "$@") in a scratch copy of the tree and
# prints the path of its keepsake.so.
ks_build_variant() {
	local name=$1; shift
	local dir="$KS_RUN/variants/$name"
	rm -rf "$dir" && mkdir -p "$dir" || return 1
	(cd "$KS_ROOT" && tar cf - --exclude='*.lo' --exclude='*.o' --exclude='*.dep' --exclude=.libs config.m4 src) | (cd "$dir" && tar xf -) || return 1
	(cd "$dir" && phpize >/dev/null 2>&1 && ./configure --enable-keepsake "$@" >/dev/null &&
		make -j"$(nproc)" CFLAGS="-g -O2 -Werror" >/dev/null) || { ks_log "variant $name failed to build"; return 1; }
	echo "$dir/modules/keepsake.so"
}

# ks_build_apart NAME [configure args]: builds keepsake incrementally in
# $KS_RUN/builds/NAME, a mirror of config.m4 and src/, and prints the path of
# its keepsake.so. For a build with other flags than scripts/test's (a
# benchmark's, without the debug hooks), so that modules/keepsake.so stays
# as scripts/test built it. The mirror keeps the sources' modification times
# (tar), so make rebuilds only what changed since its last build; a file gone
# from src/ goes from the mirror too, and ks_build's source list then runs
# configure again.
ks_build_apart() {
	local name=$1; shift
	local dir="$KS_RUN/builds/$name" f
	mkdir -p "$dir" || return 1
	for f in $(cd "$dir" && find src -type f \( -name '*.c' -o -name '*.h' -o -name '*.php' \) 2>/dev/null); do
		[ -e "$KS_ROOT/$f" ] || rm -f "$dir/$f"
	done
	(cd "$KS_ROOT" && tar cf - --exclude='*.lo' --exclude='*.o' --exclude='*.dep' --exclude=.libs config.m4 src) |
		(cd "$dir" && tar xf -) || return 1
	(KS_ROOT=$dir KS_RUN=$dir/.state ks_build "$@") || return 1
	echo "$dir/modules/keepsake.so"
}

# Prints N (1) free TCP ports on 127.0.0.1, from the range tests/port.inc
# hands out in turn to every test and script (no other caller gets them).
ks_free_port() {
	php -n -r 'require $argv[1]; for ($i = 0; $i < (int)$argv[2]; $i++) $p[] = ks_free_port(); echo implode(" ", $p), "\n";' \
		"$KS_ROOT/tests/port.inc" "${1:-1}"
}

# Starts a private redis-server on 127.0.0.1:$1 with extra args "${@:2}".
# redis-server --daemonize exits 0 before it binds, and a PING may be
# answered by whoever else holds the port: the server is ours once its own
# log says it is ready. Returns 2 when the port was taken.
ks_start_redis() {
	local port=$1; shift
	local dir="$KS_RUN/redis-$port"
	mkdir -p "$dir" && rm -f "$dir/redis.log"
	redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
		--dir "$dir" --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" "$@" || return 1
	local i
	for i in $(seq 1 200); do
		if grep -q 'Address already in use' "$dir/redis.log" 2>/dev/null; then
			ks_log "port $port was taken before redis-server bound it"
			return 2
		fi
		grep -qi 'ready to accept connections' "$dir/redis.log" 2>/dev/null &&
			redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && { KS_PIDS+=("$(cat "$dir/redis.pid")"); return 0; }
		sleep 0.05
	done
	ks_log "redis-server on port $port did not start; see $dir/redis.log"
	return 1
}

# Starts a private redis-server on a free port (extra args in "$@") and sets
# KS_REDIS_PORT; a port taken before the server bound it is replaced (3 tries).
ks_start_free_redis() {
	local try rc
	for try in 1 2 3; do
		KS_REDIS_PORT=$(ks_free_port) || return 1
		ks_start_redis "$KS_REDIS_PORT" "$@"
		rc=$?
		[ $rc -eq 2 ] || return $rc
	done
	return 1
}

# Stops everything the script started.
ks_stop_all() {
	local p
	for p in "${KS_PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	KS_PIDS=()
}
