/*
 * ks_cache_epoch.c: epoch-based reclamation (the protocol and its
 * invariants are in ks_cache_epoch.h).
 *
 * Memory order: every store and load that takes part in the pin/retire
 * handshake (global, a slot's epoch, pid and hwm) is sequentially consistent,
 * and a pin ends with a full fence before the caller reads the table.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* memfd_create, F_OFD_SETLK, F_OFD_GETLK */
#endif
#include "cache/ks_cache_epoch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define KS_SC __ATOMIC_SEQ_CST

size_t ks_cache_epoch_bytes(uint32_t nslots)
{
	return sizeof(ks_cache_epoch) + (size_t) nslots * sizeof(ks_cache_epoch_slot);
}

size_t ks_cache_retire_ring_bytes(uint32_t cap)
{
	return sizeof(ks_cache_retire_ring) + (size_t) cap * sizeof(ks_cache_retired);
}

static void ks_epoch_record_mapping(ks_cache_epoch *e);
static void ks_epoch_heir_create(ks_cache_epoch *e);

void ks_cache_epoch_init(ks_cache_epoch *e, uint32_t nslots, uint32_t reserve)
{
	memset(e, 0, ks_cache_epoch_bytes(nslots));
	e->nslots = nslots;
	e->reserve = reserve < nslots ? reserve : 0;
	e->global = 1;
	ks_epoch_record_mapping(e);
	ks_epoch_heir_create(e);
	__atomic_store_n(&e->magic, KS_CACHE_EPOCH_MAGIC, KS_SC);
}

void ks_cache_retire_init(ks_cache_retire_ring *r, uint32_t cap)
{
	memset(r, 0, ks_cache_retire_ring_bytes(cap));
	r->cap = cap;
}

/* ---- process identity ----------------------------------------------------------- */

/*
 * Reads the state (field 3) and start time (field 22, clock ticks since boot)
 * of /proc/<pid>/stat. The command name (field 2) is in parentheses and may
 * hold spaces and ')', so fields are counted from the last ')'. Returns 0, or
 * -1 with errno (ENOENT: no such process).
 */
static int ks_epoch_read_stat(int32_t pid, char *state, uint64_t *start)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		errno = n == 0 ? ENOENT : errno;
		return -1;
	}
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ') {
		errno = EINVAL;
		return -1;
	}
	p += 2;
	*state = *p;
	for (field = 3; field < 22 && p; field++) {
		p = strchr(p, ' ');
		p = p ? p + 1 : NULL;
	}
	if (!p) {
		errno = EINVAL;
		return -1;
	}
	*start = strtoull(p, NULL, 10);
	return 0;
}

static uint64_t ks_epoch_start_of(int32_t pid)
{
	char state;
	uint64_t start = 0;

	return ks_epoch_read_stat(pid, &state, &start) == 0 ? start : 0;
}

/* ---- mappings ------------------------------------------------------------------- */

/* The head of a /proc/<pid>/maps line: "lo-hi perms offset major:minor inode". */
typedef struct ks_epoch_vma {
	uint64_t lo, hi;         /* [lo, hi) */
	uint64_t dev;            /* major << 32 | minor */
	uint64_t ino;
} ks_epoch_vma;

/* Parses the head of one line (NUL-terminated, possibly cut after the
 * inode); 0, or -1 when it is not of that form. */
static int ks_epoch_parse_vma(const char *s, ks_epoch_vma *v)
{
	char *end;
	uint64_t major, minor;

	v->lo = strtoull(s, &end, 16);
	if (end == s || *end != '-') {
		return -1;
	}
	v->hi = strtoull(end + 1, &end, 16);
	if (*end != ' ' || !(end = strchr(end + 1, ' '))) {   /* then the perms */
		return -1;
	}
	(void) strtoull(end + 1, &end, 16);                   /* the offset */
	if (*end != ' ') {
		return -1;
	}
	major = strtoull(end + 1, &end, 16);
	if (*end != ':') {
		return -1;
	}
	minor = strtoull(end + 1, &end, 16);
	if (*end != ' ') {
		return -1;
	}
	v->ino = strtoull(end + 1, &end, 10);
	if (*end != ' ' && *end != '\0') {
		return -1;
	}
	v->dev = major << 32 | minor;
	return 0;
}

/* One whole line: 1 it holds addr, 0 it lies past addr (lines come in
 * address order: none will), 2 read on, -1 it does not parse. */
static int ks_epoch_vma_line(const char *line, uint64_t addr, ks_epoch_vma *v)
{
	if (ks_epoch_parse_vma(line, v) != 0) {
		return -1;
	}
	return addr < v->lo ? 0 : addr < v->hi ? 1 : 2;
}

/*
 * Finds, in a maps file open on fd, the mapping that contains addr. Only a
 * line's head matters, so each is kept up to its first 127 bytes (a path
 * may be any length; the kernel escapes a newline in it), and the read stops
 * at the first mapping past addr. Returns 1 (*v set), 0 when no mapping
 * contains addr (an empty file: the process has no memory any more), -1
 * when the file cannot be read or a line does not parse (cannot tell).
 */
static int ks_epoch_vma_in_fd(int fd, uint64_t addr, ks_epoch_vma *v)
{
	char buf[4096], line[128];
	size_t len = 0;
	ssize_t n, i;
	int rc;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			return -1;
		}
		if (n == 0) {
			/* the end; a last line without its newline still counts */
			line[len] = '\0';
			rc = len ? ks_epoch_vma_line(line, addr, v) : 0;
			return rc == 2 ? 0 : rc;
		}
		for (i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (len < sizeof(line) - 1) {
					line[len++] = buf[i];
				}
				continue;
			}
			line[len] = '\0';
			len = 0;
			rc = ks_epoch_vma_line(line, addr, v);
			if (rc != 2) {
				return rc;
			}
		}
	}
}

/* The same for /proc/<pid>/maps (pid 0: our own). */
static int ks_epoch_vma_at(int32_t pid, uint64_t addr, ks_epoch_vma *v)
{
	char path[64];
	int fd, rc;

	if (pid) {
		snprintf(path, sizeof(path), "/proc/%d/maps", (int) pid);
	} else {
		snprintf(path, sizeof(path), "/proc/self/maps");
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -1;
	}
	rc = ks_epoch_vma_in_fd(fd, addr, v);
	close(fd);
	return rc;
}

/* Records the identity of the mapping that holds e. A private or anonymous
 * one without an inode (a test's heap) cannot be told from another
 * program's memory at the same address: map_ino stays 0 and nobody is ever
 * taken for unmapped. */
static void ks_epoch_record_mapping(ks_cache_epoch *e)
{
	ks_epoch_vma v;

	if (ks_epoch_vma_at(0, (uint64_t) (uintptr_t) e, &v) == 1 && v.ino != 0) {
		e->map_dev = v.dev;
		e->map_ino = v.ino;
	}
}

/* ---- heirs (the header's "Sticky slots and heirs") --------------------------------- */

/* Moves a descriptor of ours off 0, 1 and 2 (closing the low one): a
 * process started with one of them closed would write its output (or read
 * its input) there, into the heir file that stays in memory while any
 * process of the segment lives, and a server that points them elsewhere
 * later (php-fpm dup2()s its socket onto 0 and /dev/null or pipes onto 1
 * and 2 in every worker) would close it. -1 when fd is, or no number is left. */
static int ks_epoch_fd_above_stdio(int fd)
{
	int high;

	if (fd < 0 || fd > 2) {
		return fd;
	}
	high = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return high;
}

/* Creates the heir file. Its size stays 0: locks may lie past the end.
 * Without memfd_create (a C library older than glibc 2.27) there is none,
 * and sticky slots are kept for good. */
static void ks_epoch_heir_create(ks_cache_epoch *e)
{
#ifdef MFD_CLOEXEC
	struct stat st;
	int fd = ks_epoch_fd_above_stdio(memfd_create("keepsake-heirs", MFD_CLOEXEC));

	e->heir_fd = -1;
	if (fd < 0) {
		return;
	}
	if (fstat(fd, &st) != 0) {
		close(fd);
		return;
	}
	e->heir_dev = (uint64_t) st.st_dev;
	e->heir_ino = (uint64_t) st.st_ino;
	e->heir_fd = fd;
#else
	e->heir_fd = -1;
#endif
}

/* Whether fd is a descriptor of the heir file (a number inherited from init
 * may have been closed and reused for another file since). */
static int ks_epoch_heir_is(const ks_cache_epoch *e, int fd)
{
	struct stat st;

	return fd >= 0 && fstat(fd, &st) == 0
		&& (uint64_t) st.st_dev == e->heir_dev && (uint64_t) st.st_ino == e->heir_ino;
}

void ks_cache_epoch_release(ks_cache_epoch *e)
{
	if (ks_epoch_heir_is(e, e->heir_fd)) {
		close(e->heir_fd);
	}
}

/* Takes the heir lock of slot i for a child about to be forked: a new open
 * file description of the heir file (so that its lock is the child's, not
 * shared with every process that inherited heir_fd), read-locked on byte i.
 * Returns its descriptor, or -1 when the heirs cannot be counted. */
static int ks_epoch_heir_lock(const ks_cache_epoch *e, uint32_t i)
{
	struct flock fl;
	char path[64];
	int fd;

	if (!ks_epoch_heir_is(e, e->heir_fd)) {
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", (int) e->heir_fd);
	fd = ks_epoch_fd_above_stdio(open(path, O_RDONLY | O_CLOEXEC));
	if (fd < 0) {
		return -1;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_RDLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = (off_t) i;
	fl.l_len = 1;
	if (!ks_epoch_heir_is(e, fd) || fcntl(fd, F_OFD_SETLK, &fl) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Whether an heir of sticky slot i may live: its byte locked, or no way to
 * tell (a slot marked KEPT, no heir file, a failed query). */
static int ks_epoch_heirs_may_live(const ks_cache_epoch *e, uint32_t i)
{
	struct flock fl;

	if (__atomic_load_n(&e->slots[i].sticky, KS_SC) != KS_CACHE_EPOCH_STICKY_HEIRS
			|| !ks_epoch_heir_is(e, e->heir_fd)) {
		return 1;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = (off_t) i;
	fl.l_len = 1;
	if (fcntl(e->heir_fd, F_OFD_GETLK, &fl) != 0) {
		return 1;
	}
	return fl.l_type != F_UNLCK;
}

void ks_cache_epoch_proc_init(ks_cache_epoch_proc *p)
{
	memset(p, 0, sizeof(*p));
	p->pid = (int32_t) getpid();
	p->slot = -1;
	p->fork_slot = -1;
	p->heir_fd = -1;
	p->start = ks_epoch_start_of(p->pid);
}

/* What a liveness check found of a slot's owner. */
typedef enum ks_epoch_owner {
	KS_EPOCH_LIVE = 0,       /* alive and mapping the segment, or cannot tell */
	KS_EPOCH_DEAD,           /* gone, a zombie, its pid reused, or a handover nobody took */
	KS_EPOCH_UNMAPPED        /* alive, but it exec()ed: the segment is not in its memory */
} ks_epoch_owner;

/*
 * Whether pid, alive with start time `start` (the slot's), still maps the
 * segment: it is unmapped only when its maps can be read, no line at the
 * region's address is the segment's mapping, and the same start time read
 * again shows that the maps were this owner's (the pid did not change hands
 * meanwhile: it cannot while the owner lives, so the caller's CAS on the
 * pid can only free this owner's slot). An owner seen mapping the segment,
 * or whose maps could not be read, is not read again for
 * KS_CACHE_EPOCH_MAP_SECS.
 */
static ks_epoch_owner ks_epoch_owner_mapped(ks_cache_epoch *e, ks_cache_epoch_slot *s, int32_t pid,
	uint64_t start, uint64_t now)
{
	uint64_t ino = e->map_ino, again = 0;
	ks_epoch_vma v;
	char state = 0;
	int rc;

	if (ino == 0 || start == 0 || now < __atomic_load_n(&s->mapped_seen, KS_SC) + KS_CACHE_EPOCH_MAP_SECS) {
		return KS_EPOCH_LIVE;
	}
	rc = ks_epoch_vma_at(pid, (uint64_t) (uintptr_t) e, &v);
	if (rc < 0 || (rc == 1 && v.dev == e->map_dev && v.ino == ino)) {
		/* mapped, or not ours to read (another user's process, or one that
		 * is not dumpable: a worker that dropped root): cannot tell */
		__atomic_store_n(&s->mapped_seen, now, KS_SC);
		return KS_EPOCH_LIVE;
	}
	if (ks_epoch_read_stat(pid, &state, &again) != 0 || again != start) {
		return KS_EPOCH_LIVE;  /* it went meanwhile: the next check says dead */
	}
	return state == 'Z' || state == 'X' || state == 'x' ? KS_EPOCH_DEAD : KS_EPOCH_UNMAPPED;
}

/*
 * What became of the owner of slot s (pid read from it). A handover slot
 * belongs to a child that has not started yet: it is dead only when no
 * child took it for KS_CACHE_EPOCH_HANDOVER_SECS (the fork failed). When
 * /proc cannot tell (not mounted, or hidepid=2 hiding another user's
 * process), a process kill() still finds is alive and mapped.
 */
static ks_epoch_owner ks_epoch_owner_state(ks_cache_epoch *e, ks_cache_epoch_slot *s, int32_t pid, uint64_t now)
{
	char state = 0;
	uint64_t start = 0;

	if (__atomic_load_n(&s->handover, KS_SC)) {
		return now >= __atomic_load_n(&s->pinned_at, KS_SC) + KS_CACHE_EPOCH_HANDOVER_SECS
			? KS_EPOCH_DEAD : KS_EPOCH_LIVE;
	}
	if (pid == (int32_t) getpid()) {
		return KS_EPOCH_LIVE;
	}
	if (kill(pid, 0) != 0 && errno == ESRCH) {
		return KS_EPOCH_DEAD;
	}
	if (ks_epoch_read_stat(pid, &state, &start) != 0) {
		/* kill() found it (or was refused: another user's process), so it
		 * exists: a /proc that hides it (hidepid=2 hides other users'
		 * processes, as with php-fpm pools under their own users) says
		 * nothing, and calling it dead would free blocks it reads */
		return KS_EPOCH_LIVE;
	}
	if (state == 'Z' || state == 'X' || state == 'x') {
		return KS_EPOCH_DEAD;  /* killed, not reaped yet: it reads nothing any more */
	}
	if (s->start != 0 && start != s->start) {
		return KS_EPOCH_DEAD;  /* the pid was reused */
	}
	return ks_epoch_owner_mapped(e, s, pid, s->start, now);
}

/* The same, for freeing: a sticky slot whose owner died or exec()ed stays
 * while heirs may read under it (only the owner makes heirs, and it can
 * make none any more, so the answer cannot go stale before the free). */
static ks_epoch_owner ks_epoch_owner_check(ks_cache_epoch *e, ks_cache_epoch_slot *s, int32_t pid, uint64_t now)
{
	ks_epoch_owner o = ks_epoch_owner_state(e, s, pid, now);

	if (o != KS_EPOCH_LIVE && __atomic_load_n(&s->sticky, KS_SC) != 0
			&& ks_epoch_heirs_may_live(e, (uint32_t) (s - e->slots))) {
		return KS_EPOCH_LIVE;
	}
	return o;
}

/* Frees the slot of an owner found dead or unmapped (counted as such); 0
 * when another collector (or a new owner) won. */
static int ks_epoch_free_owner(ks_cache_epoch *e, ks_cache_epoch_slot *s, int32_t pid, ks_epoch_owner why)
{
	int32_t expect = pid;

	if (why == KS_EPOCH_LIVE
			|| !__atomic_compare_exchange_n(&s->pid, &expect, KS_CACHE_EPOCH_RECLAIMING, 0, KS_SC, KS_SC)) {
		return 0;
	}
	__atomic_store_n(&s->epoch, 0, KS_SC);
	__atomic_store_n(&s->handover, 0, KS_SC);
	s->start = 0;
	s->pinned_at = 0;
	__atomic_store_n(&s->mapped_seen, 0, KS_SC);
	__atomic_store_n(&s->sticky, 0, KS_SC);
	__atomic_store_n(&s->pid, 0, KS_SC);
	__atomic_fetch_add(why == KS_EPOCH_DEAD ? &e->dead_reclaimed : &e->unmapped_reclaimed, 1, KS_SC);
	return 1;
}

/* ---- slots ---------------------------------------------------------------------- */

/* Claims a free slot in [from, to) for pid (compare-and-swap, no lock); -1
 * when none is free. */
static int32_t ks_epoch_claim_in(ks_cache_epoch *e, uint32_t from, uint32_t to, int32_t pid, uint64_t start,
	uint32_t handover)
{
	uint32_t i;

	for (i = from; i < to && i < e->nslots; i++) {
		ks_cache_epoch_slot *s = &e->slots[i];
		int32_t zero = 0;
		uint32_t hwm;
		if (__atomic_load_n(&s->pid, __ATOMIC_RELAXED) != 0
				|| !__atomic_compare_exchange_n(&s->pid, &zero, pid, 0, KS_SC, __ATOMIC_RELAXED)) {
			continue;
		}
		s->start = start;
		__atomic_store_n(&s->mapped_seen, 0, KS_SC);
		__atomic_store_n(&s->sticky, 0, KS_SC);
		__atomic_store_n(&s->handover, handover, KS_SC);
		__atomic_store_n(&s->epoch, 0, KS_SC);
		/* scanners must see the slot before it can ever be pinned */
		hwm = __atomic_load_n(&e->hwm, KS_SC);
		while (hwm < i + 1 && !__atomic_compare_exchange_n(&e->hwm, &hwm, i + 1, 0, KS_SC, KS_SC)) {
		}
		return (int32_t) i;
	}
	return -1;
}

/* An ordinary slot (not of the reserve). */
static int32_t ks_epoch_claim(ks_cache_epoch *e, int32_t pid, uint64_t start, uint32_t handover)
{
	return ks_epoch_claim_in(e, 0, e->nslots - e->reserve, pid, start, handover);
}

/* Sets a slot's pin: the second first, so a pin is never older than it says. */
static void ks_epoch_set_pin(ks_cache_epoch_slot *s, uint64_t epoch, uint64_t now)
{
	__atomic_store_n(&s->pinned_at, now, KS_SC);
	__atomic_store_n(&s->epoch, epoch, KS_SC);
	__atomic_thread_fence(KS_SC);
}

/* A process that forked without the atfork hooks (or whose slot was taken
 * for dead) starts over with no slot. */
static void ks_epoch_check_owner(ks_cache_epoch *e, ks_cache_epoch_proc *p)
{
	if (p->pid != (int32_t) getpid()) {
		ks_cache_epoch_proc_init(p);
	} else if (p->slot >= 0 && __atomic_load_n(&e->slots[p->slot].pid, KS_SC) != p->pid) {
		p->slot = -1;
		p->pinned = 0;
		p->sticky = 0;
	}
}

/*
 * Frees the slots of owners that died unpinned: a process killed between
 * requests (SIGKILL, the OOM killer) never detaches, and collectors only
 * look at pinned slots, so without this every such death would keep a slot
 * for the segment's life, and after nslots of them no process could pin any
 * more (zero-copy silently off). Runs only when no slot is free, at most
 * once a second per process (a syscall or two per slot). Returns how many.
 */
static uint32_t ks_epoch_sweep_dead(ks_cache_epoch *e, uint64_t now)
{
	static uint64_t last;
	uint32_t i, n = 0;

	if (last == now) {
		return 0;
	}
	last = now;
	for (i = 0; i < e->nslots; i++) {
		ks_cache_epoch_slot *s = &e->slots[i];
		int32_t pid = __atomic_load_n(&s->pid, KS_SC);
		if (pid > 0 && ks_epoch_free_owner(e, s, pid, ks_epoch_owner_check(e, s, pid, now))) {
			n++;
		}
	}
	return n;
}

/* A slot of the reserve (fork children only), counted. */
static int32_t ks_epoch_claim_reserve(ks_cache_epoch *e, int32_t pid, uint64_t start, uint32_t handover)
{
	int32_t i = ks_epoch_claim_in(e, e->nslots - e->reserve, e->nslots, pid, start, handover);

	if (i >= 0) {
		__atomic_fetch_add(&e->fork_reserved, 1, KS_SC);
	}
	return i;
}

/* A slot for a fork child: an ordinary one, else (after freeing the slots of
 * dead owners, which keeps the reserve for when it is needed) one of the
 * reserve. */
static int32_t ks_epoch_claim_for_child(ks_cache_epoch *e, int32_t pid, uint64_t start, uint32_t handover,
	uint64_t now)
{
	int32_t i = ks_epoch_claim(e, pid, start, handover);

	if (i < 0 && ks_epoch_sweep_dead(e, now) > 0) {
		i = ks_epoch_claim(e, pid, start, handover);
	}
	return i >= 0 ? i : ks_epoch_claim_reserve(e, pid, start, handover);
}

ks_cache_epoch_status ks_cache_epoch_pin(ks_cache_epoch *e, ks_cache_epoch_proc *p, uint64_t now, uint64_t max_pin)
{
	ks_cache_epoch_slot *s;
	uint64_t g;

	if (p->pinned) {
		/* the hot path of every later fetch in the request: no syscall (a
		 * fork child is reset by the atfork hook, not by a getpid() here) */
		return max_pin && now > p->pinned_at + max_pin ? KS_CACHE_EPOCH_STALE : KS_CACHE_EPOCH_OK;
	}
	ks_epoch_check_owner(e, p);
	if (p->slot < 0) {
		p->slot = ks_epoch_claim(e, p->pid, p->start, 0);
		if (p->slot < 0 && ks_epoch_sweep_dead(e, now) > 0) {
			p->slot = ks_epoch_claim(e, p->pid, p->start, 0);
		}
		if (p->slot < 0) {
			return KS_CACHE_EPOCH_NOSLOT;
		}
	}
	s = &e->slots[p->slot];
	if (p->sticky) {
		/* our slot keeps an old epoch for a child: pinning at it is only
		 * more careful */
		p->pinned = __atomic_load_n(&s->epoch, KS_SC);
		p->pinned_at = __atomic_load_n(&s->pinned_at, KS_SC);
		return max_pin && now > p->pinned_at + max_pin ? KS_CACHE_EPOCH_STALE : KS_CACHE_EPOCH_OK;
	}
	g = __atomic_load_n(&e->global, KS_SC);
	ks_epoch_set_pin(s, g, now);
	p->pinned = g;
	p->pinned_at = now;
	return KS_CACHE_EPOCH_OK;
}

/* At the end of a request of a sticky process: when no heir is left (they
 * exited, exec()ed, or took slots of their own), the slot stops being
 * sticky, so the next request pins afresh. The owner alone makes heirs, and
 * it is here, so none can appear meanwhile. */
static void ks_epoch_unstick(ks_cache_epoch *e, ks_cache_epoch_proc *p)
{
	ks_cache_epoch_slot *s = &e->slots[p->slot];

	if (ks_epoch_heirs_may_live(e, (uint32_t) p->slot)) {
		return;
	}
	__atomic_store_n(&s->sticky, 0, KS_SC);
	p->sticky = 0;
}

void ks_cache_epoch_unpin(ks_cache_epoch *e, ks_cache_epoch_proc *p)
{
	ks_epoch_check_owner(e, p);
	if (!p->pinned) {
		return;
	}
	if (p->sticky && p->slot >= 0) {
		ks_epoch_unstick(e, p);
	}
	if (!p->sticky && p->slot >= 0) {
		__atomic_store_n(&e->slots[p->slot].epoch, 0, KS_SC);
	}
	p->pinned = 0;
	p->pinned_at = 0;
}

void ks_cache_epoch_detach(ks_cache_epoch *e, ks_cache_epoch_proc *p)
{
	ks_epoch_check_owner(e, p);
	if (p->slot >= 0 && p->sticky) {
		ks_epoch_unstick(e, p);
	}
	if (p->slot >= 0 && !p->sticky) {
		ks_cache_epoch_slot *s = &e->slots[p->slot];
		int32_t expect = p->pid;
		__atomic_store_n(&s->epoch, 0, KS_SC);
		if (__atomic_compare_exchange_n(&s->pid, &expect, KS_CACHE_EPOCH_RECLAIMING, 0, KS_SC, KS_SC)) {
			s->start = 0;
			s->pinned_at = 0;
			__atomic_store_n(&s->mapped_seen, 0, KS_SC);
			__atomic_store_n(&s->pid, 0, KS_SC);
		}
	}
	/* a sticky slot stays: heirs still read under it; it is freed when this
	 * process is found dead and they are gone */
	p->slot = -1;
	p->pinned = 0;
}

/* ---- fork ----------------------------------------------------------------------- */

/* No slot for the child: ours keeps the epoch and the child reads under it,
 * counted by the heir lock on our slot's byte when it can be taken (else
 * the slot is kept for good). Never freed as unmapped while heirs may live. */
static void ks_epoch_fork_sticky(ks_cache_epoch *e, ks_cache_epoch_proc *p)
{
	ks_cache_epoch_slot *s = &e->slots[p->slot];
	uint64_t was = __atomic_load_n(&s->sticky, KS_SC);

	p->heir_fd = was == KS_CACHE_EPOCH_STICKY_KEPT ? -1 : ks_epoch_heir_lock(e, (uint32_t) p->slot);
	__atomic_store_n(&s->sticky, p->heir_fd >= 0 && was != KS_CACHE_EPOCH_STICKY_KEPT
		? KS_CACHE_EPOCH_STICKY_HEIRS : KS_CACHE_EPOCH_STICKY_KEPT, KS_SC);
	p->sticky = 1;
	__atomic_fetch_add(&e->fork_shared, 1, KS_SC);
}

void ks_cache_epoch_fork_prepare(ks_cache_epoch *e, ks_cache_epoch_proc *p, uint64_t now)
{
	int32_t i;

	p->fork_slot = -1;
	if (p->heir_fd >= 0) {
		close(p->heir_fd);   /* left by a fork whose parent hook did not run */
		p->heir_fd = -1;
	}
	ks_epoch_check_owner(e, p);
	if (!p->pinned || p->slot < 0) {
		return;  /* nothing handed out in this request: the child inherits no block */
	}
	i = ks_epoch_claim_for_child(e, p->pid, p->start, 1, now);
	if (i < 0) {
		ks_epoch_fork_sticky(e, p);
		return;
	}
	ks_epoch_set_pin(&e->slots[i], p->pinned, now);
	p->fork_slot = i;
}

void ks_cache_epoch_fork_parent(ks_cache_epoch_proc *p)
{
	p->fork_slot = -1;  /* the child's now (or, the fork failed, dead after the timeout) */
	if (p->heir_fd >= 0) {
		close(p->heir_fd);  /* the heir lock is the child's alone */
		p->heir_fd = -1;
	}
}

void ks_cache_epoch_fork_child(ks_cache_epoch *e, ks_cache_epoch_proc *p)
{
	int32_t parent = p->pid, child = (int32_t) getpid(), i = p->fork_slot;
	uint64_t pinned = p->pinned, pinned_at = p->pinned_at;
	int sticky = p->sticky;

	ks_cache_epoch_proc_init(p);
	if (i >= 0) {
		ks_cache_epoch_slot *s = &e->slots[i];
		int32_t expect = parent;
		if (__atomic_compare_exchange_n(&s->pid, &expect, child, 0, KS_SC, KS_SC)) {
			s->start = p->start;
			__atomic_store_n(&s->handover, 0, KS_SC);
			p->slot = i;
			p->pinned = pinned;
			p->pinned_at = pinned_at;
		}
		/* else: taken for dead (the child started later than the handover
		 * timeout): no slot, nothing pinned */
		return;
	}
	if (pinned && sticky) {
		/* the parent's slot keeps the epoch: take a slot of our own at it
		 * if one is free now. The inherited heir descriptor stays open for
		 * our life (and our children's) all the same: closing it once our
		 * pin is set would race a collector that scanned our slot before
		 * the pin and reaches the parent's (dead) after the close */
		p->slot = ks_epoch_claim(e, child, p->start, 0);
		if (p->slot < 0) {
			p->slot = ks_epoch_claim_reserve(e, child, p->start, 0);
		}
		if (p->slot >= 0) {
			ks_epoch_set_pin(&e->slots[p->slot], pinned, pinned_at);
			p->pinned = pinned;
			p->pinned_at = pinned_at;
		}
	}
}

/* ---- scanning ------------------------------------------------------------------- */

/* min_pinned with liveness checks for blocking pins at least check_secs old. */
static uint64_t ks_epoch_min_pinned_ex(ks_cache_epoch *e, uint64_t now, uint64_t need, uint64_t max_pin, uint64_t check_secs)
{
	uint32_t n = __atomic_load_n(&e->hwm, KS_SC), i;
	uint64_t min = UINT64_MAX;

	for (i = 0; i < n && i < e->nslots; i++) {
		ks_cache_epoch_slot *s = &e->slots[i];
		int32_t pid = __atomic_load_n(&s->pid, KS_SC);
		uint64_t ep, at;
		if (pid == 0 || pid == KS_CACHE_EPOCH_RECLAIMING) {
			continue;
		}
		ep = __atomic_load_n(&s->epoch, KS_SC);
		if (ep == 0) {
			continue;
		}
		at = __atomic_load_n(&s->pinned_at, KS_SC);
		if (ep <= need && now >= at + check_secs
				&& ks_epoch_free_owner(e, s, pid, ks_epoch_owner_check(e, s, pid, now))) {
			continue;
		}
		if (max_pin && now > at + max_pin) {
			__atomic_fetch_add(&e->stale_seen, 1, KS_SC);
		}
		if (ep < min) {
			min = ep;
		}
	}
	return min;
}

uint64_t ks_cache_epoch_min_pinned(ks_cache_epoch *e, uint64_t now, uint64_t need, uint64_t max_pin)
{
	return ks_epoch_min_pinned_ex(e, now, need, max_pin, KS_CACHE_EPOCH_CHECK_SECS);
}

int ks_cache_epoch_reclaimable(ks_cache_epoch *e, uint64_t epoch, uint64_t now)
{
	return ks_cache_epoch_min_pinned(e, now, epoch, 0) > epoch;
}

int ks_cache_epoch_reclaimable_checked(ks_cache_epoch *e, uint64_t epoch, uint64_t now)
{
	return ks_epoch_min_pinned_ex(e, now, epoch, 0, 0) > epoch;
}

/* ---- retire rings --------------------------------------------------------------- */

ks_cache_epoch_status ks_cache_retire_reserve(ks_cache_retire_ring *r)
{
	if (r->tickets + r->count >= r->cap) {
		return KS_CACHE_EPOCH_FULL;
	}
	r->tickets++;
	return KS_CACHE_EPOCH_OK;
}

void ks_cache_retire_unreserve(ks_cache_retire_ring *r)
{
	if (r->tickets > 0) {
		r->tickets--;
	}
}

uint64_t ks_cache_retire_push(ks_cache_epoch *e, ks_cache_retire_ring *r, uint32_t off, uint32_t size)
{
	ks_cache_retired *rec;
	uint64_t epoch;

	if (r->tickets > 0) {
		r->tickets--;
	}
	if (r->count >= r->cap) {
		return 0;  /* a block retired without a ticket into a full ring: kept forever, never reused unsafely */
	}
	/* the caller unlinked the block before this (under the shard lock): the
	 * increment orders that before every later pin */
	epoch = __atomic_fetch_add(&e->global, 1, KS_SC);
	rec = &r->rec[(r->head + r->count) % r->cap];
	rec->epoch = epoch;
	rec->off = off;
	rec->size = size;
	r->count++;
	r->bytes += size;
	r->retired++;
	return epoch;
}

uint32_t ks_cache_retire_collect(ks_cache_epoch *e, ks_cache_retire_ring *r, uint64_t now,
	ks_cache_retire_free_fn free_fn, void *arg)
{
	uint64_t min, newest;
	uint32_t n = 0;

	if (r->count == 0) {
		return 0;
	}
	newest = r->rec[(r->head + r->count - 1) % r->cap].epoch;
	min = ks_cache_epoch_min_pinned(e, now, newest, 0);
	while (r->count > 0 && r->rec[r->head].epoch < min) {
		ks_cache_retired *rec = &r->rec[r->head];
		free_fn(arg, rec->off, rec->size);
		r->bytes -= rec->size;
		r->head = (r->head + 1) % r->cap;
		r->count--;
		r->freed++;
		n++;
	}
	return n;
}
