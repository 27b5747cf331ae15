/*
 * test_cache_epoch.c: epoch-based reclamation (src/cache/ks_cache_epoch.c), with
 * real processes sharing a MAP_SHARED region as the cache segment is shared.
 *
 * Checked: pins and retire epochs (a block retired at r waits for every pin
 * <= r, and only for those), the bounded ring (tickets, FULL, FIFO frees,
 * byte accounting), the stale rule, slot exhaustion (NOSLOT), a SIGKILLed
 * pinned process (reaped, and a zombie) whose slot is freed by the pid check,
 * a reused pid (start time differs), a live old pin that is never freed, the
 * fork handover (a child keeps its parent's blocks after the parent unpins;
 * a handover nobody took expires), the sticky slot when no slot is left for
 * a child (after freeing the slots of dead owners), a child that exec()s after taking its parent's handover (no
 * longer mapping the region, its slot is freed while it runs; kept when the
 * mapping's identity is unknown), a sticky parent that exec()s (its slot
 * stays: its slot-less child reads under it), the sticky slot's heirs (it
 * stays sticky while the child lives and not after; it outlives a parent
 * that exits while the child lives, or a grandchild, and is freed after
 * them; kept for good when heirs cannot be counted; the heir file and locks
 * never on descriptors 0-2; kept for good without /proc), the fork reserve (a reader finds no
 * slot, a fork child gets one), the maps reader on generated files (long
 * paths across read boundaries, fixed seeds), and a stress run: one writer replacing and retiring blocks while
 * four reader processes pin, read and verify them; a freed block is poisoned
 * at once, so any block freed too early is seen by a reader; and the same
 * for the fork paths: workers that fork readers of a pinned block with too
 * few slots for them (sticky forks, heirs) and often die at once.
 * Built and run by scripts/unit.
 */
#define _GNU_SOURCE   /* before any header: the .c included below needs it */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
/* the .c, for its static maps reader (ks_epoch_vma_in_fd) */
#include "cache/ks_cache_epoch.c"

int ks_unit_checks;
int ks_unit_failures;

#define NSLOTS 16
#define RING   8

static ks_cache_epoch *ep;
static ks_cache_retire_ring *ring;

static void *shared(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return p;
}

/* A new region of nslots slots, the last `reserve` for fork children. */
static void fresh_reserve(uint32_t nslots, uint32_t reserve, uint32_t cap)
{
	if (ep->magic == KS_CACHE_EPOCH_MAGIC) {
		ks_cache_epoch_release(ep);      /* the previous region's heir file */
	}
	ks_cache_epoch_init(ep, nslots, reserve);
	ks_cache_retire_init(ring, cap);
}

static void fresh(uint32_t nslots, uint32_t cap)
{
	fresh_reserve(nslots, 0, cap);
}

static uint64_t now_s(void)
{
	return (uint64_t) time(NULL);
}

/* free_fn: records what was freed */
static uint32_t freed_offs[64];
static uint32_t nfreed;
static void note_free(void *arg, uint32_t off, uint32_t size)
{
	(void) arg;
	(void) size;
	if (nfreed < 64) {
		freed_offs[nfreed] = off;
	}
	nfreed++;
}

static uint32_t collect(uint64_t now)
{
	nfreed = 0;
	return ks_cache_retire_collect(ep, ring, now, note_free, NULL);
}

static void retire(uint32_t off, uint32_t size)
{
	CHECK(ks_cache_retire_reserve(ring) == KS_CACHE_EPOCH_OK);
	ks_cache_retire_push(ep, ring, off, size);
}

/* ---- single process -------------------------------------------------------------- */

static void test_basics(void)
{
	ks_cache_epoch_proc a, b;
	uint64_t t = now_s();

	fresh(NSLOTS, RING);
	ks_cache_epoch_proc_init(&a);
	ks_cache_epoch_proc_init(&b);
	CHECK(a.start != 0);
	CHECK(ks_cache_epoch_min_pinned(ep, t, UINT64_MAX, 0) == UINT64_MAX);
	CHECK(ks_cache_epoch_reclaimable(ep, 1000, t));

	CHECK(ks_cache_epoch_pin(ep, &a, t, 0) == KS_CACHE_EPOCH_OK);
	CHECK(a.pinned == 1);
	retire(100, 32);                        /* retire epoch 1: a (pinned at 1) may hold it */
	CHECK(ep->global == 2);
	CHECK(ring->bytes == 32 && ring->count == 1 && ring->tickets == 0);
	CHECK(collect(t) == 0);
	CHECK(!ks_cache_epoch_reclaimable(ep, 1, t));

	CHECK(ks_cache_epoch_pin(ep, &b, t, 0) == KS_CACHE_EPOCH_OK);
	CHECK(b.pinned == 2);                   /* pinned after the retire: cannot hold block 100 */
	ks_cache_epoch_unpin(ep, &a);
	CHECK(collect(t) == 1 && freed_offs[0] == 100);
	CHECK(ring->bytes == 0 && ring->count == 0 && ring->freed == 1);

	retire(200, 16);                        /* epoch 2: b (pinned at 2) may hold it */
	CHECK(collect(t) == 0);
	CHECK(ks_cache_epoch_pin(ep, &a, t, 0) == KS_CACHE_EPOCH_OK && a.pinned == 3);
	CHECK(collect(t) == 0);                 /* a, pinned later, does not hold it, b still does */
	ks_cache_epoch_unpin(ep, &b);
	CHECK(collect(t) == 1 && freed_offs[0] == 200);
	ks_cache_epoch_unpin(ep, &a);
	ks_cache_epoch_unpin(ep, &a);           /* twice: a no-op */

	/* a second pin in the same request keeps the first epoch */
	CHECK(ks_cache_epoch_pin(ep, &a, t, 0) == KS_CACHE_EPOCH_OK);
	retire(300, 16);
	CHECK(ks_cache_epoch_pin(ep, &a, t, 0) == KS_CACHE_EPOCH_OK && a.pinned == 3);
	CHECK(collect(t) == 0);
	ks_cache_epoch_unpin(ep, &a);
	CHECK(collect(t) == 1);

	ks_cache_epoch_detach(ep, &a);
	ks_cache_epoch_detach(ep, &b);
	CHECK(ep->slots[0].pid == 0 && ep->slots[1].pid == 0);
}

static void test_ring_bounds(void)
{
	ks_cache_epoch_proc a;
	uint64_t t = now_s();
	uint32_t i;

	fresh(NSLOTS, 4);
	ks_cache_epoch_proc_init(&a);
	for (i = 0; i < 4; i++) {
		CHECK(ks_cache_retire_reserve(ring) == KS_CACHE_EPOCH_OK);
	}
	CHECK(ks_cache_retire_reserve(ring) == KS_CACHE_EPOCH_FULL);
	ks_cache_retire_unreserve(ring);
	CHECK(ring->tickets == 3);
	CHECK(ks_cache_retire_reserve(ring) == KS_CACHE_EPOCH_OK);

	CHECK(ks_cache_epoch_pin(ep, &a, t, 0) == KS_CACHE_EPOCH_OK);
	for (i = 0; i < 4; i++) {
		ks_cache_retire_push(ep, ring, 16 * (i + 1), 100);
	}
	CHECK(ring->count == 4 && ring->tickets == 0 && ring->bytes == 400);
	CHECK(ks_cache_retire_reserve(ring) == KS_CACHE_EPOCH_FULL);   /* full: copying form */
	CHECK(collect(t) == 0);
	/* a push without a ticket into a full ring refuses rather than overwrite */
	CHECK(ks_cache_retire_push(ep, ring, 999, 1) == 0 && ring->count == 4);
	ks_cache_epoch_unpin(ep, &a);
	CHECK(collect(t) == 4);
	CHECK(freed_offs[0] == 16 && freed_offs[1] == 32 && freed_offs[2] == 48 && freed_offs[3] == 64);
	CHECK(ring->bytes == 0 && ks_cache_retire_reserve(ring) == KS_CACHE_EPOCH_OK);

	/* wrap around: records stay in order */
	for (i = 0; i < 10; i++) {
		ks_cache_retire_push(ep, ring, 1000 + i, 1);
		CHECK(collect(t) == 1 && freed_offs[0] == 1000 + i);
		CHECK(ks_cache_retire_reserve(ring) == KS_CACHE_EPOCH_OK);
	}
	ks_cache_epoch_detach(ep, &a);
}

static void test_stale_and_noslot(void)
{
	ks_cache_epoch_proc a, b, c;

	fresh(2, RING);
	ks_cache_epoch_proc_init(&a);
	ks_cache_epoch_proc_init(&b);
	ks_cache_epoch_proc_init(&c);
	CHECK(ks_cache_epoch_pin(ep, &a, 1000, 10) == KS_CACHE_EPOCH_OK);
	CHECK(ks_cache_epoch_pin(ep, &a, 1010, 10) == KS_CACHE_EPOCH_OK);
	CHECK(ks_cache_epoch_pin(ep, &a, 1011, 10) == KS_CACHE_EPOCH_STALE);
	CHECK(ks_cache_epoch_pin(ep, &a, 5000, 0) == KS_CACHE_EPOCH_OK);  /* no limit */
	/* a stale pin still protects what it pinned */
	retire(64, 8);
	CHECK(collect(1011) == 0);
	CHECK(ks_cache_epoch_min_pinned(ep, 1011, 0, 10) == 1 && ep->stale_seen == 1);
	ks_cache_epoch_unpin(ep, &a);
	CHECK(ks_cache_epoch_pin(ep, &a, 2000, 10) == KS_CACHE_EPOCH_OK);  /* next request */

	CHECK(ks_cache_epoch_pin(ep, &b, 2000, 10) == KS_CACHE_EPOCH_OK);
	CHECK(ks_cache_epoch_pin(ep, &c, 2000, 10) == KS_CACHE_EPOCH_NOSLOT);
	ks_cache_epoch_detach(ep, &b);
	CHECK(ks_cache_epoch_pin(ep, &c, 2000, 10) == KS_CACHE_EPOCH_OK);
	ks_cache_epoch_detach(ep, &a);
	ks_cache_epoch_detach(ep, &c);
}

/* ---- processes --------------------------------------------------------------------- */

/* Processes that claimed a slot, ended their request and died without
 * detaching (SIGKILL or the OOM killer between requests: unpinned) must not
 * keep their slots: once every slot is held so, a new process still pins. */
static void test_dead_unpinned_slots_reused(void)
{
	ks_cache_epoch_proc c;
	uint32_t i;

	fresh(4, RING);
	for (i = 0; i < 4; i++) {
		pid_t pid = fork();
		int st = 0;
		if (pid == 0) {
			ks_cache_epoch_proc p;
			ks_cache_epoch_proc_init(&p);
			if (ks_cache_epoch_pin(ep, &p, now_s(), 0) != KS_CACHE_EPOCH_OK) {
				_exit(3);
			}
			ks_cache_epoch_unpin(ep, &p);
			_exit(0);  /* no detach, as if killed between requests */
		}
		CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	ks_cache_epoch_proc_init(&c);
	CHECK(ks_cache_epoch_pin(ep, &c, now_s(), 0) == KS_CACHE_EPOCH_OK);
	CHECK(ep->dead_reclaimed == 4);
	ks_cache_epoch_unpin(ep, &c);
	ks_cache_epoch_detach(ep, &c);
}

/* Forks a child that pins (or, with fork hooks, inherits) and then sleeps
 * until killed; returns its pid once it has pinned. */
static pid_t pinned_child(void)
{
	int fds[2];
	pid_t pid;
	char c = 0;

	if (pipe(fds) != 0) {
		perror("pipe");
		exit(2);
	}
	pid = fork();
	if (pid == 0) {
		ks_cache_epoch_proc p;
		ks_cache_epoch_proc_init(&p);
		c = ks_cache_epoch_pin(ep, &p, now_s(), 0) == KS_CACHE_EPOCH_OK ? 'p' : 'x';
		if (write(fds[1], &c, 1) != 1) {
			_exit(3);
		}
		alarm(30);
		for (;;) {
			pause();
		}
	}
	close(fds[1]);
	CHECK(read(fds[0], &c, 1) == 1 && c == 'p');
	close(fds[0]);
	return pid;
}

static void test_sigkill(void)
{
	pid_t a, z;
	uint64_t t = now_s();
	int status;

	fresh(NSLOTS, RING);
	a = pinned_child();
	z = pinned_child();
	retire(16, 10);
	CHECK(collect(t) == 0);
	CHECK(collect(t + 100) == 0);           /* old pins of live processes are never freed */
	CHECK(ep->dead_reclaimed == 0);

	kill(a, SIGKILL);
	CHECK(waitpid(a, &status, 0) == a && WIFSIGNALED(status));
	CHECK(collect(t) == 0);                 /* pins younger than CHECK_SECS are not checked */
	CHECK(!ks_cache_epoch_reclaimable_checked(ep, 1, t));  /* z is alive and pinned */
	CHECK(ep->dead_reclaimed == 1);         /* ... but the forced check freed dead a's slot */
	kill(z, SIGKILL);                       /* left a zombie: not reaped yet */
	{
		/* Wait until it is one (WNOWAIT: not reaped): a SIGKILLed process
		 * dies only once scheduled, which a loaded box can put off past
		 * any fixed sleep (there was one of 100 ms). */
		siginfo_t si;
		CHECK(waitid(P_PID, (id_t) z, &si, WEXITED | WNOWAIT) == 0 && si.si_pid == z);
	}
	CHECK(ks_cache_epoch_reclaimable_checked(ep, 1, t));   /* the zombie, checked at once */
	CHECK(collect(t + KS_CACHE_EPOCH_CHECK_SECS + 1) == 1);
	CHECK(ep->dead_reclaimed == 2);
	CHECK(ep->slots[0].pid == 0 && ep->slots[1].pid == 0 && ep->slots[0].epoch == 0);
	CHECK(waitpid(z, &status, 0) == z);

	/* a reused pid: a live process whose start time is not the slot's */
	a = pinned_child();
	retire(32, 10);
	CHECK(collect(t + 10) == 0);
	ep->slots[0].start ^= 12345;
	CHECK(collect(t + 10) == 1);
	CHECK(ep->dead_reclaimed == 3);
	kill(a, SIGKILL);
	waitpid(a, &status, 0);
}

static void test_fork_handover(void)
{
	ks_cache_epoch_proc p;
	uint64_t t = now_s();
	int fds[2], status;
	pid_t pid;
	char c = 0;

	fresh(NSLOTS, RING);
	ks_cache_epoch_proc_init(&p);
	CHECK(ks_cache_epoch_pin(ep, &p, t, 0) == KS_CACHE_EPOCH_OK);
	CHECK(pipe(fds) == 0);
	ks_cache_epoch_fork_prepare(ep, &p, t);
	CHECK(p.fork_slot == 1 && ep->slots[1].handover == 1 && ep->slots[1].epoch == p.pinned);
	pid = fork();
	if (pid == 0) {
		ks_cache_epoch_fork_child(ep, &p);
		c = (p.slot == 1 && p.pinned == 1 && ep->slots[1].pid == getpid() && ep->slots[1].handover == 0) ? 'k' : 'x';
		if (write(fds[1], &c, 1) != 1) {
			_exit(3);
		}
		alarm(30);
		for (;;) {
			pause();
		}
	}
	ks_cache_epoch_fork_parent(&p);
	close(fds[1]);
	CHECK(read(fds[0], &c, 1) == 1 && c == 'k');
	close(fds[0]);
	/* the parent's request ends; what it handed out before fork is the child's now */
	ks_cache_epoch_unpin(ep, &p);
	retire(48, 10);
	CHECK(collect(t + 100) == 0);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	CHECK(collect(t + 100) == 1);

	/* a handover no child took (the fork failed) expires */
	CHECK(ks_cache_epoch_pin(ep, &p, t, 0) == KS_CACHE_EPOCH_OK);
	ks_cache_epoch_fork_prepare(ep, &p, t);
	CHECK(p.fork_slot >= 0);
	ks_cache_epoch_fork_parent(&p);
	ks_cache_epoch_unpin(ep, &p);
	retire(64, 10);
	CHECK(collect(t + KS_CACHE_EPOCH_HANDOVER_SECS - 1) == 0);
	CHECK(collect(t + KS_CACHE_EPOCH_HANDOVER_SECS) == 1);

	/* no slot left for a child: the parent's own slot turns sticky, and
	 * stays so while the child lives (its heir lock), whatever the parent's
	 * requests do; the first request to end after the child is gone ends it */
	fresh(1, RING);
	ks_cache_epoch_proc_init(&p);
	CHECK(ks_cache_epoch_pin(ep, &p, t, 0) == KS_CACHE_EPOCH_OK);
	CHECK(pipe(fds) == 0);
	ks_cache_epoch_fork_prepare(ep, &p, t);
	CHECK(p.fork_slot == -1 && p.sticky == 1 && p.heir_fd >= 0);
	CHECK(ep->slots[0].sticky == KS_CACHE_EPOCH_STICKY_HEIRS && ep->fork_shared == 1);
	pid = fork();
	if (pid == 0) {
		ks_cache_epoch_fork_child(ep, &p);
		c = p.slot == -1 && !p.pinned ? 'n' : 'x';
		if (write(fds[1], &c, 1) != 1) {
			_exit(3);
		}
		alarm(30);
		for (;;) {
			pause();
		}
	}
	ks_cache_epoch_fork_parent(&p);
	CHECK(p.heir_fd == -1);                 /* the lock is the child's alone */
	close(fds[1]);
	CHECK(read(fds[0], &c, 1) == 1 && c == 'n');
	close(fds[0]);
	ks_cache_epoch_unpin(ep, &p);
	retire(80, 10);
	CHECK(collect(t + 100) == 0 && ep->slots[0].epoch == 1 && p.sticky == 1);
	CHECK(ks_cache_epoch_pin(ep, &p, t + 100, 0) == KS_CACHE_EPOCH_OK && p.pinned == 1);
	ks_cache_epoch_unpin(ep, &p);
	CHECK(collect(t + 100) == 0 && ep->slots[0].sticky == KS_CACHE_EPOCH_STICKY_HEIRS);
	kill(pid, SIGKILL);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(collect(t + 100) == 0);           /* we are alive and still pinned at 1 */
	CHECK(ks_cache_epoch_pin(ep, &p, t + 100, 0) == KS_CACHE_EPOCH_OK && p.pinned == 1);
	ks_cache_epoch_unpin(ep, &p);           /* no heir left: not sticky any more */
	CHECK(p.sticky == 0 && ep->slots[0].sticky == 0 && ep->slots[0].epoch == 0);
	CHECK(collect(t + 100) == 1);
	CHECK(ks_cache_epoch_pin(ep, &p, t + 100, 0) == KS_CACHE_EPOCH_OK && p.pinned == ep->global);
	ks_cache_epoch_unpin(ep, &p);
	ks_cache_epoch_detach(ep, &p);
	CHECK(ep->slots[0].pid == 0);
}

/* At fork with no free slot, the slots of dead owners are freed first: the
 * child gets a handover slot instead of its parent's turning sticky (which
 * leaves a slot-less child unprotected once the parent exits). */
static void test_fork_sweeps_before_sticky(void)
{
	ks_cache_epoch_proc p;
	uint64_t t = now_s() + 1000;             /* a second the sweep has not run in */
	pid_t pid;
	int st = 0;

	fresh(2, RING);
	pid = fork();
	if (pid == 0) {
		ks_cache_epoch_proc d;
		ks_cache_epoch_proc_init(&d);
		_exit(ks_cache_epoch_pin(ep, &d, now_s(), 0) == KS_CACHE_EPOCH_OK ? 0 : 3);
	}
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ks_cache_epoch_proc_init(&p);
	CHECK(ks_cache_epoch_pin(ep, &p, t, 0) == KS_CACHE_EPOCH_OK);
	ks_cache_epoch_fork_prepare(ep, &p, t);  /* the dead child's slot is the only other */
	CHECK(p.fork_slot >= 0 && p.sticky == 0 && ep->dead_reclaimed == 1);
	ks_cache_epoch_fork_parent(&p);
	ks_cache_epoch_unpin(ep, &p);
	ks_cache_epoch_detach(ep, &p);
}

/* Waits (bounded) until pid runs another program: its comm is `comm`. */
static int wait_comm(pid_t pid, const char *comm)
{
	char path[64], buf[64];
	int i;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int) pid);
	for (i = 0; i < 500; i++) {
		FILE *f = fopen(path, "r");
		int same = 0;
		if (f) {
			same = fgets(buf, sizeof(buf), f) && strncmp(buf, comm, strlen(comm)) == 0;
			fclose(f);
		}
		if (same) {
			return 1;
		}
		usleep(10000);
	}
	return 0;
}

/* Forks a child that takes the pinned parent's handover slot and then
 * exec()s `sleep 30`, as a proc_open() child does; returns its pid once it
 * runs sleep. */
static pid_t exec_child(ks_cache_epoch_proc *p, uint64_t t)
{
	pid_t pid;

	ks_cache_epoch_fork_prepare(ep, p, t);
	CHECK(p->fork_slot >= 0);
	pid = fork();
	if (pid == 0) {
		ks_cache_epoch_fork_child(ep, p);
		if (p->slot < 0 || !p->pinned) {
			_exit(3);
		}
		execl("/bin/sleep", "sleep", "30", (char *) NULL);
		_exit(4);
	}
	ks_cache_epoch_fork_parent(p);
	CHECK(pid > 0 && wait_comm(pid, "sleep"));
	return pid;
}

static void test_exec_child(void)
{
	ks_cache_epoch_proc p;
	uint64_t t = now_s(), ino = ep->map_ino;
	int status;
	pid_t a, b, live;

	fresh(NSLOTS, RING);
	CHECK(ep->map_ino != 0);                 /* a shared anonymous mapping has an inode */
	ks_cache_epoch_proc_init(&p);
	CHECK(ks_cache_epoch_pin(ep, &p, t, 0) == KS_CACHE_EPOCH_OK);
	a = exec_child(&p, t);
	live = pinned_child();                   /* runs on with the mapping: never freed */
	ks_cache_epoch_unpin(ep, &p);            /* the parent's request ends */
	retire(16, 10);
	CHECK(collect(t) == 0);                  /* pins younger than CHECK_SECS are not checked */
	CHECK(ep->unmapped_reclaimed == 0);
	CHECK(collect(t + 100) == 0);            /* `live` still blocks it */
	CHECK(ep->unmapped_reclaimed == 1 && ep->dead_reclaimed == 0);
	CHECK(kill(a, 0) == 0);                  /* freed while sleep runs */
	CHECK(collect(t + 200) == 0);            /* a live mapped owner is never freed */
	kill(live, SIGKILL);
	CHECK(waitpid(live, &status, 0) == live);
	CHECK(collect(t + 200) == 1 && ep->dead_reclaimed == 1);
	kill(a, SIGKILL);
	CHECK(waitpid(a, &status, 0) == a);

	/* the mapping's identity unknown (no /proc at init, a private region):
	 * nobody is taken for unmapped, the exec'd child keeps its slot */
	CHECK(ks_cache_epoch_pin(ep, &p, t, 0) == KS_CACHE_EPOCH_OK);
	b = exec_child(&p, t);
	ks_cache_epoch_unpin(ep, &p);
	retire(32, 10);
	ep->map_ino = 0;
	CHECK(collect(t + 300) == 0 && ep->unmapped_reclaimed == 1);
	ep->map_ino = ino;
	CHECK(collect(t + 300) == 1 && ep->unmapped_reclaimed == 2);
	kill(b, SIGKILL);
	CHECK(waitpid(b, &status, 0) == b);
	ks_cache_epoch_detach(ep, &p);
}

/*
 * A sticky parent that exec()s: no slot was left for its child at fork, so
 * the parent's own slot (sticky) is all that protects what the child
 * inherited; the child found no slot of its own either. The parent then
 * exec()s (a daemon re-exec()ing itself): it no longer maps the region, but
 * its slot must stay while it lives, since the child still reads under it.
 */
static void test_sticky_parent_execs(void)
{
	uint64_t t = now_s();
	int fds[2], status;
	pid_t parent, child = 0;

	fresh(1, RING);
	CHECK(pipe(fds) == 0);
	parent = fork();
	if (parent == 0) {
		ks_cache_epoch_proc p;
		pid_t kid;
		ks_cache_epoch_proc_init(&p);
		if (ks_cache_epoch_pin(ep, &p, t, 0) != KS_CACHE_EPOCH_OK) {
			_exit(3);
		}
		ks_cache_epoch_fork_prepare(ep, &p, t);
		if (p.fork_slot != -1 || !p.sticky) {
			_exit(4);
		}
		kid = fork();
		if (kid == 0) {
			ks_cache_epoch_fork_child(ep, &p);
			/* no slot of its own: only the parent's sticky one protects it */
			alarm(30);
			for (;;) {
				pause();
			}
		}
		ks_cache_epoch_fork_parent(&p);
		if (kid < 0 || write(fds[1], &kid, sizeof(kid)) != (ssize_t) sizeof(kid)) {
			_exit(5);
		}
		execl("/bin/sleep", "sleep", "30", (char *) NULL);
		_exit(6);
	}
	close(fds[1]);
	CHECK(read(fds[0], &child, sizeof(child)) == (ssize_t) sizeof(child) && child > 0);
	close(fds[0]);
	CHECK(parent > 0 && wait_comm(parent, "sleep"));
	retire(48, 10);                          /* the child may still read it */
	CHECK(collect(t + 100) == 0);
	CHECK(ep->unmapped_reclaimed == 0 && ep->slots[0].pid == parent);
	if (child > 0) {
		kill(child, SIGKILL);            /* a grandchild: init reaps it */
	}
	kill(parent, SIGKILL);
	CHECK(waitpid(parent, &status, 0) == parent);
	if (child > 0) {
		CHECK(waitpid(child, &status, 0) == child);   /* orphaned: ours (subreaper) */
	}
	CHECK(collect(t + 200) == 1 && ep->dead_reclaimed == 1);
}

/* A child forked with hooks that sleeps until killed; reports (one byte on
 * fd) 'n' when it got no slot, 's' when it got one pinned at `want`. */
static pid_t hooked_child(ks_cache_epoch_proc *p, int fd, uint64_t want)
{
	pid_t pid = fork();

	if (pid == 0) {
		char c;
		ks_cache_epoch_fork_child(ep, p);
		c = p->slot < 0 ? 'n' : p->pinned == want && ep->slots[p->slot].epoch == want ? 's' : 'x';
		if (write(fd, &c, 1) != 1) {
			_exit(3);
		}
		alarm(30);
		for (;;) {
			pause();
		}
	}
	ks_cache_epoch_fork_parent(p);
	return pid;
}

/*
 * The reserve: with every ordinary slot owned by a live process, a new
 * reader gets NOSLOT (it copies), but a fork child gets a reserve slot of
 * its own, pinned at its parent's epoch, instead of reading under a sticky
 * parent slot.
 */
static void test_fork_reserve(void)
{
	ks_cache_epoch_proc p, q;
	uint64_t t = now_s() + 2000;             /* a second the sweep has not run in */
	int fds[2], status;
	pid_t live, kid;
	char c = 0;

	fresh_reserve(3, 1, RING);               /* ordinary slots 0 and 1, reserve 2 */
	ks_cache_epoch_proc_init(&p);
	ks_cache_epoch_proc_init(&q);
	CHECK(ks_cache_epoch_pin(ep, &p, t, 0) == KS_CACHE_EPOCH_OK && p.slot == 0);
	live = pinned_child();                   /* slot 1 */
	CHECK(ks_cache_epoch_pin(ep, &q, t, 0) == KS_CACHE_EPOCH_NOSLOT);
	CHECK(ep->slots[2].pid == 0);            /* the reserve is not a reader's */
	CHECK(pipe(fds) == 0);
	ks_cache_epoch_fork_prepare(ep, &p, t);
	CHECK(p.fork_slot == 2 && p.sticky == 0 && ep->fork_reserved == 1 && ep->fork_shared == 0);
	kid = hooked_child(&p, fds[1], p.pinned);
	CHECK(read(fds[0], &c, 1) == 1 && c == 's');
	close(fds[0]);
	close(fds[1]);
	ks_cache_epoch_unpin(ep, &p);
	kill(live, SIGKILL);
	CHECK(waitpid(live, &status, 0) == live);
	retire(16, 10);
	CHECK(collect(t + 100) == 0);            /* the child holds it in its own slot */
	CHECK(ep->slots[2].pid == kid);
	kill(kid, SIGKILL);
	CHECK(waitpid(kid, &status, 0) == kid);
	CHECK(collect(t + 100) == 1);
	ks_cache_epoch_detach(ep, &p);
}

/*
 * The hole this closes: no slot at all for the child (the reserve owned
 * too), so the worker's slot turns sticky; then the worker EXITS while its
 * child still reads what it inherited. The slot must outlive the worker for
 * as long as the child lives (its heir lock), and be freed once it exits.
 * The test process is a subreaper, so the orphaned child becomes ours to
 * reap.
 */
static void test_sticky_parent_exits(void)
{
	ks_cache_epoch_proc me, res;
	uint64_t t = now_s();
	int fds[2], status;
	pid_t worker, child = 0;

	fresh_reserve(3, 1, RING);
	ks_cache_epoch_proc_init(&me);
	ks_cache_epoch_proc_init(&res);
	CHECK(ks_cache_epoch_pin(ep, &me, t, 0) == KS_CACHE_EPOCH_OK && me.slot == 0);
	res.slot = ks_epoch_claim_reserve(ep, res.pid, res.start, 0);   /* a live fork child's */
	CHECK(res.slot == 2);
	ks_cache_epoch_unpin(ep, &me);
	CHECK(pipe(fds) == 0);
	worker = fork();
	if (worker == 0) {
		ks_cache_epoch_proc w;
		pid_t kid;
		char c = 0;
		ks_cache_epoch_proc_init(&w);
		if (ks_cache_epoch_pin(ep, &w, t, 0) != KS_CACHE_EPOCH_OK || w.slot != 1) {
			_exit(3);
		}
		ks_cache_epoch_fork_prepare(ep, &w, t);
		if (w.fork_slot != -1 || !w.sticky) {
			_exit(4);
		}
		kid = hooked_child(&w, fds[1], w.pinned);
		if (kid < 0 || read(fds[0], &c, 1) != 1 || c != 'n'
				|| write(fds[1], &kid, sizeof(kid)) != (ssize_t) sizeof(kid)) {
			_exit(5);
		}
		_exit(0);                        /* no unpin, no detach: as if killed */
	}
	CHECK(worker > 0 && waitpid(worker, &status, 0) == worker && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(read(fds[0], &child, sizeof(child)) == (ssize_t) sizeof(child) && child > 0);
	close(fds[0]);
	close(fds[1]);
	retire(48, 10);                          /* the child may still read it */
	CHECK(collect(t + 100) == 0);
	CHECK(ks_cache_epoch_reclaimable_checked(ep, 1, t) == 0);
	CHECK(ep->dead_reclaimed == 0 && ep->slots[1].pid == worker && ep->fork_shared == 1);
	if (child > 0) {
		kill(child, SIGKILL);
		CHECK(waitpid(child, &status, 0) == child);   /* ours: we are its subreaper */
	}
	CHECK(collect(t + 100) == 1 && ep->dead_reclaimed == 1 && ep->slots[1].pid == 0);
	ks_cache_epoch_detach(ep, &res);
	ks_cache_epoch_detach(ep, &me);
}

/* The heirs are the child and what it forks: a grandchild that outlives
 * both its parent and the sticky worker keeps the worker's slot; the child
 * had no slot, so its fork hook hands nothing over, and the grandchild
 * holds the inherited lock. */
static void test_sticky_grandchild(void)
{
	uint64_t t = now_s();
	int fds[2], status;
	pid_t worker, grandchild = 0;

	fresh(1, RING);
	CHECK(pipe(fds) == 0);
	worker = fork();
	if (worker == 0) {
		ks_cache_epoch_proc w;
		pid_t kid;
		ks_cache_epoch_proc_init(&w);
		if (ks_cache_epoch_pin(ep, &w, t, 0) != KS_CACHE_EPOCH_OK) {
			_exit(3);
		}
		ks_cache_epoch_fork_prepare(ep, &w, t);
		kid = fork();
		if (kid == 0) {
			pid_t g;
			ks_cache_epoch_fork_child(ep, &w);
			ks_cache_epoch_fork_prepare(ep, &w, t);   /* unpinned: nothing to hand over */
			g = fork();
			if (g == 0) {
				ks_cache_epoch_fork_child(ep, &w);
				alarm(30);
				for (;;) {
					pause();
				}
			}
			ks_cache_epoch_fork_parent(&w);
			_exit(g > 0 && w.slot < 0 && write(fds[1], &g, sizeof(g)) == (ssize_t) sizeof(g) ? 0 : 4);
		}
		ks_cache_epoch_fork_parent(&w);
		_exit(kid > 0 && waitpid(kid, &status, 0) == kid && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 5);
	}
	CHECK(worker > 0 && waitpid(worker, &status, 0) == worker && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(read(fds[0], &grandchild, sizeof(grandchild)) == (ssize_t) sizeof(grandchild) && grandchild > 0);
	close(fds[0]);
	close(fds[1]);
	retire(56, 10);
	CHECK(collect(t + 100) == 0 && ep->slots[0].pid == worker && ep->dead_reclaimed == 0);
	if (grandchild > 0) {
		kill(grandchild, SIGKILL);
		CHECK(waitpid(grandchild, &status, 0) == grandchild);   /* ours: subreaper */
	}
	CHECK(collect(t + 100) == 1 && ep->slots[0].pid == 0 && ep->dead_reclaimed == 1);
}

/* Heirs that cannot be counted (no heir file: memfd_create refused, or its
 * descriptor closed): the sticky slot is kept after its owner and its child
 * are gone, for the region's life. Never freed early. */
static void test_heirs_uncountable(void)
{
	ks_cache_epoch_proc w;
	uint64_t t = now_s();
	int fds[2], status;
	pid_t worker;

	fresh(1, RING);
	ks_cache_epoch_release(ep);
	CHECK(pipe(fds) == 0);
	worker = fork();
	if (worker == 0) {
		pid_t kid;
		ks_cache_epoch_proc_init(&w);
		if (ks_cache_epoch_pin(ep, &w, t, 0) != KS_CACHE_EPOCH_OK) {
			_exit(3);
		}
		ks_cache_epoch_fork_prepare(ep, &w, t);
		if (!w.sticky || w.heir_fd != -1) {
			_exit(4);
		}
		kid = fork();
		if (kid == 0) {
			ks_cache_epoch_fork_child(ep, &w);
			_exit(0);
		}
		ks_cache_epoch_fork_parent(&w);
		_exit(kid > 0 && waitpid(kid, &status, 0) == kid ? 0 : 5);
	}
	CHECK(worker > 0 && waitpid(worker, &status, 0) == worker && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fds[0]);
	close(fds[1]);
	CHECK(ep->slots[0].sticky == KS_CACHE_EPOCH_STICKY_KEPT);
	retire(64, 10);
	CHECK(collect(t + 100) == 0 && ep->slots[0].pid == worker && ep->dead_reclaimed == 0);
	CHECK(!ks_cache_epoch_reclaimable_checked(ep, 1, t + 100));
}

/* Whether descriptors 0, 1 and 2 are all closed. */
static int stdio_closed(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) {
			return 0;
		}
	}
	return 1;
}

/*
 * A process started with 0, 1 or 2 closed (a daemon, `php worker.php >&-`):
 * the heir file and a heir lock must not take those numbers. The first
 * would receive the process's output (echo writes to 1) and keep it in
 * memory while any process of the segment lives, and php-fpm, which points
 * 0 at its listening socket and 1 and 2 at /dev/null or pipes, would close
 * it in every worker (every sticky slot then kept for good). Runs in a
 * child with its own region; answers by its exit status.
 */
static int heir_fds_child(void)
{
	ks_cache_epoch *mine = shared(ks_cache_epoch_bytes(1));
	ks_cache_epoch_proc p;
	uint64_t t = now_s();
	pid_t kid;
	int status;

	close(0);
	close(1);
	close(2);
	ks_cache_epoch_init(mine, 1, 0);
	if (mine->heir_fd < 3 || !stdio_closed()) {
		return 10;                       /* the heir file took 0, 1 or 2 */
	}
	if (write(1, "x", 1) != -1) {
		return 11;                       /* output went into the heir file */
	}
	ks_cache_epoch_proc_init(&p);
	if (ks_cache_epoch_pin(mine, &p, t, 0) != KS_CACHE_EPOCH_OK) {
		return 12;
	}
	ks_cache_epoch_fork_prepare(mine, &p, t);
	if (!p.sticky || p.heir_fd < 3 || !stdio_closed()) {
		return 13;                       /* the heir lock took 0, 1 or 2 */
	}
	kid = fork();
	if (kid == 0) {
		ks_cache_epoch_fork_child(mine, &p);
		alarm(30);
		for (;;) {
			pause();
		}
	}
	ks_cache_epoch_fork_parent(&p);
	if (kid < 0) {
		return 14;
	}
	status = ks_epoch_heirs_may_live(mine, 0) ? 0 : 15;   /* else the child's lock is not seen */
	kill(kid, SIGKILL);
	if (waitpid(kid, NULL, 0) != kid || ks_epoch_heirs_may_live(mine, 0)) {
		return 16;                       /* the lock outlived its last heir */
	}
	return status;
}

static void test_heir_fds_above_stdio(void)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		_exit(heir_fds_child());
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "heir_fds_child: status %d\n", status);
	}
}

/*
 * No /proc (a php-fpm pool with chroot=): the heir lock needs
 * /proc/self/fd to open its own description, so a sticky fork there keeps
 * the slot for good (KEPT): after the owner and the child are gone it is
 * still not freed. Runs in a child with a private mount namespace whose
 * /proc is unmounted; needs CAP_SYS_ADMIN (skipped without: exit 77).
 */
static int no_proc_child(void)
{
	ks_cache_epoch *mine = shared(ks_cache_epoch_bytes(1));
	ks_cache_epoch_proc p;
	uint64_t t = now_s();
	pid_t kid;

	if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0
			|| umount2("/proc", MNT_DETACH) != 0) {
		return 77;
	}
	ks_cache_epoch_init(mine, 1, 0);         /* the memfd needs no /proc */
	ks_cache_epoch_proc_init(&p);
	if (mine->heir_fd < 3 || ks_cache_epoch_pin(mine, &p, t, 0) != KS_CACHE_EPOCH_OK) {
		return 10;
	}
	ks_cache_epoch_fork_prepare(mine, &p, t);
	if (!p.sticky || p.heir_fd != -1 || mine->slots[0].sticky != KS_CACHE_EPOCH_STICKY_KEPT) {
		return 11;                       /* no /proc: the heirs cannot be counted */
	}
	kid = fork();
	if (kid == 0) {
		ks_cache_epoch_fork_child(mine, &p);
		_exit(0);
	}
	ks_cache_epoch_fork_parent(&p);
	if (kid < 0 || waitpid(kid, NULL, 0) != kid) {
		return 12;
	}
	ks_cache_epoch_unpin(mine, &p);
	ks_cache_epoch_detach(mine, &p);         /* no heir left, but none can be told */
	if (mine->slots[0].pid != p.pid || mine->slots[0].epoch == 0
			|| ks_cache_epoch_min_pinned(mine, t + 100, UINT64_MAX, 0) == UINT64_MAX) {
		return 13;
	}
	return 0;
}

static void test_heirs_without_proc(void)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		_exit(no_proc_child());
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
		fprintf(stderr, "heirs without /proc: skipped (no CAP_SYS_ADMIN)\n");
		return;
	}
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "no_proc_child: status %d\n", status);
	}
}

/* The maps reader on generated files: sorted mappings with paths of random
 * length (up to 9000 bytes, so lines straddle its 4096-byte reads), a last
 * line with or without its newline; each lookup must find exactly the
 * mapping that holds the address, or none in the gaps. */
static void test_maps_reader(void)
{
	static char name[9001];
	uint64_t lo[64], hi[64];
	unsigned seed;

	for (seed = 1; seed <= 20; seed++) {
		char path[] = "/tmp/ks-maps-XXXXXX";
		unsigned r = seed;
		int fd = mkstemp(path), i, n = 1 + rand_r(&r) % 64;
		uint64_t at = 0x10000;
		FILE *f = fd >= 0 ? fdopen(fd, "w+") : NULL;
		ks_epoch_vma v;
		if (!f) {
			perror("mkstemp");
			exit(2);
		}
		unlink(path);
		for (i = 0; i < n; i++) {
			size_t len = (size_t) (rand_r(&r) % 4 == 0 ? rand_r(&r) % 9000 : rand_r(&r) % 80), j;
			at += 0x1000 * (uint64_t) (rand_r(&r) % 3);         /* a gap, or none */
			lo[i] = at;
			hi[i] = at += 0x1000 * (uint64_t) (1 + rand_r(&r) % 8);
			for (j = 0; j < len; j++) {
				name[j] = (char) (' ' + rand_r(&r) % 95);       /* spaces and ')' too */
			}
			name[len] = '\0';
			fprintf(f, "%llx-%llx rw-s %08x %02x:%02x %u%s%s%s", (unsigned long long) lo[i],
				(unsigned long long) hi[i], (unsigned) (rand_r(&r) % 4096), (unsigned) (i % 256),
				(unsigned) (i % 7), 1000u + (unsigned) i, len ? "   " : "", name,
				i < n - 1 || seed % 2 ? "\n" : "");
		}
		fflush(f);
		for (i = 0; i < n; i++) {
			uint64_t mid = lo[i] + (hi[i] - lo[i]) / 2;
			CHECK(lseek(fd, 0, SEEK_SET) == 0 && ks_epoch_vma_in_fd(fd, mid, &v) == 1);
			CHECK(v.lo == lo[i] && v.hi == hi[i] && v.ino == 1000u + (unsigned) i
				&& v.dev == ((uint64_t) (i % 256) << 32 | (uint64_t) (i % 7)));
			CHECK(lseek(fd, 0, SEEK_SET) == 0 && ks_epoch_vma_in_fd(fd, hi[i] - 1, &v) == 1 && v.lo == lo[i]);
			if (i == 0 || hi[i - 1] < lo[i]) {
				CHECK(lseek(fd, 0, SEEK_SET) == 0 && ks_epoch_vma_in_fd(fd, lo[i] - 1, &v) == 0);
			}
		}
		CHECK(lseek(fd, 0, SEEK_SET) == 0 && ks_epoch_vma_in_fd(fd, hi[n - 1], &v) == 0);
		CHECK(lseek(fd, 0, SEEK_SET) == 0 && ks_epoch_vma_in_fd(fd, 1, &v) == 0);
		fclose(f);
	}
	/* a line that is not of that form: cannot tell */
	{
		int fds[2];
		ks_epoch_vma v;
		CHECK(pipe(fds) == 0);
		CHECK(write(fds[1], "1000-2000 rw-s 0 00:01 7 /x\ngarbage\n", 36) == 36);
		close(fds[1]);
		CHECK(ks_epoch_vma_in_fd(fds[0], 0x5000, &v) == -1);
		close(fds[0]);
	}
}

/* ---- stress: one writer, four readers ------------------------------------------- */

#define NBLOCKS 16   /* > the ring's 12: a block is reused only once freed */
#define WORDS   256
#define POISON  0xdeaddeaddeaddeadULL

typedef struct pool {
	uint64_t current;                 /* index + 1 of the published block, atomic */
	uint64_t stop;
	uint64_t bad, reads, fullfalls;
	uint64_t words[NBLOCKS][WORDS];   /* a block: every word = its generation */
} pool;

static pool *pl;
static int block_used[NBLOCKS];

static void free_block(void *arg, uint32_t off, uint32_t size)
{
	(void) arg;
	(void) size;
	for (uint32_t i = 0; i < WORDS; i++) {
		__atomic_store_n(&pl->words[off][i], POISON, __ATOMIC_RELAXED);
	}
	block_used[off] = 0;
}

static void reader(int id)
{
	ks_cache_epoch_proc p;
	unsigned seed = (unsigned) id * 7919u;

	ks_cache_epoch_proc_init(&p);
	alarm(60);
	while (!__atomic_load_n(&pl->stop, __ATOMIC_SEQ_CST)) {
		uint64_t cur, gen;
		uint32_t rounds = 1 + rand_r(&seed) % 50, i, j;
		if (ks_cache_epoch_pin(ep, &p, now_s(), 0) != KS_CACHE_EPOCH_OK) {
			__atomic_fetch_add(&pl->bad, 1, __ATOMIC_SEQ_CST);
			break;
		}
		cur = __atomic_load_n(&pl->current, __ATOMIC_SEQ_CST);
		if (cur) {
			const uint64_t *w = pl->words[cur - 1];
			gen = __atomic_load_n(&w[0], __ATOMIC_RELAXED);
			for (i = 0; i < rounds; i++) {
				for (j = 0; j < WORDS; j++) {
					if (__atomic_load_n(&w[j], __ATOMIC_RELAXED) != gen || gen == POISON) {
						__atomic_fetch_add(&pl->bad, 1, __ATOMIC_SEQ_CST);
						break;
					}
				}
			}
			__atomic_fetch_add(&pl->reads, 1, __ATOMIC_RELAXED);
		}
		ks_cache_epoch_unpin(ep, &p);
	}
	ks_cache_epoch_detach(ep, &p);
	_exit(0);
}

static void test_stress(void)
{
	pid_t pids[4];
	uint64_t gen = 1, end;
	uint32_t i, cur = NBLOCKS;
	int status;

	fresh(NSLOTS, 12);
	memset(pl, 0, sizeof(*pl));
	memset(block_used, 0, sizeof(block_used));
	for (i = 0; i < 4; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			reader((int) i + 1);
		}
	}
	end = now_s() + 2;
	while (now_s() < end) {
		uint32_t b;
		ks_cache_retire_collect(ep, ring, now_s(), free_block, NULL);
		if (ks_cache_retire_reserve(ring) != KS_CACHE_EPOCH_OK) {
			pl->fullfalls++;              /* the copying form, here: keep the current block */
			usleep(20);
			continue;
		}
		for (b = 0; b < NBLOCKS && block_used[b]; b++) {
		}
		if (b == NBLOCKS) {
			ks_cache_retire_unreserve(ring);
			continue;
		}
		block_used[b] = 1;
		gen++;
		for (i = 0; i < WORDS; i++) {
			pl->words[b][i] = gen;
		}
		__atomic_store_n(&pl->current, (uint64_t) b + 1, __ATOMIC_SEQ_CST);
		if (cur != NBLOCKS) {
			ks_cache_retire_push(ep, ring, cur, WORDS * 8);   /* unlinked just above */
		}
		cur = b;
	}
	__atomic_store_n(&pl->stop, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < 4; i++) {
		CHECK(waitpid(pids[i], &status, 0) == pids[i] && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	CHECK(pl->bad == 0);
	CHECK(pl->reads > 100);
	CHECK(gen > 100);                       /* blocks were replaced and so freed and reused */
	CHECK(ring->freed + ring->count + 1 >= gen - 1);
	CHECK(ring->count <= 12);
	ks_cache_retire_collect(ep, ring, now_s(), free_block, NULL);
	CHECK(ring->count == 0 && ring->bytes == 0);   /* every reader gone: all freed */
	fprintf(stderr, "stress: %llu blocks, %llu reads, %llu ring-full fallbacks\n",
		(unsigned long long) gen, (unsigned long long) pl->reads, (unsigned long long) pl->fullfalls);
}

/* Reads block `cur` (index + 1) until `until` (microseconds of the
 * monotonic clock); counts a poisoned or changed word as bad. */
static void verify_until(uint64_t cur, uint64_t until)
{
	const uint64_t *w = pl->words[cur - 1];
	uint64_t gen = __atomic_load_n(&w[0], __ATOMIC_RELAXED);
	struct timespec ts;
	uint32_t j;

	do {
		for (j = 0; j < WORDS; j++) {
			if (__atomic_load_n(&w[j], __ATOMIC_RELAXED) != gen || gen == POISON) {
				__atomic_fetch_add(&pl->bad, 1, __ATOMIC_SEQ_CST);
				return;
			}
		}
		__atomic_fetch_add(&pl->reads, 1, __ATOMIC_RELAXED);
		clock_gettime(CLOCK_MONOTONIC, &ts);
	} while ((uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u < until);
}

static uint64_t usec_from_now(uint32_t us)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u + us;
}

/* A worker: pins, takes the published block, forks a child (with the
 * hooks) that reads it for a while; then exits at once (its child still
 * reading: the sticky hole), or reads too and leaves cleanly. */
static void fork_worker(unsigned seed)
{
	ks_cache_epoch_proc p;
	uint64_t cur;
	pid_t kid;

	ks_cache_epoch_proc_init(&p);
	alarm(30);
	if (ks_cache_epoch_pin(ep, &p, now_s(), 0) != KS_CACHE_EPOCH_OK
			|| !(cur = __atomic_load_n(&pl->current, __ATOMIC_SEQ_CST))) {
		_exit(0);                        /* no slot: it would copy */
	}
	ks_cache_epoch_fork_prepare(ep, &p, now_s());
	kid = fork();
	if (kid == 0) {
		ks_cache_epoch_fork_child(ep, &p);
		verify_until(cur, usec_from_now(1000 + rand_r(&seed) % 40000));
		if (rand_r(&seed) % 2) {
			ks_cache_epoch_unpin(ep, &p);
			ks_cache_epoch_detach(ep, &p);
		}
		_exit(0);
	}
	ks_cache_epoch_fork_parent(&p);
	if (rand_r(&seed) % 2) {
		_exit(0);                        /* dies pinned, its child reading */
	}
	verify_until(cur, usec_from_now(rand_r(&seed) % 20000));
	ks_cache_epoch_unpin(ep, &p);
	ks_cache_epoch_detach(ep, &p);
	_exit(0);
}

/* Keeps 6 workers running until stop (the children they orphan are the
 * test's to reap: it is their subreaper). */
static void fork_spawner(void)
{
	unsigned seed = 12345;
	int live = 0;

	alarm(60);
	while (!__atomic_load_n(&pl->stop, __ATOMIC_SEQ_CST)) {
		pid_t w;
		while (live > 0 && waitpid(-1, NULL, WNOHANG) > 0) {
			live--;
		}
		if (live >= 6) {
			usleep(200);
			continue;
		}
		seed = seed * 1103515245u + 12345u;
		w = fork();
		if (w == 0) {
			fork_worker(seed);
		}
		live += w > 0;
	}
	while (live > 0 && waitpid(-1, NULL, 0) > 0) {
		live--;
	}
	_exit(0);
}

/*
 * The stress run for the fork paths: a writer replaces and retires blocks
 * (poisoned when freed) while workers pin one, fork a reader of it, and
 * often die at once; with 3 ordinary slots and 1 of reserve for 6 workers
 * and their children, many forks find no slot and read under a sticky one
 * whose owner is gone. No child may see a poisoned block.
 */
static void test_stress_forks(void)
{
	uint64_t gen = 1, end;
	uint32_t i, cur = NBLOCKS;
	pid_t spawner;
	int status;

	fresh_reserve(4, 1, 12);
	memset(pl, 0, sizeof(*pl));
	memset(block_used, 0, sizeof(block_used));
	spawner = fork();
	if (spawner == 0) {
		fork_spawner();
	}
	end = now_s() + 3;
	while (now_s() < end) {
		uint32_t b;
		while (waitpid(-1, NULL, WNOHANG) > 0) {   /* orphaned readers */
		}
		ks_cache_retire_collect(ep, ring, now_s(), free_block, NULL);
		if (ks_cache_retire_reserve(ring) != KS_CACHE_EPOCH_OK) {
			usleep(50);
			continue;
		}
		for (b = 0; b < NBLOCKS && block_used[b]; b++) {
		}
		if (b == NBLOCKS) {
			ks_cache_retire_unreserve(ring);
			continue;
		}
		block_used[b] = 1;
		gen++;
		for (i = 0; i < WORDS; i++) {
			pl->words[b][i] = gen;
		}
		__atomic_store_n(&pl->current, (uint64_t) b + 1, __ATOMIC_SEQ_CST);
		if (cur != NBLOCKS) {
			ks_cache_retire_push(ep, ring, cur, WORDS * 8);
		}
		cur = b;
		usleep(100);
	}
	__atomic_store_n(&pl->stop, 1, __ATOMIC_SEQ_CST);
	CHECK(waitpid(spawner, &status, 0) == spawner && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	for (i = 0; i < 200 && waitpid(-1, NULL, WNOHANG) >= 0; i++) {
		usleep(10000);                   /* the last orphans */
	}
	CHECK(pl->bad == 0);
	CHECK(pl->reads > 100 && gen > 20);     /* bounds that hold under valgrind on a busy box */
	CHECK(ep->fork_shared >= 3);            /* the sticky path ran */
	fprintf(stderr, "stress forks: %llu blocks, %llu reads, %llu sticky forks, %llu reserve, %llu dead freed\n",
		(unsigned long long) gen, (unsigned long long) pl->reads, (unsigned long long) ep->fork_shared,
		(unsigned long long) ep->fork_reserved, (unsigned long long) ep->dead_reclaimed);
}

int main(void)
{
	ep = shared(ks_cache_epoch_bytes(NSLOTS));
	ring = shared(ks_cache_retire_ring_bytes(64));
	pl = shared(sizeof(pool));
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {   /* orphaned grandchildren are ours to reap */
		perror("prctl");
		return 2;
	}
	test_basics();
	test_ring_bounds();
	test_stale_and_noslot();
	test_dead_unpinned_slots_reused();
	test_sigkill();
	test_fork_handover();
	test_fork_sweeps_before_sticky();
	test_exec_child();
	test_sticky_parent_execs();
	test_fork_reserve();
	test_sticky_parent_exits();
	test_sticky_grandchild();
	test_heirs_uncountable();
	test_heir_fds_above_stdio();
	test_heirs_without_proc();
	test_maps_reader();
	test_stress();
	test_stress_forks();
	printf("test_cache_epoch: %d checks, %d failed\n", ks_unit_checks, ks_unit_failures);
	return ks_unit_failures ? 1 : 0;
}
