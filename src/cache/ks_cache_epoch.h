/*
 * ks_cache_epoch.h: epoch-based reclamation of shared blocks that requests
 * use in place (zero-copy fetch, issue 13).
 *
 * The problem: a zero-copy fetch hands the request pointers into an arena
 * block (ks_cache_immutable.h). When the entry is deleted, overwritten,
 * evicted, expired or cleared, other processes may still be reading that
 * block, so it must not be reused until none can. Nobody counts references
 * (a per-fetch refcount would be a shared write on every read, and a process
 * killed in a request would leak it); instead:
 *
 * Epochs. `global` is a counter that only grows (starts at 1). A process's
 * first zero-copy fetch of a request PINS: it claims a process slot (once
 * per process) and stores the current global epoch in it, then reads the
 * table. It keeps that epoch until the request is over (UNPIN, from
 * post-deactivate, after every module's RSHUTDOWN and the destruction of
 * every variable, so nothing can read a block any more). A writer that
 * unlinks a block RETIRES it: under the shard's lock it records the block
 * with retire epoch r = global, incremented atomically (r is the value
 * before the increment). The block may be freed once every pinned slot holds
 * an epoch > r: such a process read `global` after the increment, which came
 * after the unlink, so it cannot have found the block (the pin's store, a
 * full fence, then the table reads; the writer's unlink, the increment, then
 * the slot reads: sequentially consistent, Dekker-style). A process pinned
 * at e <= r may hold it, for as long as its request lasts.
 *
 * Slots (one per process, its own cache line): pid (0 = free; claimed by a
 * compare-and-swap 0 -> pid, so no lock), the owner's start time (field 22 of
 * /proc/<pid>/stat, against pid reuse), the pinned epoch (0 = not pinned) and
 * the second it pinned. Nothing here ever waits: a pin is two stores, an
 * unpin one (a sticky owner's, a lock query too); collectors only read
 * slots, except to free a dead one.
 *
 * Dead processes. A process killed inside a request leaves its slot pinned.
 * A collector that finds a slot blocking it, pinned for more than
 * KS_CACHE_EPOCH_CHECK_SECS, checks its owner: kill(pid, 0) failing with
 * ESRCH, a zombie or dead state, or a start time that differs (the pid was
 * reused) means dead, and the slot is freed (CAS pid -> RECLAIMING, clear,
 * pid -> 0, so two collectors never both clear it and never clear a new
 * owner's pin). A process killed between requests (unpinned) blocks nobody,
 * but would keep its slot: when no slot is free, a pin first frees the slots
 * of dead owners (at most once a second per process).
 *
 * Owners that no longer map the segment. A live owner whose address space
 * no longer holds the segment (it exec()ed another program: a proc_open()
 * or pcntl_fork()+pcntl_exec() child that took its parent's handover slot)
 * can never read a block again, nor get the mapping back (an anonymous
 * shared mapping passes only through fork, to a new pid), so its slot is
 * freed as a dead one's. The proof is /proc/<pid>/maps: init records the
 * mapping that holds the region (device and inode of the shared anonymous
 * mapping, in map_dev/map_ino), and an owner is unmapped when no line of
 * its maps at the region's address has them. The same start time read
 * before and after the maps tells that they were the owner's. Whatever
 * cannot be read (another user's non-dumpable process, a hidden /proc, an
 * unknown identity) counts as mapped. A maps read costs tens of
 * microseconds, so it is made only in the liveness check (a blocking slot
 * older than KS_CACHE_EPOCH_CHECK_SECS, or the sweep), and an owner seen
 * mapping the segment (or whose maps could not be read) is not read again
 * for KS_CACHE_EPOCH_MAP_SECS (mapped_seen).
 *
 * Fork. A pcntl_fork() child inherits its parent's zvals, so it may hold the
 * parent's blocks although it never pinned; the parent may end its request
 * at any time after fork() returns. So the parent, before fork (the atfork
 * prepare hook), claims a HANDOVER slot pinned at its own epoch, owned by the
 * parent's pid; the child, first thing (the atfork child hook), takes it over
 * (pid -> the child's pid). A handover slot never taken over (the fork
 * failed) is dead after KS_CACHE_EPOCH_HANDOVER_SECS. A child that exec()s
 * another program (proc_open() forks, and takes the handover before its
 * exec) stops mapping the segment, and its slot is freed as above, however
 * long it runs.
 *
 * The reserve. The last `reserve` slots are taken only by the fork hook: an
 * ordinary pin that finds the others owned gets NOSLOT (it copies, which
 * costs it nothing but speed), while a fork child cannot copy what it
 * inherits. A handover takes an ordinary slot, else one freed from a dead
 * owner (the sweep), else a reserve slot (counted in fork_reserved).
 *
 * Sticky slots and heirs. With the reserve owned too, the child gets no slot:
 * the parent's own slot turns STICKY (keeps its epoch after the request, so
 * the parent's later requests pin at it too), and the child and whatever it
 * forks are its HEIRS, read under it (counted in fork_shared). Heirs are
 * counted by the kernel, not here: init creates a small HEIR FILE (a memfd,
 * O_CLOEXEC) that every process of the segment inherits at the same fd
 * number (heir_fd, checked against heir_dev/heir_ino before each use). At a
 * sticky fork the parent opens a new open file description of it
 * (/proc/self/fd/<heir_fd>) and takes an OFD read lock on the byte at its
 * slot's index; the child inherits that description, and so does every
 * process the child forks; the parent closes its own copy after fork(). An
 * OFD lock lives as long as one descriptor of its description is open, so
 * the byte stays locked exactly while an heir lives and has not exec()ed
 * (the close-on-exec drops it): a process cannot keep its parent's blocks
 * without holding the lock, and the lock cannot outlive the last heir. A
 * collector that finds a sticky slot's owner dead, or exec()ed, asks the
 * kernel (F_OFD_GETLK on heir_fd, whose own description holds no lock) and
 * keeps the slot while the byte is locked; the owner itself drops the
 * stickiness at the end of a request that pinned (unpin) or at detach, when
 * it finds no heir left; until then an idle owner's slot keeps its epoch
 * (collectors cannot tell whether a live owner reads under it). Descriptors
 * of the heir file are never numbered 0-2 (a process started with those
 * closed would write its output into it, or have it replaced). A child that
 * takes a slot of its own in the child hook (one became free) pins it at
 * the parent's epoch and still keeps its copy of the lock (closing it would
 * race a collector that read the child's slot before the pin and the
 * parent's after the close). When the heirs cannot
 * be counted (no memfd or OFD locks, no /proc to reopen the file, no free
 * descriptor) the slot is marked sticky = KS_CACHE_EPOCH_STICKY_KEPT and kept
 * for the segment's life: its epoch then holds every block retired after it
 * (the copying fallback of long requests, below), never a block freed
 * early. What is left open: an heir that closes descriptors it did not open
 * (FFI's close(), or an extension), or a process created without the C
 * library's fork hooks (a raw clone), holds blocks unseen.
 *
 * Long requests. A request that never ends (a CLI worker looping forever)
 * holds its epoch forever, and no scheme can take back a pointer it already
 * has, so every block retired after it pinned stays allocated. The choice
 * made here bounds that instead of pretending to reclaim it: the retire rings
 * are bounded (below), so such a process holds at most ring-capacity blocks
 * per shard; once a shard's ring is full, the shard stores new values in the
 * copying form (no new zero-copy blocks there), and eviction counts the
 * retired bytes, so the cache keeps working with copies. The shard layer
 * also bounds a shard's zero-copy bytes, live and retired (ring `live` and
 * `bytes`), to a share of its arena, and places them in a region of their
 * own (KS_CACHE_ZC_SHARE, ks_cache_shard.h): eviction cannot make room from
 * blocks a pinned reader holds, nor can anything move them, so the rest of
 * the arena is kept for copies, in one run once the evictable entries are
 * gone, and a full shard under pinned readers takes stores. In addition a pin
 * older than max_pin seconds is STALE: ks_cache_epoch_pin() tells that
 * process to copy for the rest of its request, so a request that runs for
 * minutes stops adding zero-copy values to what it holds, and scans count
 * such pins (stale_seen) for the statistics. The next request pins afresh.
 * Nothing here ever blocks a writer or frees a block early.
 *
 * Retire rings (one per shard, inside the caller's shard lock): a FIFO of
 * (retire epoch, arena offset, bytes). Records enter in retire-epoch order
 * (the increment is taken under the shard lock), so the reclaimable ones are
 * a prefix. Capacity is reserved up front: a TICKET is taken when an
 * immutable block is created, and retiring that block turns its ticket into
 * a record, so retiring never fails and never allocates; no ticket (the ring
 * full of records and tickets) means: store in the copying form.
 *
 * No PHP headers, no locks of its own (the heir lock is a kernel record,
 * taken without waiting: nobody takes a conflicting one), no allocation: the
 * region lives in the shared segment and the caller lays it out; the one
 * resource is the heir file's descriptor, made by init.
 */
#ifndef KS_CACHE_EPOCH_H
#define KS_CACHE_EPOCH_H

#include <stddef.h>
#include <stdint.h>

#define KS_CACHE_EPOCH_MAGIC          0x6b736570u /* "ksep" */
#define KS_CACHE_EPOCH_CHECK_SECS     1   /* pins younger than this are not liveness-checked */
#define KS_CACHE_EPOCH_HANDOVER_SECS  60  /* a handover slot no child took is dead after this */
#define KS_CACHE_EPOCH_MAP_SECS       2   /* an owner seen mapping the segment is not re-read for this */
#define KS_CACHE_EPOCH_RECLAIMING     (-1) /* slot pid while a collector frees it */
#define KS_CACHE_EPOCH_STICKY_HEIRS   1   /* slot sticky: heirs counted by the heir lock */
#define KS_CACHE_EPOCH_STICKY_KEPT    2   /* slot sticky: heirs uncountable, kept for good */

typedef enum ks_cache_epoch_status {
	KS_CACHE_EPOCH_OK = 0,
	KS_CACHE_EPOCH_NOSLOT,   /* every slot is owned by a live process: copy */
	KS_CACHE_EPOCH_STALE,    /* our pin is older than max_pin: copy until unpin */
	KS_CACHE_EPOCH_FULL      /* the ring has no free ticket: use the copying form */
} ks_cache_epoch_status;

typedef struct ks_cache_epoch_slot {
	int32_t pid;             /* 0 free, RECLAIMING while freed, else the owner */
	uint32_t handover;       /* 1: claimed by a parent for a child not started yet */
	uint64_t start;          /* owner's start time in clock ticks since boot, 0 unknown */
	uint64_t epoch;          /* pinned epoch, 0 = not pinned */
	uint64_t pinned_at;      /* unix second of the pin (or of the handover) */
	uint64_t mapped_seen;    /* unix second a collector last saw the owner map the
	                          * segment, 0 never (a hint: a stale one only delays) */
	uint64_t sticky;         /* 0, or KS_CACHE_EPOCH_STICKY_*: the owner's slot turned
	                          * sticky at a fork (atomic): its heirs read under it */
	uint64_t pad[2];
} ks_cache_epoch_slot;

typedef struct ks_cache_epoch {
	uint32_t magic;
	uint32_t nslots;         /* every slot, the reserve included */
	uint32_t hwm;            /* slots [0, hwm) were ever claimed (grows, atomic) */
	uint32_t reserve;        /* slots [nslots - reserve, nslots) are for fork children only */
	uint64_t dead_reclaimed; /* slots freed from dead owners (atomic) */
	uint64_t stale_seen;     /* scans that met a pin older than their max_pin (atomic) */
	uint64_t unmapped_reclaimed; /* slots freed from live owners that no longer map the
	                          * segment: they exec()ed (atomic) */
	uint64_t map_dev;        /* the mapping holding this region, as /proc/<pid>/maps shows */
	uint64_t map_ino;        /* it: device (major << 32 | minor) and inode; map_ino 0:
	                          * unknown (no /proc, a private mapping), nobody is unmapped */
	uint64_t fork_reserved;  /* handovers that took a reserve slot (atomic) */
	uint64_t fork_shared;    /* forks that left the child no slot: it reads under its
	                          * parent's sticky one (atomic) */
	int32_t heir_fd;         /* the heir file, at this number in every process that
	                          * inherited it; -1 none (set by init only) */
	uint32_t pad;
	uint64_t heir_dev;       /* its identity (fstat), checked before each use */
	uint64_t heir_ino;
	uint64_t global __attribute__((aligned(64))); /* the current epoch, >= 1, atomic */
	ks_cache_epoch_slot slots[] __attribute__((aligned(64)));
} ks_cache_epoch;

/* A process's own view of its slot (process-local memory, not shared). */
typedef struct ks_cache_epoch_proc {
	int32_t pid;             /* whose slot `slot` is: a fork child re-claims */
	int32_t slot;            /* our slot, -1 none yet */
	int32_t fork_slot;       /* the handover slot prepared for a child, -1 none */
	int32_t sticky;          /* 1: our slot keeps its epoch while heirs may read under it */
	int32_t heir_fd;         /* our copy of the heir lock taken for the child being
	                          * forked (closed after fork), -1 none */
	int32_t pad;
	uint64_t pinned;         /* the epoch pinned in this request, 0 none */
	uint64_t pinned_at;
	uint64_t start;          /* our start time (read once) */
} ks_cache_epoch_proc;

typedef struct ks_cache_retired {
	uint64_t epoch;          /* retire epoch */
	uint32_t off;            /* arena offset of the block (the shard is the ring's) */
	uint32_t size;           /* its bytes, for accounting */
} ks_cache_retired;

typedef struct ks_cache_retire_ring {
	uint32_t cap;            /* records */
	uint32_t head;           /* index of the oldest record */
	uint32_t count;          /* records held */
	uint32_t tickets;        /* live blocks that may be retired later; tickets + count <= cap */
	uint64_t bytes;          /* bytes retired and not yet freed */
	uint64_t live;           /* bytes of the live blocks holding tickets (kept by the
	                          * shard layer: a shard's zero-copy budget, ks_cache_shard.h) */
	uint64_t retired;        /* counters since init */
	uint64_t freed;
	ks_cache_retired rec[];
} ks_cache_retire_ring;

/* Bytes of a region with nslots slots; of a ring with cap records. */
size_t ks_cache_epoch_bytes(uint32_t nslots);
size_t ks_cache_retire_ring_bytes(uint32_t cap);

/* Lays out the region (zeroed memory, 64-aligned): global = 1, every slot
 * free, the last `reserve` of the nslots for fork children; records the
 * identity of the mapping that holds it (/proc/self/maps) for the
 * unmapped-owner check, and creates the heir file (a descriptor of the
 * calling process, inherited by the processes it forks; none when memfd_create
 * fails: sticky slots are then kept for good). Call in the process that
 * mapped it, before it forks the others. */
void ks_cache_epoch_init(ks_cache_epoch *e, uint32_t nslots, uint32_t reserve);
/* Closes the calling process's descriptor of the heir file (a process done
 * with the segment: MSHUTDOWN, or a failed init). */
void ks_cache_epoch_release(ks_cache_epoch *e);
void ks_cache_retire_init(ks_cache_retire_ring *r, uint32_t cap);

/* Fills *p for the calling process (no slot yet). Reads /proc/self/stat. */
void ks_cache_epoch_proc_init(ks_cache_epoch_proc *p);

/*
 * Pins for the current request, at the first zero-copy fetch; again in the
 * same request it only checks the age. OK: the caller may hand out blocks
 * found by table reads made after this call. NOSLOT / STALE: copy instead.
 * now: unix seconds; max_pin: seconds (0 = no limit).
 */
ks_cache_epoch_status ks_cache_epoch_pin(ks_cache_epoch *e, ks_cache_epoch_proc *p, uint64_t now, uint64_t max_pin);

/* Ends the request's pin (no-op when not pinned). Call when nothing in the
 * process can read a block handed out in the request any more. */
void ks_cache_epoch_unpin(ks_cache_epoch *e, ks_cache_epoch_proc *p);

/* Frees our slot (MSHUTDOWN of a process that ends normally); a sticky one
 * only when no heir is left. */
void ks_cache_epoch_detach(ks_cache_epoch *e, ks_cache_epoch_proc *p);

/* atfork hooks: prepare (parent, before fork), parent and child (after). */
void ks_cache_epoch_fork_prepare(ks_cache_epoch *e, ks_cache_epoch_proc *p, uint64_t now);
void ks_cache_epoch_fork_parent(ks_cache_epoch_proc *p);
void ks_cache_epoch_fork_child(ks_cache_epoch *e, ks_cache_epoch_proc *p);

/*
 * The smallest epoch pinned by a live process that maps the segment,
 * UINT64_MAX when none. Slots pinned at <= need for longer than
 * KS_CACHE_EPOCH_CHECK_SECS get a liveness check, and the slots of dead or
 * unmapped owners are freed. max_pin (0 = none) only counts stale pins.
 */
uint64_t ks_cache_epoch_min_pinned(ks_cache_epoch *e, uint64_t now, uint64_t need, uint64_t max_pin);

/* 1 when every live slot has moved past epoch (a block retired at it may be freed). */
int ks_cache_epoch_reclaimable(ks_cache_epoch *e, uint64_t epoch, uint64_t now);
/* The same, checking every blocking owner's liveness whatever its pin's age
 * (a syscall or two per blocking slot): for rare, urgent cases such as a
 * shard quarantined after a crash, where the dead should not hold it a second. */
int ks_cache_epoch_reclaimable_checked(ks_cache_epoch *e, uint64_t epoch, uint64_t now);

/* ---- retire rings: every call with the owning shard's lock held ---- */

/* A ticket for a new immutable block, or FULL (use the copying form). */
ks_cache_epoch_status ks_cache_retire_reserve(ks_cache_retire_ring *r);
/* Gives back a ticket whose block was freed unseen (the store failed). */
void ks_cache_retire_unreserve(ks_cache_retire_ring *r);
/* Retires a block that held a ticket (never fails): returns its retire epoch. */
uint64_t ks_cache_retire_push(ks_cache_epoch *e, ks_cache_retire_ring *r, uint32_t off, uint32_t size);

typedef void (*ks_cache_retire_free_fn)(void *arg, uint32_t off, uint32_t size);
/* Frees (through free_fn) every record no live pin can hold; returns how many. */
uint32_t ks_cache_retire_collect(ks_cache_epoch *e, ks_cache_retire_ring *r, uint64_t now,
	ks_cache_retire_free_fn free_fn, void *arg);

#endif
