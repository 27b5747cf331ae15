dnl keepsake: a Redis session handler and a shared-memory user cache.
dnl Each part can be left out; the module entry (src/keepsake.c) is always built.

PHP_ARG_ENABLE([keepsake],
  [whether to enable keepsake],
  [AS_HELP_STRING([--enable-keepsake], [Enable keepsake (Redis sessions and shared-memory cache)])],
  [yes])

PHP_ARG_ENABLE([keepsake-session],
  [whether to build the keepsake session handler],
  [AS_HELP_STRING([--disable-keepsake-session], [Do not build the Redis session handler])],
  [yes], [no])

PHP_ARG_ENABLE([keepsake-cache],
  [whether to build the keepsake shared-memory cache],
  [AS_HELP_STRING([--disable-keepsake-cache], [Do not build the shared-memory cache])],
  [yes], [no])

PHP_ARG_ENABLE([keepsake-debug],
  [whether to build keepsake's test hooks],
  [AS_HELP_STRING([--enable-keepsake-debug], [Build test-only hooks (lock-holding pauses); never for production])],
  [no], [no])

PHP_ARG_WITH([hiredis-dir],
  [for the hiredis installation prefix],
  [AS_HELP_STRING([[--with-hiredis-dir[=DIR]]], [keepsake: hiredis prefix (default: found by pkg-config)])],
  [no], [no])

PHP_ARG_WITH([keepsake-lz4],
  [whether to use lz4 for session compression],
  [AS_HELP_STRING([--without-keepsake-lz4], [keepsake: no lz4 session compression])],
  [yes], [no])

PHP_ARG_WITH([keepsake-zstd],
  [whether to use zstd for session compression],
  [AS_HELP_STRING([--without-keepsake-zstd], [keepsake: no zstd session compression])],
  [yes], [no])

if test "$PHP_KEEPSAKE" != "no"; then
  KEEPSAKE_SOURCES="src/keepsake.c"
  KEEPSAKE_CFLAGS="-DZEND_ENABLE_STATIC_TSRMLS_CACHE=1"

  dnl Every .c under a part's folders belongs to that part, so adding a file
  dnl never needs an edit here (and scripts/check-package keeps package.xml honest).
  dnl ext_srcdir is only set by PHP_NEW_EXTENSION, so find our folder from
  dnl abs_srcdir (phpize and pecl's out-of-tree builds) plus config_m4_dir
  dnl (a static build inside php-src's ext/).
  keepsake_dir="$abs_srcdir"
  if test -n "$config_m4_dir" && test "$config_m4_dir" != "."; then
    keepsake_dir="$abs_srcdir/$config_m4_dir"
  fi
  keepsake_list_sources() {
    (cd "$keepsake_dir" && for d in "$@"; do ls $d/*.c 2>/dev/null; done) | tr '\n' ' '
  }

  if test "$PHP_KEEPSAKE_SESSION" != "no"; then
    if test "$PHP_HIREDIS_DIR" != "no" && test "$PHP_HIREDIS_DIR" != "yes"; then
      PHP_CHECK_LIBRARY([hiredis], [redisConnectWithTimeout],
        [PHP_ADD_LIBRARY_WITH_PATH([hiredis], [$PHP_HIREDIS_DIR/$PHP_LIBDIR], [KEEPSAKE_SHARED_LIBADD])
         PHP_ADD_INCLUDE([$PHP_HIREDIS_DIR/include])],
        [AC_MSG_ERROR([hiredis not found in $PHP_HIREDIS_DIR])],
        [-L$PHP_HIREDIS_DIR/$PHP_LIBDIR])
    else
      PKG_CHECK_MODULES([HIREDIS], [hiredis >= 0.14], [],
        [AC_MSG_ERROR([hiredis >= 0.14 not found by pkg-config; install libhiredis-dev or pass --with-hiredis-dir=DIR])])
      PHP_EVAL_INCLINE([$HIREDIS_CFLAGS])
      PHP_EVAL_LIBLINE([$HIREDIS_LIBS], [KEEPSAKE_SHARED_LIBADD])
    fi

    dnl TLS sockets are ours (hiredis 0.14 has none); hiredis still does RESP.
    dnl src/redis/tls.c needs OpenSSL 3.0 (ERR_SYSTEM_ERROR, the 3.0 error
    dnl codes); an older one is named, and TLS left out, rather than failing
    dnl later in the compiler.
    PKG_CHECK_MODULES([KS_OPENSSL], [openssl >= 3.0],
      [PHP_EVAL_INCLINE([$KS_OPENSSL_CFLAGS])
       PHP_EVAL_LIBLINE([$KS_OPENSSL_LIBS], [KEEPSAKE_SHARED_LIBADD])
       AC_DEFINE([KEEPSAKE_TLS], [1], [keepsake session TLS support])],
      [ks_openssl_version=`$PKG_CONFIG --modversion openssl 2>/dev/null`
       if test -n "$ks_openssl_version"; then
         AC_MSG_WARN([OpenSSL $ks_openssl_version is older than 3.0, which keepsake's TLS needs: tls:// session save paths are disabled (install OpenSSL 3, e.g. libssl-dev from Debian 12 or Ubuntu 22.04)])
       else
         AC_MSG_WARN([openssl not found by pkg-config: tls:// session save paths are disabled (install libssl-dev)])
       fi])

    if test "$PHP_KEEPSAKE_LZ4" != "no"; then
      PKG_CHECK_MODULES([KS_LZ4], [liblz4],
        [PHP_EVAL_INCLINE([$KS_LZ4_CFLAGS])
         PHP_EVAL_LIBLINE([$KS_LZ4_LIBS], [KEEPSAKE_SHARED_LIBADD])
         AC_DEFINE([KEEPSAKE_LZ4], [1], [keepsake lz4 session compression])],
        [AC_MSG_WARN([liblz4 not found: keepsake.session.compression=lz4 is unavailable])])
    fi
    if test "$PHP_KEEPSAKE_ZSTD" != "no"; then
      PKG_CHECK_MODULES([KS_ZSTD], [libzstd],
        [PHP_EVAL_INCLINE([$KS_ZSTD_CFLAGS])
         PHP_EVAL_LIBLINE([$KS_ZSTD_LIBS], [KEEPSAKE_SHARED_LIBADD])
         AC_DEFINE([KEEPSAKE_ZSTD], [1], [keepsake zstd session compression])],
        [AC_MSG_WARN([libzstd not found: keepsake.session.compression=zstd is unavailable])])
    fi

    dnl Host names are looked up on a helper thread so that the connect
    dnl timeout bounds them (src/redis/resolve.c).
    AC_SEARCH_LIBS([pthread_create], [pthread], [],
      [AC_MSG_ERROR([the keepsake session handler needs POSIX threads (pthread_create)])])
    dnl ... and keep the extension loaded while one runs (dladdr, dlopen RTLD_NODELETE).
    AC_SEARCH_LIBS([dladdr], [dl], [],
      [AC_MSG_ERROR([the keepsake session handler needs dladdr (libdl)])])

    AC_DEFINE([KEEPSAKE_SESSION], [1], [Build the keepsake session handler])
    keepsake_part=`keepsake_list_sources src/session src/redis`
    test -n "$keepsake_part" || AC_MSG_ERROR([no session sources found under $keepsake_dir/src/session])
    KEEPSAKE_SOURCES="$KEEPSAKE_SOURCES $keepsake_part"
  fi

  if test "$PHP_KEEPSAKE_CACHE" != "no"; then
    AC_DEFINE([KEEPSAKE_CACHE], [1], [Build the keepsake shared-memory cache])
    keepsake_part=`keepsake_list_sources src/cache`
    test -n "$keepsake_part" || AC_MSG_ERROR([no cache sources found under $keepsake_dir/src/cache])
    KEEPSAKE_SOURCES="$KEEPSAKE_SOURCES $keepsake_part"
    AC_SEARCH_LIBS([pthread_mutex_consistent], [pthread], [],
      [AC_MSG_ERROR([keepsake cache needs robust pthread mutexes (pthread_mutex_consistent)])])
  fi

  if test "$PHP_KEEPSAKE_DEBUG" != "no"; then
    AC_DEFINE([KEEPSAKE_DEBUG], [1], [Build keepsake test hooks])
  fi

  dnl Hidden visibility: only get_module is exported, so our ks_* symbols
  dnl can never clash with another extension's.
  for flag in -Wall -Wextra -Wno-unused-parameter -Wno-clobbered -fvisibility=hidden; do
    AX_CHECK_COMPILE_FLAG([$flag], [KEEPSAKE_CFLAGS="$KEEPSAKE_CFLAGS $flag"])
  done

  PHP_SUBST([KEEPSAKE_SHARED_LIBADD])
  PHP_NEW_EXTENSION([keepsake], [$KEEPSAKE_SOURCES], [$ext_shared], , [$KEEPSAKE_CFLAGS])
  dnl Only the session part needs ext/session (src/keepsake.c's module deps
  dnl say the same at load time).
  if test "$PHP_KEEPSAKE_SESSION" != "no"; then
    PHP_ADD_EXTENSION_DEP([keepsake], [session])
  fi
  PHP_ADD_INCLUDE([$ext_srcdir/src])
  PHP_ADD_BUILD_DIR([$ext_builddir/src])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/session])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/redis])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/cache])
fi
