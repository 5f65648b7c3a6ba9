/* bench/bench_ops.c - cmlx's benchmark program: runs the workloads of
 * workloads.h and writes one JSON report (stdout or --json FILE), with a
 * progress line per workload on stderr. bench/run.py runs it beside MLX,
 * NumPy and PyTorch; it can also run alone:
 *   build/bench/bench_ops --reps 5 --filter add,matmul_f32_512 */
#include <dirent.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "cmlx/cmlx.h"
#include "workloads.h"

static const char *const USAGE =
    "usage: bench_ops [options]\n"
    "  --warmup N          untimed iterations before timing (default 2)\n"
    "  --reps N            timed samples; median and min are reported (default 7)\n"
    "  --min-sample-ms X   a sample repeats the workload until it lasts X ms (default 20)\n"
    "  --budget-s X        fewer samples (at least 3) for a workload whose samples exceed X s (default 10)\n"
    "  --threads N         threads of the parallel memcpy and sgemm references (default: the CPUs we may run on)\n"
    "  --ew-sizes A,B      element counts of add/multiply (default 1048576,16777216)\n"
    "  --reduce-shape RxC  matrix of sum and softmax (default 4096x4096)\n"
    "  --mm-sizes A,B,..   square matmul sizes (default 256,512,1024,2048)\n"
    "  --chain K           adds in the overhead chain (default 100)\n"
    "  --filter S1,S2      only workloads whose name contains one of the substrings\n"
    "  --json FILE         write the report to FILE instead of stdout\n";

/* ---- the report ------------------------------------------------------------------ */

void bench_size_label(int64_t n, char *buf, size_t cap) {
    if (n > 0 && n % (1 << 20) == 0)
        snprintf(buf, cap, "%lldM", (long long)(n >> 20));
    else if (n > 0 && n % 1024 == 0)
        snprintf(buf, cap, "%lldK", (long long)(n >> 10));
    else
        snprintf(buf, cap, "%lld", (long long)n);
}

static int filter_matches(const char *filter, const char *name) {
    if (!filter || !*filter)
        return 1;
    const char *p = filter;
    while (*p) {
        size_t len = strcspn(p, ",");
        char part[64];
        if (len > 0 && len < sizeof part) {
            memcpy(part, p, len);
            part[len] = '\0';
            if (strstr(name, part))
                return 1;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

bench_result *bench_report_begin(bench_report *rep, const bench_config *cfg, const char *group, const char *fmt, ...) {
    char name[sizeof(((bench_result *)0)->name)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    if (!filter_matches(cfg->filter, name))
        return NULL;
    if (rep->count == rep->capacity) {
        int capacity = rep->capacity ? 2 * rep->capacity : 32;
        bench_result *items = realloc(rep->items, sizeof(bench_result) * (size_t)capacity);
        if (!items) {
            fprintf(stderr, "bench_ops: out of memory for the report; skipping %s\n", name);
            return NULL;
        }
        rep->items = items;
        rep->capacity = capacity;
    }
    bench_result *r = &rep->items[rep->count++];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    snprintf(r->group, sizeof r->group, "%s", group);
    return r;
}

void bench_report_progress(const bench_result *r) {
    if (r->status == BENCH_NA) {
        fprintf(stderr, "  %-28s n/a   %s\n", r->name, r->note);
        return;
    }
    fprintf(stderr, "  %-28s median %10.3f us  min %10.3f us  (%d x %ld)%s%s\n", r->name, 1e6 * r->median_s,
            1e6 * r->min_s, r->reps, r->inner, r->status == BENCH_WRONG ? "  WRONG: " : "",
            r->status == BENCH_WRONG ? r->note : "");
}

/* Threads of this process now (cmlx's pool and OpenBLAS's included). */
static int count_threads(void) {
    DIR *dir = opendir("/proc/self/task");
    if (!dir)
        return -1;
    int count = 0;
    for (struct dirent *e; (e = readdir(dir));)
        if (e->d_name[0] != '.')
            count++;
    closedir(dir);
    return count;
}

static void write_report(FILE *f, const bench_report *rep, const bench_config *cfg) {
    const char *coretype = getenv("OPENBLAS_CORETYPE");
    fprintf(f, "{\n  \"program\": \"bench_ops\",\n  \"info\": {\"cmlx_version\": ");
    bench_json_string(f, mx_version());
    fprintf(f, ", \"reference_threads\": %d, \"openblas_threads\": %d, \"openblas_core\": ", cfg->threads,
            openblas_get_num_threads());
    bench_json_string(f, openblas_get_corename());
    fprintf(f, ", \"openblas_config\": ");
    bench_json_string(f, openblas_get_config());
    fprintf(f, ", \"OPENBLAS_CORETYPE\": ");
    bench_json_string(f, coretype ? coretype : "");
    fprintf(f, ", \"threads_observed\": %d},\n", count_threads());
    fprintf(f, "  \"config\": {\"warmup\": %d, \"reps\": %d, \"min_sample_s\": %g, \"budget_s\": %g},\n",
            cfg->opts.warmup, cfg->opts.reps, cfg->opts.min_sample_s, cfg->opts.budget_s);
    fprintf(f, "  \"results\": [\n");
    for (int i = 0; i < rep->count; i++) {
        fprintf(f, "    ");
        bench_json_result(f, &rep->items[i]);
        fprintf(f, i + 1 < rep->count ? ",\n" : "\n");
    }
    fprintf(f, "  ]\n}\n");
}

/* ---- arguments ------------------------------------------------------------------- */

/* "a,b,c" into sizes; returns the count, or -1 when malformed. */
static int parse_sizes(const char *text, int64_t *sizes, int cap) {
    int count = 0;
    const char *p = text;
    while (*p) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p || v <= 0 || count == cap || (*end && *end != ','))
            return -1;
        sizes[count++] = v;
        p = *end ? end + 1 : end;
    }
    return count;
}

static int parse_int(const char *text, int min, int *out) {
    char *end;
    long v = strtol(text, &end, 10);
    if (end == text || *end || v < min || v > 1000000000)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_args(int argc, char **argv, bench_config *cfg, const char **json_path) {
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) {
            fputs(USAGE, stdout);
            exit(0);
        }
        if (!strstr(USAGE, opt) || strncmp(opt, "--", 2) != 0) {
            fprintf(stderr, "bench_ops: unknown option %s\n%s", opt, USAGE);
            return -1;
        }
        if (!val) {
            fprintf(stderr, "bench_ops: %s needs a value\n%s", opt, USAGE);
            return -1;
        }
        int bad = 0;
        if (!strcmp(opt, "--warmup"))
            bad = parse_int(val, 0, &cfg->opts.warmup);
        else if (!strcmp(opt, "--reps"))
            bad = parse_int(val, 1, &cfg->opts.reps);
        else if (!strcmp(opt, "--min-sample-ms")) {
            char *end;
            cfg->opts.min_sample_s = strtod(val, &end) / 1000.0;
            bad = end == val || *end || cfg->opts.min_sample_s < 0;
        } else if (!strcmp(opt, "--budget-s")) {
            char *end;
            cfg->opts.budget_s = strtod(val, &end);
            bad = end == val || *end || cfg->opts.budget_s < 0;
        } else if (!strcmp(opt, "--threads"))
            bad = parse_int(val, 1, &cfg->threads);
        else if (!strcmp(opt, "--ew-sizes"))
            bad = (cfg->n_ew = parse_sizes(val, cfg->ew_sizes, BENCH_MAX_SIZES)) < 0;
        else if (!strcmp(opt, "--mm-sizes"))
            bad = (cfg->n_mm = parse_sizes(val, cfg->mm_sizes, BENCH_MAX_SIZES)) < 0;
        else if (!strcmp(opt, "--reduce-shape")) {
            long long r, c;
            char tail;
            bad = sscanf(val, "%lldx%lld%c", &r, &c, &tail) != 2 || r <= 0 || c <= 0;
            cfg->reduce_rows = r;
            cfg->reduce_cols = c;
        } else if (!strcmp(opt, "--chain"))
            bad = parse_int(val, 1, &cfg->chain_length);
        else if (!strcmp(opt, "--filter"))
            cfg->filter = val;
        else if (!strcmp(opt, "--json"))
            *json_path = val;
        else {
            fprintf(stderr, "bench_ops: unknown option %s\n%s", opt, USAGE);
            return -1;
        }
        if (bad) {
            fprintf(stderr, "bench_ops: bad value for %s: %s\n", opt, val);
            return -1;
        }
        i++;
    }
    return 0;
}

/* CPUs of the affinity mask (cmlx's default thread count without
 * CMLX_NUM_THREADS / OMP_NUM_THREADS). */
static int cpus_available(void) {
    cpu_set_t set;
    return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
}

int main(int argc, char **argv) {
    bench_config cfg = {
        .opts = {.warmup = 2, .reps = 7, .min_sample_s = 0.020, .budget_s = 10.0},
        .threads = cpus_available(),
        .ew_sizes = {1 << 20, 1 << 24},
        .n_ew = 2,
        .reduce_rows = 4096,
        .reduce_cols = 4096,
        .mm_sizes = {256, 512, 1024, 2048},
        .n_mm = 4,
        .chain_length = 100,
    };
    const char *json_path = NULL;
    if (parse_args(argc, argv, &cfg, &json_path) != 0)
        return 2;

    fprintf(stderr, "bench_ops: cmlx %s, %d CPUs, OpenBLAS %s (%d threads for cmlx, %d for the reference sgemm)\n",
            mx_version(), cpus_available(), openblas_get_corename(), openblas_get_num_threads(), cfg.threads);
    bench_report rep = {0};
    bench_run_overhead(&rep, &cfg);
    bench_run_elementwise(&rep, &cfg);
    bench_run_reductions(&rep, &cfg);
    bench_run_matmul(&rep, &cfg);
    bench_run_sort(&rep, &cfg);
    bench_run_indexing(&rep, &cfg);

    FILE *out = stdout;
    if (json_path && !(out = fopen(json_path, "w"))) {
        perror(json_path);
        free(rep.items);
        return 1;
    }
    write_report(out, &rep, &cfg);
    int rc = ferror(out) ? 1 : 0;
    if (out != stdout)
        rc |= fclose(out) != 0;
    free(rep.items);
    return rc;
}
