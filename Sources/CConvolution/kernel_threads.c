// The threads a kernel's job is split across: a persistent pool whose threads spin briefly
// between jobs, then sleep on a futex. Waking a sleeping thread for every layer (what
// `DispatchQueue.concurrentPerform` does) costs tens of microseconds a layer and leaves the
// first part to the caller alone meanwhile; a spinning thread picks the next job up at once.
#define _GNU_SOURCE
#include "ckthreads.h"
#include "ckernels.h"

#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

/// Threads beyond the caller the pool starts at most.
#define MAX_WORKERS 63
/// How long a thread spins for the next job (or for the parts of the others) before it sleeps
/// or yields.
#define SPIN_NANOSECONDS 200000L

static struct {
    pthread_mutex_t busy;                 // held by the caller of a job
    pthread_mutex_t starting;             // held while threads are started
    _Atomic unsigned generation;          // counts jobs; the threads sleep on it
    _Atomic unsigned long long claimed;   // the current job's generation << 32 | parts handed out
    _Atomic int finished;                 // parts of the current job that have run
    _Atomic int sleepers;                 // threads asleep (or about to be) on `generation`
    _Atomic int workers;                  // threads started
    // The current job, written by its caller before it is published and not changed until
    // all its parts have run.
    _Atomic(ckthreads_part) part;
    _Atomic(void *) context;
    _Atomic int parts, threads, limit;
} pool = {.busy = PTHREAD_MUTEX_INITIALIZER, .starting = PTHREAD_MUTEX_INITIALIZER};

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void futex_wait(_Atomic unsigned *word, unsigned expected) {
#if defined(__linux__)
    syscall(SYS_futex, (unsigned *)word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
#else
    (void)word; (void)expected;
    sched_yield();
#endif
}

static void futex_wake_all(_Atomic unsigned *word) {
#if defined(__linux__)
    syscall(SYS_futex, (unsigned *)word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
#else
    (void)word;
#endif
}

/// Takes parts of job `generation` one at a time and runs them, until none is left (or the job
/// is over). Parts are handed out as they are asked for, so the caller runs the parts of a
/// thread that is slow to wake, and no part waits for a thread.
static void run_parts(unsigned generation) {
    for (;;) {
        unsigned long long state = atomic_load_explicit(&pool.claimed, memory_order_acquire);
        if ((unsigned)(state >> 32) != generation) return;
        int index = (int)(state & 0xffffffffULL);
        // Read before the claim, checked by it: a newer job changes `claimed` first.
        int parts = atomic_load_explicit(&pool.parts, memory_order_relaxed);
        if (index >= parts) return;
        if (!atomic_compare_exchange_weak(&pool.claimed, &state, state + 1)) continue;
        // Part `index` is ours; the job cannot end (nor its fields change) until it has run.
        ckernels_limit_instructions(atomic_load_explicit(&pool.limit, memory_order_relaxed));
        atomic_load_explicit(&pool.part, memory_order_relaxed)(
            atomic_load_explicit(&pool.context, memory_order_relaxed), index, parts);
        atomic_fetch_add_explicit(&pool.finished, 1, memory_order_release);
    }
}

/// What a thread is started with.
struct worker_start {
    int index;
    unsigned seen;
};

static void *worker_main(void *argument) {
    // The thread's index (the caller's is 0; a job of `threads` threads uses 1 ..< threads), and
    // the jobs published before it was started (by the caller that starts it, which publishes
    // its own job after): a job published later is one it may take parts of.
    const struct worker_start begin = *(struct worker_start *)argument;
    free(argument);
    const int index = begin.index;
    unsigned seen = begin.seen;
    long start = now_ns();
    for (;;) {
        // Wait for the next job: spin, then sleep until `generation` changes.
        unsigned spins = 0;
        unsigned current;
        while ((current = atomic_load_explicit(&pool.generation, memory_order_acquire)) == seen) {
            cpu_relax();
            if (++spins % 256 == 0 && now_ns() - start > SPIN_NANOSECONDS) {
                atomic_fetch_add(&pool.sleepers, 1);
                if (atomic_load(&pool.generation) == seen) futex_wait(&pool.generation, seen);
                atomic_fetch_sub(&pool.sleepers, 1);
            }
        }
        seen = current;
        if (index < atomic_load_explicit(&pool.threads, memory_order_relaxed)) {
            run_parts(current);
            start = now_ns();  // spins on for the next job; a thread left out sleeps sooner
        }
    }
    return NULL;
}

int ckthreads_awake(void) {
    int awake = atomic_load(&pool.workers) - atomic_load(&pool.sleepers);
    return awake > 0 ? awake : 0;
}

void ckthreads_state(int *workers, int *sleeping) {
    *workers = atomic_load(&pool.workers);
    *sleeping = atomic_load(&pool.sleepers);
}

long ckthreads_spin_nanoseconds(void) { return SPIN_NANOSECONDS; }

int ckthreads_cpus(void) {
    static _Atomic int cpus = 0;
    int known = atomic_load_explicit(&cpus, memory_order_relaxed);
    if (known > 0) return known;
    int count = 1;
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) count = CPU_COUNT(&set);
#endif
    atomic_store_explicit(&cpus, count, memory_order_relaxed);
    return count;
}

/// Starts threads until there are `wanted` (at most MAX_WORKERS); returns how many there are.
static int start_workers(int wanted) {
    if (wanted > MAX_WORKERS) wanted = MAX_WORKERS;
    int have = atomic_load_explicit(&pool.workers, memory_order_acquire);
    if (have >= wanted) return have;
    pthread_mutex_lock(&pool.starting);
    have = atomic_load(&pool.workers);
    while (have < wanted) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        // The caller holds `busy`: no job is published until its own, after the thread started.
        struct worker_start *begin = malloc(sizeof *begin);
        if (!begin) break;
        *begin = (struct worker_start){.index = have + 1, .seen = atomic_load(&pool.generation)};
        int failed = pthread_create(&thread, &attributes, worker_main, begin);
        pthread_attr_destroy(&attributes);
        if (failed) {
            free(begin);
            break;
        }
        have += 1;
        atomic_store_explicit(&pool.workers, have, memory_order_release);
    }
    pthread_mutex_unlock(&pool.starting);
    return have;
}

void ckthreads_run(int parts, int threads, ckthreads_part part, void *context) {
    if (parts <= 0) return;
    if (threads > parts) threads = parts;
    if (threads > ckthreads_cpus()) threads = ckthreads_cpus();
    if (threads > 1 && pthread_mutex_trylock(&pool.busy) == 0) {
        if (start_workers(threads - 1) > 0) {
            atomic_store_explicit(&pool.part, part, memory_order_relaxed);
            atomic_store_explicit(&pool.context, context, memory_order_relaxed);
            atomic_store_explicit(&pool.parts, parts, memory_order_relaxed);
            atomic_store_explicit(&pool.threads, threads, memory_order_relaxed);
            atomic_store_explicit(&pool.limit, ckernels_instruction_limit(), memory_order_relaxed);
            atomic_store_explicit(&pool.finished, 0, memory_order_relaxed);
            unsigned generation = atomic_load_explicit(&pool.generation, memory_order_relaxed) + 1;
            atomic_store_explicit(&pool.claimed, (unsigned long long)generation << 32, memory_order_release);
            atomic_store(&pool.generation, generation);  // sequentially consistent: see `sleepers`
            if (atomic_load(&pool.sleepers) > 0) futex_wake_all(&pool.generation);
            const int limit = ckernels_instruction_limit();
            run_parts(generation);
            ckernels_limit_instructions(limit);
            long start = now_ns();
            unsigned spins = 0;
            while (atomic_load_explicit(&pool.finished, memory_order_acquire) < parts) {
                cpu_relax();
                // A thread that lost its CPU (to another process, or to this one when both run
                // on one core) needs it back: yield now and then instead of spinning on.
                if (++spins % 256 == 0 && now_ns() - start > SPIN_NANOSECONDS) sched_yield();
            }
            pthread_mutex_unlock(&pool.busy);
            return;
        }
        pthread_mutex_unlock(&pool.busy);
    }
    for (int i = 0; i < parts; i++) part(context, i, parts);
}
