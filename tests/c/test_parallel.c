/* tests/c/test_parallel.c - the CPU backend's thread pool (parallel.c) and
 * the pooled GEMM (gemm.c): every index exactly once, slots unique among the
 * running threads, nested calls serial, several user threads at once, the
 * sleep/wake path, a forked child, and blocked GEMM against a plain loop.
 * Runs with CMLX_NUM_THREADS=4 (set before the pool starts), so the workers
 * outnumber the cores of a small machine. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* clock_gettime, usleep, setenv, fork beside strict C11 */
#endif
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/cpu/cpu.h"
#include "check.h"

#define THREADS 4

/* ---- coverage ------------------------------------------------------------------------------------- */
typedef struct cover_ctx {
    atomic_int *hits;
    int64_t chunk; /* 0: any ranges; else ranges must be whole chunks */
    atomic_int bad_range;
} cover_ctx;

static void cover(int64_t begin, int64_t end, void *vctx) {
    cover_ctx *c = vctx;
    if (begin >= end || (c->chunk && (begin % c->chunk != 0 || (end - begin > c->chunk))))
        atomic_store(&c->bad_range, 1);
    for (int64_t i = begin; i < end; i++)
        atomic_fetch_add(&c->hits[i], 1);
}

static int count_wrong(const atomic_int *hits, int64_t n) {
    int wrong = 0;
    for (int64_t i = 0; i < n; i++)
        wrong += atomic_load(&hits[i]) != 1;
    return wrong;
}

static void test_every_index_once(void) {
    CHECK_EQ_INT(cpu_num_threads(), THREADS);
    int64_t sizes[] = {0, 1, 2, 3, 7, 64, 1000, 100003};
    int64_t grains[] = {1, 2, 5, 1000, 1 << 20};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (size_t g = 0; g < sizeof grains / sizeof *grains; g++) {
            int64_t n = sizes[s];
            atomic_int *hits = calloc((size_t)(n > 0 ? n : 1), sizeof *hits);
            cover_ctx c = {.hits = hits};
            cpu_parallel_for(n, grains[g], cover, &c);
            CHECK_EQ_INT(count_wrong(hits, n), 0);
            CHECK_EQ_INT(atomic_load(&c.bad_range), 0);
            free(hits);
        }
}

static void test_chunks_are_whole(void) {
    int64_t n = 10007, chunks[] = {1, 3, 64, 10006, 10007, 20000};
    for (size_t k = 0; k < sizeof chunks / sizeof *chunks; k++) {
        atomic_int *hits = calloc((size_t)n, sizeof *hits);
        cover_ctx c = {.hits = hits, .chunk = chunks[k]};
        cpu_parallel_chunks(n, chunks[k], cover, &c);
        CHECK_EQ_INT(count_wrong(hits, n), 0);
        CHECK_EQ_INT(atomic_load(&c.bad_range), 0);
        free(hits);
    }
}

/* ---- slots ---------------------------------------------------------------------------------------- */
typedef struct slot_ctx {
    atomic_int in_use[THREADS];
    atomic_int clashes, out_of_range, max_slot;
    int64_t nchunks;
} slot_ctx;

static void busy_wait_us(int us) {
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do
        clock_gettime(CLOCK_MONOTONIC, &t);
    while ((t.tv_sec - t0.tv_sec) * 1000000 + (t.tv_nsec - t0.tv_nsec) / 1000 < us);
}

static void use_slot(int64_t begin, int64_t end, void *vctx) {
    slot_ctx *c = vctx;
    int slot = cpu_thread_slot();
    int threads = cpu_num_threads(), bound = c->nchunks < threads ? (int)c->nchunks : threads;
    if (slot < 0 || slot >= bound) {
        atomic_store(&c->out_of_range, 1);
        return;
    }
    for (int seen = atomic_load(&c->max_slot); slot > seen && !atomic_compare_exchange_weak(&c->max_slot, &seen, slot);)
        ;
    if (atomic_exchange(&c->in_use[slot], 1) != 0)
        atomic_store(&c->clashes, 1);
    busy_wait_us(20 * (int)(end - begin)); /* hold the slot while others run */
    atomic_store(&c->in_use[slot], 0);
}

static void test_slots_unique_and_bounded(void) {
    int64_t counts[] = {2, 3, 4, 50};
    for (int rep = 0; rep < 20; rep++)
        for (size_t k = 0; k < sizeof counts / sizeof *counts; k++) {
            slot_ctx c = {.nchunks = counts[k]};
            cpu_parallel_chunks(counts[k], 1, use_slot, &c);
            CHECK_EQ_INT(atomic_load(&c.clashes), 0);
            CHECK_EQ_INT(atomic_load(&c.out_of_range), 0);
        }
    /* outside any parallel call: slot 0 */
    CHECK_EQ_INT(cpu_thread_slot(), 0);
}

/* ---- nesting -------------------------------------------------------------------------------------- */
typedef struct nest_ctx {
    atomic_long total;
    atomic_int not_serial, available_inside;
} nest_ctx;

typedef struct inner_ctx {
    pthread_t outer;
    nest_ctx *nest;
} inner_ctx;

static void inner(int64_t begin, int64_t end, void *vctx) {
    inner_ctx *c = vctx;
    if (!pthread_equal(pthread_self(), c->outer) || begin != 0 || end != 1000)
        atomic_store(&c->nest->not_serial, 1);
    atomic_fetch_add(&c->nest->total, end - begin);
}

static void outer(int64_t begin, int64_t end, void *vctx) {
    nest_ctx *c = vctx;
    if (cpu_parallel_available())
        atomic_store(&c->available_inside, 1);
    for (int64_t i = begin; i < end; i++) {
        inner_ctx ic = {pthread_self(), c};
        cpu_parallel_for(1000, 1, inner, &ic); /* would be parallel outside a job */
    }
}

static void test_nested_calls_run_serially(void) {
    nest_ctx c = {0};
    CHECK(cpu_parallel_available());
    cpu_parallel_for(64, 1, outer, &c);
    CHECK_EQ_INT(atomic_load(&c.total), 64 * 1000);
    CHECK_EQ_INT(atomic_load(&c.not_serial), 0);
    CHECK_EQ_INT(atomic_load(&c.available_inside), 0);
    CHECK(cpu_parallel_available());
}

/* ---- several user threads ----------------------------------------------------------------------- */
typedef struct sum_ctx {
    const int64_t *values;
    atomic_llong sum;
} sum_ctx;

static void add_range(int64_t begin, int64_t end, void *vctx) {
    sum_ctx *c = vctx;
    long long s = 0;
    for (int64_t i = begin; i < end; i++)
        s += c->values[i];
    atomic_fetch_add(&c->sum, s);
}

#define USER_N 4096
static int64_t g_values[USER_N];

static void *user_thread(void *arg) {
    atomic_int *wrong = arg;
    long long expect = (long long)USER_N * (USER_N - 1) / 2;
    for (int rep = 0; rep < 500; rep++) {
        sum_ctx c = {.values = g_values};
        cpu_parallel_for(USER_N, 16, add_range, &c);
        if (atomic_load(&c.sum) != expect)
            atomic_fetch_add(wrong, 1);
    }
    return NULL;
}

static void test_several_user_threads(void) {
    for (int64_t i = 0; i < USER_N; i++)
        g_values[i] = i;
    pthread_t users[6];
    atomic_int wrong = 0;
    int started = 0;
    for (int i = 0; i < 6; i++)
        started += pthread_create(&users[started], NULL, user_thread, &wrong) == 0;
    CHECK_EQ_INT(started, 6);
    for (int i = 0; i < started; i++)
        pthread_join(users[i], NULL);
    CHECK_EQ_INT(atomic_load(&wrong), 0);
}

/* ---- workers asleep, then woken ------------------------------------------------------------------- */
static void test_wake_after_sleep(void) {
    for (int rep = 0; rep < 3; rep++) {
        usleep(30000); /* far past the spin: every worker sleeps on its futex */
        atomic_int *hits = calloc(100000, sizeof *hits);
        cover_ctx c = {.hits = hits};
        cpu_parallel_for(100000, 1000, cover, &c);
        CHECK_EQ_INT(count_wrong(hits, 100000), 0);
        free(hits);
    }
}

/* ---- fork ----------------------------------------------------------------------------------------- */
static void test_forked_child_runs_jobs(void) {
    sum_ctx c = {.values = g_values};
    cpu_parallel_for(USER_N, 16, add_range, &c); /* the pool is running */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        long long expect = (long long)USER_N * (USER_N - 1) / 2;
        for (int rep = 0; rep < 50; rep++) {
            sum_ctx cc = {.values = g_values};
            cpu_parallel_for(USER_N, 16, add_range, &cc);
            if (atomic_load(&cc.sum) != expect)
                _exit(1);
        }
        exit(0); /* runs the child's pool shutdown */
    }
    CHECK(pid > 0);
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* ---- changing the thread count -------------------------------------------------------------------- */
typedef struct who_ctx {
    pthread_t caller;
    atomic_int other_thread;
} who_ctx;

static void record_thread(int64_t begin, int64_t end, void *vctx) {
    who_ctx *c = vctx;
    busy_wait_us(20 * (int)(end - begin));
    if (!pthread_equal(pthread_self(), c->caller))
        atomic_store(&c->other_thread, 1);
}

static void test_set_num_threads(void) {
    cpu_set_num_threads(1);
    CHECK_EQ_INT(cpu_num_threads(), 1);
    who_ctx c = {.caller = pthread_self()};
    cpu_parallel_for(1000, 1, record_thread, &c);
    CHECK_EQ_INT(atomic_load(&c.other_thread), 0); /* one thread: all on the caller */
    cpu_set_num_threads(3);
    CHECK_EQ_INT(cpu_num_threads(), 3);
    for (int rep = 0; rep < 10; rep++) { /* slots stay below 3 with 3 threads */
        slot_ctx sc = {.nchunks = 50};
        cpu_parallel_chunks(50, 1, use_slot, &sc);
        CHECK_EQ_INT(atomic_load(&sc.clashes), 0);
        CHECK_EQ_INT(atomic_load(&sc.max_slot) < 3, 1);
    }
    cpu_set_num_threads(THREADS);
    CHECK_EQ_INT(cpu_num_threads(), THREADS);
}

/* ---- pooled GEMM ---------------------------------------------------------------------------------- */
static double elem(const double *x, int64_t ld, bool trans, int64_t r, int64_t c) {
    return trans ? x[c * ld + r] : x[r * ld + c];
}

static void test_gemm_blocks_match_loop(void) {
    /* shapes cut by rows, by columns, vector sides, and tails of odd size */
    int64_t shapes[][3] = {{301, 67, 45}, {9, 517, 80}, {1, 3000, 200}, {3000, 1, 200}, {130, 130, 130}, {64, 64, 1}};
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++)
        for (int t = 0; t < 8; t++) {
            bool ta = t & 1, tb = t & 2, acc = t & 4;
            int64_t m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
            int64_t lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 1, ldc = n + 2;
            double *a = malloc(sizeof(double) * (size_t)((ta ? k : m) * lda));
            double *b = malloc(sizeof(double) * (size_t)((tb ? n : k) * ldb));
            double *c = malloc(sizeof(double) * (size_t)(m * ldc));
            float *a32 = malloc(sizeof(float) * (size_t)((ta ? k : m) * lda));
            float *b32 = malloc(sizeof(float) * (size_t)((tb ? n : k) * ldb));
            float *c32 = malloc(sizeof(float) * (size_t)(m * ldc));
            for (int64_t i = 0; i < (ta ? k : m) * lda; i++)
                a32[i] = (float)(a[i] = (double)((i * 7919) % 13) - 6.0);
            for (int64_t i = 0; i < (tb ? n : k) * ldb; i++)
                b32[i] = (float)(b[i] = (double)((i * 104729) % 11) - 5.0);
            for (int64_t i = 0; i < m * ldc; i++)
                c32[i] = (float)(c[i] = (double)(i % 5));
            cpu_gemm(MX_FLOAT64, ta, tb, m, n, k, a, lda, b, ldb, acc, c, ldc);
            cpu_gemm(MX_FLOAT32, ta, tb, m, n, k, a32, lda, b32, ldb, acc, c32, ldc);
            int wrong = 0;
            for (int64_t r = 0; r < m; r++)
                for (int64_t col = 0; col < ldc; col++) {
                    double want = (double)((r * ldc + col) % 5); /* padding and (accumulate) old C */
                    if (col < n) {
                        double dot = 0;
                        for (int64_t i = 0; i < k; i++)
                            dot += elem(a, lda, ta, r, i) * elem(b, ldb, tb, i, col);
                        want = (acc ? want : 0) + dot;
                    }
                    /* small integers: every sum is exact in float32 and float64 */
                    wrong += c[r * ldc + col] != want || (double)c32[r * ldc + col] != want;
                }
            if (wrong)
                fprintf(stderr, "  gemm %lldx%lldx%lld ta=%d tb=%d acc=%d: %d wrong\n", (long long)m, (long long)n,
                        (long long)k, ta, tb, acc, wrong);
            CHECK_EQ_INT(wrong, 0);
            free(a), free(b), free(c), free(a32), free(b32), free(c32);
        }
}

int main(void) {
    /* before anything starts the pool: the count is read once */
    setenv("CMLX_NUM_THREADS", "4", 1);
    RUN(test_every_index_once);
    RUN(test_chunks_are_whole);
    RUN(test_slots_unique_and_bounded);
    RUN(test_nested_calls_run_serially);
    RUN(test_several_user_threads);
    RUN(test_wake_after_sleep);
    RUN(test_forked_child_runs_jobs);
    RUN(test_set_num_threads);
    RUN(test_gemm_blocks_match_loop);
    return CHECK_SUMMARY();
}
