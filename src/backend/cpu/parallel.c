/* backend/cpu/parallel.c - the CPU backend's own thread pool.
 *
 * Why not OpenMP: libgomp's workers busy-wait between parallel regions
 * (OMP_WAIT_POLICY=active by default), and a training step is thousands of
 * small regions separated by serial graph work. On shared or oversubscribed
 * cores that spinning takes the cores away from the thread doing the work
 * (measured 10x slower); the passive policy fixes that but is read only when
 * libgomp loads, so a library cannot choose it.
 *
 * The pool:
 *   - (threads - 1) workers, created on the first parallel call; the caller
 *     takes a share of the work itself.
 *   - A job is fn over [0, n) cut into chunks; threads claim chunks one at a
 *     time (a thread the OS holds back delays one chunk, not a static share).
 *   - Idle workers spin on a pause instruction for CMLX_SPIN_US (default 20)
 *     microseconds, then sleep on a futex; the caller wakes only as many
 *     sleepers as there are chunks for them.
 *   - One job at a time: a call made while another user thread's job runs,
 *     or from inside a job (nested), runs serially on its own thread.
 *   - Threads: CMLX_NUM_THREADS, else OMP_NUM_THREADS (its first value), else
 *     the CPUs of the affinity mask. Joined at exit; reset in a forked child.
 *
 * Claims: one 64-bit word holds (job generation, next chunk, chunk count).
 * A worker claims with a compare-and-swap against the generation it saw, so
 * a late worker can never take a chunk of a newer job nor read a job
 * description that is being rewritten: the description is only read after a
 * successful claim, and the caller rewrites it only once every claimed chunk
 * has finished. */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "backend/cpu/cpu.h"

#define MAX_THREADS 512
#define GEN_BITS 24
#define IDX_BITS 20
#define MAX_CHUNKS ((1 << IDX_BITS) - 1)
#define DEFAULT_SPIN_US 20

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static void futex_wait(atomic_uint *addr, unsigned expected) {
    syscall(SYS_futex, (unsigned *)addr, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}

static void futex_wake(atomic_uint *addr, int count) {
    syscall(SYS_futex, (unsigned *)addr, FUTEX_WAKE_PRIVATE, count, NULL, NULL, 0);
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- configuration -------------------------------------------------------------------------------- */
static atomic_int g_threads = 1; /* set by read_config, cpu_set_num_threads */
static int64_t g_spin_ns = DEFAULT_SPIN_US * 1000;
static pthread_once_t g_config_once = PTHREAD_ONCE_INIT;

/* A positive integer at the start of s (OMP_NUM_THREADS may be a list), or 0. */
static long leading_count(const char *s) {
    if (!s)
        return 0;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    return errno == 0 && end != s && v > 0 ? v : 0;
}

static void read_config(void) {
    long n = leading_count(getenv("CMLX_NUM_THREADS"));
    if (n == 0)
        n = leading_count(getenv("OMP_NUM_THREADS"));
    if (n == 0) {
        cpu_set_t set;
        if (sched_getaffinity(0, sizeof set, &set) == 0)
            n = CPU_COUNT(&set);
    }
    if (n == 0)
        n = sysconf(_SC_NPROCESSORS_ONLN);
    atomic_store(&g_threads, n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n);
    const char *spin = getenv("CMLX_SPIN_US");
    if (spin) {
        char *end;
        long us = strtol(spin, &end, 10);
        if (end != spin && us >= 0 && us <= 1000000)
            g_spin_ns = us * 1000;
    }
}

int cpu_num_threads(void) {
    pthread_once(&g_config_once, read_config);
    return atomic_load_explicit(&g_threads, memory_order_relaxed);
}

/* ---- the pool --------------------------------------------------------------------------------------- */
typedef struct pool {
    pthread_mutex_t lock; /* held by the thread whose job the pool runs */
    bool started;
    int nworkers;
    pthread_t *workers;
    atomic_bool stop;
    /* the job, written by the caller before it publishes `claim` */
    cpu_range_fn fn;
    void *ctx;
    int64_t n, chunk;
    _Atomic uint64_t claim;  /* gen | next chunk | chunk count */
    atomic_uint remaining;   /* chunks not yet finished */
    atomic_uint slots;       /* threads that have claimed a chunk of the job */
    atomic_uint caller_wait; /* the caller sleeps on `remaining` */
    atomic_uint wake_seq;    /* bumped per job; idle workers sleep on it */
    atomic_uint sleepers;
    uint32_t gen;
} pool;

static pool g_pool = {.lock = PTHREAD_MUTEX_INITIALIZER};
static _Thread_local bool tl_in_job; /* running a chunk of a pool job */
static _Thread_local int tl_slot;    /* this thread's slot in the current job */

static inline uint32_t word_gen(uint64_t w) { return (uint32_t)(w >> (2 * IDX_BITS)); }
static inline uint32_t word_next(uint64_t w) { return (uint32_t)(w >> IDX_BITS) & MAX_CHUNKS; }
static inline uint32_t word_total(uint64_t w) { return (uint32_t)w & MAX_CHUNKS; }
static inline uint64_t make_word(uint32_t gen, uint32_t next, uint32_t total) {
    return (uint64_t)(gen & ((1u << GEN_BITS) - 1)) << (2 * IDX_BITS) | (uint64_t)next << IDX_BITS | total;
}

int cpu_thread_slot(void) { return tl_slot; }

bool cpu_parallel_available(void) { return !tl_in_job && cpu_num_threads() > 1; }

/* Claim and run chunks of job `gen` until none is left. A thread's first
 * claim gives it its slot: slots stay below min(threads, chunks). */
static void run_chunks(pool *p, uint32_t gen) {
    uint64_t w = atomic_load(&p->claim);
    bool claimed = false;
    for (;;) {
        if (word_gen(w) != gen || word_next(w) >= word_total(w))
            return;
        if (!atomic_compare_exchange_weak(&p->claim, &w, w + ((uint64_t)1 << IDX_BITS)))
            continue; /* w now holds the current word */
        if (!claimed) {
            claimed = true;
            tl_slot = (int)atomic_fetch_add(&p->slots, 1);
        }
        int64_t c = word_next(w), begin = c * p->chunk, end = begin + p->chunk < p->n ? begin + p->chunk : p->n;
        p->fn(begin, end, p->ctx);
        if (atomic_fetch_sub(&p->remaining, 1) == 1 && atomic_load(&p->caller_wait))
            futex_wake(&p->remaining, 1);
        w = atomic_load(&p->claim);
    }
}

/* arg: the generation of the last job before the worker started. */
static void *worker_main(void *arg) {
    pool *p = &g_pool;
    tl_in_job = true; /* anything a chunk calls runs serially */
    uint32_t seen = (uint32_t)(uintptr_t)arg;
    for (;;) {
        if (atomic_load(&p->stop))
            return NULL;
        uint32_t gen = word_gen(atomic_load(&p->claim));
        if (gen != seen) {
            seen = gen;
            run_chunks(p, gen);
            continue;
        }
        /* idle: spin briefly, then sleep until the next job */
        int64_t deadline = now_ns() + g_spin_ns;
        bool fresh = false;
        for (int i = 0; !fresh; i++) {
            cpu_relax();
            fresh = word_gen(atomic_load(&p->claim)) != seen || atomic_load(&p->stop);
            if ((i & 63) == 63 && now_ns() > deadline)
                break;
        }
        if (fresh)
            continue;
        atomic_fetch_add(&p->sleepers, 1);
        unsigned seq = atomic_load(&p->wake_seq);
        if (word_gen(atomic_load(&p->claim)) == seen && !atomic_load(&p->stop))
            futex_wait(&p->wake_seq, seq);
        atomic_fetch_sub(&p->sleepers, 1);
    }
}

/* With p->lock held: stop and join the workers (the pool starts again on
 * the next parallel call). */
static void stop_workers(pool *p) {
    if (p->nworkers > 0) {
        atomic_store(&p->stop, true);
        atomic_fetch_add(&p->wake_seq, 1);
        futex_wake(&p->wake_seq, INT_MAX);
        for (int i = 0; i < p->nworkers; i++)
            pthread_join(p->workers[i], NULL);
        atomic_store(&p->stop, false);
    }
    free(p->workers);
    p->workers = NULL;
    p->nworkers = 0;
    p->started = false;
}

static void pool_shutdown(void) {
    pool *p = &g_pool;
    /* A job still running on another thread (or exit called from inside a
     * chunk): leave the workers to the process's end rather than wait. */
    if (pthread_mutex_trylock(&p->lock) != 0)
        return;
    stop_workers(p);
    pthread_mutex_unlock(&p->lock);
}

void cpu_set_num_threads(int n) {
    pthread_once(&g_config_once, read_config);
    if (tl_in_job) /* from inside a job: the pool is busy with it */
        return;
    pool *p = &g_pool;
    pthread_mutex_lock(&p->lock); /* waits for another thread's job */
    stop_workers(p);
    atomic_store(&g_threads, n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n);
    pthread_mutex_unlock(&p->lock);
}

/* In a forked child only the forking thread exists: forget the workers
 * (the pool starts again on the child's first parallel call). */
static void pool_after_fork_child(void) {
    pool *p = &g_pool;
    pthread_mutex_init(&p->lock, NULL);
    free(p->workers);
    p->workers = NULL;
    p->nworkers = 0;
    p->started = false;
    atomic_store(&p->stop, false);
    atomic_store(&p->remaining, 0);
    atomic_store(&p->caller_wait, 0);
    atomic_store(&p->sleepers, 0);
    tl_in_job = false;
    tl_slot = 0;
}

/* With p->lock held: start the workers (as many as can be created). */
static void pool_start(pool *p) {
    p->started = true;
    int want = cpu_num_threads() - 1;
    if (want < 1)
        return;
    p->workers = malloc(sizeof(pthread_t) * (size_t)want);
    if (!p->workers)
        return;
    static bool registered;
    if (!registered) {
        registered = atexit(pool_shutdown) == 0;
        pthread_atfork(NULL, NULL, pool_after_fork_child);
    }
    /* workers take no signals: they belong to the application's threads */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    for (int i = 0; i < want; i++) {
        if (pthread_create(&p->workers[i], NULL, worker_main, (void *)(uintptr_t)p->gen) != 0)
            break;
        p->nworkers++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (p->nworkers == 0) {
        free(p->workers);
        p->workers = NULL;
    }
}

/* fn over [0, n) on this thread alone, as slot 0 of its own job. */
static void run_serial(int64_t n, cpu_range_fn fn, void *ctx) {
    bool in_job = tl_in_job;
    int slot = tl_slot;
    tl_in_job = true;
    tl_slot = 0;
    fn(0, n, ctx);
    tl_in_job = in_job;
    tl_slot = slot;
}

void cpu_parallel_chunks(int64_t n, int64_t chunk, cpu_range_fn fn, void *ctx) {
    if (n <= 0)
        return;
    if (chunk < 1)
        chunk = 1;
    int64_t nchunks = (n + chunk - 1) / chunk;
    if (nchunks > MAX_CHUNKS) {
        chunk = (n + MAX_CHUNKS - 1) / MAX_CHUNKS;
        nchunks = (n + chunk - 1) / chunk;
    }
    pool *p = &g_pool;
    if (nchunks < 2 || cpu_num_threads() < 2 || tl_in_job || pthread_mutex_trylock(&p->lock) != 0) {
        run_serial(n, fn, ctx);
        return;
    }
    if (!p->started)
        pool_start(p);
    if (p->nworkers == 0) {
        pthread_mutex_unlock(&p->lock);
        run_serial(n, fn, ctx);
        return;
    }
    p->fn = fn;
    p->ctx = ctx;
    p->n = n;
    p->chunk = chunk;
    p->gen = (p->gen + 1) & ((1u << GEN_BITS) - 1);
    atomic_store(&p->remaining, (unsigned)nchunks);
    atomic_store(&p->slots, 0);
    atomic_store(&p->claim, make_word(p->gen, 0, (uint32_t)nchunks));
    atomic_fetch_add(&p->wake_seq, 1);
    if (atomic_load(&p->sleepers) > 0)
        futex_wake(&p->wake_seq, (int)(nchunks - 1 < p->nworkers ? nchunks - 1 : p->nworkers));

    tl_in_job = true;
    run_chunks(p, p->gen);
    tl_in_job = false;
    tl_slot = 0;

    /* wait for the chunks other threads claimed: spin briefly, then sleep */
    if (atomic_load(&p->remaining) != 0) {
        int64_t deadline = now_ns() + g_spin_ns;
        for (int i = 0; atomic_load(&p->remaining) != 0; i++) {
            cpu_relax();
            if ((i & 63) == 63 && now_ns() > deadline)
                break;
        }
        atomic_store(&p->caller_wait, 1);
        unsigned r;
        while ((r = atomic_load(&p->remaining)) != 0)
            futex_wait(&p->remaining, r);
        atomic_store(&p->caller_wait, 0);
    }
    pthread_mutex_unlock(&p->lock);
}

void cpu_parallel_for(int64_t n, int64_t grain, cpu_range_fn fn, void *ctx) {
    if (n <= 0)
        return;
    if (grain < 1)
        grain = 1;
    int threads = cpu_num_threads();
    int64_t max_chunks = n / grain;
    if (max_chunks < 2 || threads < 2) {
        run_serial(n, fn, ctx);
        return;
    }
    /* a few chunks per thread: a thread held back by the OS costs one chunk */
    int64_t nchunks = 4 * (int64_t)threads;
    if (nchunks > max_chunks)
        nchunks = max_chunks;
    cpu_parallel_chunks(n, (n + nchunks - 1) / nchunks, fn, ctx);
}
