/* examples/demo.c - the main job (`make demo`): trains a small character-level
 * GPT on the CPU with cmlx's C API, then saves, reloads and samples it.
 *
 * Data: the fortune cookies of Debian's `fortunes` package (text files in
 * /usr/share/games/fortunes, each fortune ended by a line "%"), concatenated,
 * or the user's own text with --data FILE. Characters are bytes; the
 * vocabulary is the set of bytes the text uses.
 *
 * Model (mlx.nn names, see examples/python/gpt_demo.py for the same model in
 * Python): token embedding; `layers` pre-norm blocks, each
 *   x + attention(LayerNorm(x)), then x + MLP(LayerNorm(x)),
 * attention with RoPE on queries and keys and mx_fast_scaled_dot_product_attention
 * (causal), MLP dims -> 4 dims (GELU) -> dims; a final LayerNorm and a linear
 * head. AdamW, linear warm-up then cosine decay, gradient clipping at norm 1.
 * The model, its loss and the training step are examples/gpt/gpt_model.c,
 * shared with the golden test against MLX (tests/c/test_gpt_golden.c).
 *
 * At the end: a safetensors checkpoint (--out), reloaded into a fresh
 * parameter tree whose loss on a held-out batch must equal the trained one bit
 * for bit; sampled text; the loss curve as a PNG next to the checkpoint.
 *
 * Device: --device gpu trains on the GPU (the default when cmlx was built with
 * CUDA and a GPU is present), --device cpu on the CPU. --size large is the
 * benchmark size of issue 7 (6 layers, 384 dims, 6 heads, context 256, batch
 * 64; later size options override it); the "trained" line gives the median
 * time of a training step (bench/gpt_step_torch.py times PyTorch's).
 *
 *   ./build/examples/demo [--steps N] [--data FILE] [--out PATH] [--seed S] [--quiet]
 *                         [--device cpu|gpu] [--size small|large]
 *                         [--layers L] [--dims D] [--heads H] [--context T] [--batch B]
 *                         [--lr LR] [--sample-chars N] [--temperature X] [--losses FILE]  */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmlx/cmlx.h"
#include "cmlx/io.h"
#include "cmlx/nn.h"
#include "cmlx/optim.h"
#include "gpt/gpt_model.h"
#include "loss_plot.h"

#define FORTUNES_DIR "/usr/share/games/fortunes"
#define MAX_LAYERS GPT_MAX_LAYERS

typedef struct config {
    int steps, layers, dims, heads, context, batch, sample_chars, warmup;
    double lr, temperature;
    uint64_t seed;
    bool quiet;
    const char *data, *out, *losses_path;
    const char *device; /* "cpu", "gpu", or NULL: the GPU when there is one */
} config;

/* ---- data ---------------------------------------------------------------------------- */

typedef struct corpus {
    unsigned char *text; /* the raw bytes */
    int32_t *tokens;     /* the same, as vocabulary indices */
    int64_t size, train_size;
    int vocab;
    unsigned char chars[256]; /* index -> byte */
    int index[256];           /* byte -> index, -1 when unused */
    int files;
} corpus;

static bool append_file(corpus *c, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "demo: cannot read %s: %s\n", path, strerror(errno));
        return false;
    }
    unsigned char buffer[1 << 16];
    size_t got;
    while ((got = fread(buffer, 1, sizeof buffer, f)) > 0) {
        unsigned char *grown = realloc(c->text, (size_t)c->size + got);
        if (!grown) {
            fclose(f);
            fprintf(stderr, "demo: out of memory reading %s\n", path);
            return false;
        }
        c->text = grown;
        memcpy(c->text + c->size, buffer, got);
        c->size += (int64_t)got;
    }
    fclose(f);
    c->files++;
    return true;
}

static int compare_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Every plain text file of the fortunes directory, in name order: not the
 * .dat indexes, not the .u8 links, not the offensive ones (the off/
 * directory of fortunes-off, and any file named *-o). */
static bool load_fortunes(corpus *c) {
    DIR *dir = opendir(FORTUNES_DIR);
    if (!dir) {
        fprintf(stderr,
                "demo: %s: %s\n  install Debian's fortunes package (make demo runs scripts/install-deps.sh build), "
                "or train on your own text with --data FILE\n",
                FORTUNES_DIR, strerror(errno));
        return false;
    }
    char *names[512];
    int n = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL && n < 512) {
        const char *name = entry->d_name;
        size_t len = strlen(name);
        if (strchr(name, '.') || (len > 2 && !strcmp(name + len - 2, "-o")))
            continue;
        char path[600];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", FORTUNES_DIR, name);
        if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        names[n] = strdup(name);
        if (names[n])
            n++;
    }
    closedir(dir);
    qsort(names, (size_t)n, sizeof names[0], compare_names);
    bool ok = n > 0;
    for (int i = 0; i < n; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", FORTUNES_DIR, names[i]);
        ok = ok && append_file(c, path);
        free(names[i]);
    }
    if (n == 0)
        fprintf(stderr, "demo: no text files in %s\n", FORTUNES_DIR);
    return ok;
}

static bool load_corpus(corpus *c, const config *cfg) {
    memset(c, 0, sizeof *c);
    if (!(cfg->data ? append_file(c, cfg->data) : load_fortunes(c)))
        return false;
    if (c->size < 4 * (int64_t)cfg->context + 2) {
        fprintf(stderr, "demo: the text has %lld bytes; it needs at least %d for a context of %d\n", (long long)c->size,
                4 * cfg->context + 2, cfg->context);
        return false;
    }
    bool used[256] = {false};
    for (int64_t i = 0; i < c->size; i++)
        used[c->text[i]] = true;
    for (int b = 0; b < 256; b++) {
        c->index[b] = used[b] ? c->vocab : -1;
        if (used[b])
            c->chars[c->vocab++] = (unsigned char)b;
    }
    c->tokens = malloc((size_t)c->size * sizeof *c->tokens);
    if (!c->tokens) {
        fprintf(stderr, "demo: out of memory\n");
        return false;
    }
    for (int64_t i = 0; i < c->size; i++)
        c->tokens[i] = c->index[c->text[i]];
    /* the last 5% is held out: the loss there says whether it generalises */
    c->train_size = c->size - c->size / 20;
    return true;
}

/* splitmix64: the batch positions, reproducible from --seed */
static uint64_t next_random(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* x and y (batch, context) int32: windows of the text starting in [from, to - context - 1), y shifted by one. */
static bool make_batch(const corpus *c, const config *cfg, int64_t from, int64_t to, uint64_t *rng, mx_array *x,
                       mx_array *y) {
    int B = cfg->batch, T = cfg->context;
    int32_t *xs = malloc((size_t)B * T * sizeof *xs), *ys = malloc((size_t)B * T * sizeof *ys);
    if (!xs || !ys) {
        free(xs);
        free(ys);
        return false;
    }
    for (int b = 0; b < B; b++) {
        int64_t start = from + (int64_t)(next_random(rng) % (uint64_t)(to - from - T - 1));
        memcpy(xs + (size_t)b * T, c->tokens + start, (size_t)T * sizeof *xs);
        memcpy(ys + (size_t)b * T, c->tokens + start + 1, (size_t)T * sizeof *ys);
    }
    int64_t shape[2] = {B, T};
    *x = mx_array_from_data(xs, shape, 2, MX_INT32);
    *y = mx_array_from_data(ys, shape, 2, MX_INT32);
    free(xs);
    free(ys);
    return true;
}

/* ---- model: examples/gpt/gpt_model.c ------------------------------------------------------ */

/* The model's sizes and the schedule, from the options. */
static gpt_config model_config(const config *cfg, int vocab) {
    return (gpt_config){.vocab = vocab,
                        .layers = cfg->layers,
                        .dims = cfg->dims,
                        .heads = cfg->heads,
                        .context = cfg->context,
                        .steps = cfg->steps,
                        .warmup = cfg->warmup,
                        .lr = cfg->lr};
}

/* ---- output ------------------------------------------------------------------------------ */

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void format_duration(double seconds, char *out, size_t size) {
    int s = (int)lround(seconds);
    snprintf(out, size, "%d:%02d", s / 60, s % 60);
}

static void progress(const config *cfg, int step, double loss, double elapsed, double lr) {
    int width = 24, filled = (int)((double)width * step / cfg->steps);
    double tokens = (double)step * cfg->batch * cfg->context;
    char eta[16], spent[16];
    format_duration(step ? elapsed / step * (cfg->steps - step) : 0, eta, sizeof eta);
    format_duration(elapsed, spent, sizeof spent);
    printf("\r[");
    for (int i = 0; i < width; i++)
        putchar(i < filled ? '#' : '.');
    printf("] step %d/%d  loss %.3f  lr %.1e  %.0f tok/s  %s  eta %s \033[K", step, cfg->steps, loss, lr,
           elapsed > 0 ? tokens / elapsed : 0.0, spent, eta);
    fflush(stdout);
}

static int fail(const char *what) {
    fprintf(stderr, "\ndemo: %s failed: %s\n", what, mx_last_error());
    return 1;
}

/* `count` characters after `prompt`, each drawn from softmax(logits / temperature)
 * of the last `context` characters. Returns a malloc'd string. */
static char *sample(const gpt *m, const mx_named_arrays *params, const corpus *c, const char *prompt, int count,
                    double temperature, uint64_t seed) {
    size_t plen = strlen(prompt);
    char *text = malloc(plen + (size_t)count + 1);
    int32_t *window = malloc((size_t)m->context * sizeof *window);
    if (!text || !window) {
        free(text);
        free(window);
        return NULL;
    }
    memcpy(text, prompt, plen);
    size_t len = plen;
    mx_array key = mx_random_key(seed);
    mx_array inv_temperature = mx_scalar_f32((float)(1.0 / temperature));
    for (int i = 0; i < count; i++) {
        mx_scope scope = mx_scope_begin();
        int n = 0;
        size_t first = len > (size_t)m->context ? len - (size_t)m->context : 0;
        for (size_t j = first; j < len; j++) {
            int index = c->index[(unsigned char)text[j]];
            window[n++] = index >= 0 ? index : 0;
        }
        mx_array tokens = mx_array_from_data(window, (int64_t[]){1, n}, 2, MX_INT32);
        mx_array logits = gpt_forward(m, params, tokens); /* (1, n, vocab) */
        mx_array last = mx_slice(logits, (int64_t[]){0, n - 1, 0}, (int64_t[]){1, n, m->vocab}, NULL, 3);
        mx_array keys[2];
        mx_split(mx_random_split(key, 2), 2, 0, keys);
        mx_array draw = mx_random_categorical(mx_multiply(mx_reshape(last, (int64_t[]){m->vocab}, 1), inv_temperature),
                                              -1, mx_reshape(keys[1], (int64_t[]){2}, 1));
        int64_t chosen = 0;
        mx_status s = mx_item_i64(draw, &chosen);
        mx_array next_key = mx_scope_keep(scope, mx_reshape(keys[0], (int64_t[]){2}, 1));
        mx_scope_end(scope);
        mx_free(key);
        key = next_key;
        if (s != MX_OK)
            break;
        text[len++] = (char)c->chars[chosen];
    }
    text[len] = '\0';
    mx_free(key);
    mx_free(inv_temperature);
    free(window);
    return text;
}

/* The checkpoint's file name with its extension replaced by suffix. */
static void sibling_path(const char *path, const char *suffix, char *out, size_t size) {
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path);
    snprintf(out, size, "%.*s%s", (int)stem, path, suffix);
}

static void usage(void) {
    fprintf(stderr, "usage: demo [--steps N] [--data FILE] [--out PATH] [--seed S] [--quiet]\n"
                    "            [--device cpu|gpu] [--size small|large]\n"
                    "            [--layers L] [--dims D] [--heads H] [--context T] [--batch B] [--lr LR]\n"
                    "            [--sample-chars N] [--temperature X] [--losses FILE]\n");
}

static bool parse_args(int argc, char **argv, config *cfg) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--quiet")) {
            cfg->quiet = true;
            continue;
        }
        if (!v) {
            usage();
            return false;
        }
        i++;
        if (!strcmp(a, "--steps"))
            cfg->steps = atoi(v);
        else if (!strcmp(a, "--data"))
            cfg->data = v;
        else if (!strcmp(a, "--out"))
            cfg->out = v;
        else if (!strcmp(a, "--seed"))
            cfg->seed = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--layers"))
            cfg->layers = atoi(v);
        else if (!strcmp(a, "--dims"))
            cfg->dims = atoi(v);
        else if (!strcmp(a, "--heads"))
            cfg->heads = atoi(v);
        else if (!strcmp(a, "--context"))
            cfg->context = atoi(v);
        else if (!strcmp(a, "--batch"))
            cfg->batch = atoi(v);
        else if (!strcmp(a, "--lr"))
            cfg->lr = atof(v);
        else if (!strcmp(a, "--sample-chars"))
            cfg->sample_chars = atoi(v);
        else if (!strcmp(a, "--temperature"))
            cfg->temperature = atof(v);
        else if (!strcmp(a, "--losses"))
            cfg->losses_path = v;
        else if (!strcmp(a, "--device") && (!strcmp(v, "cpu") || !strcmp(v, "gpu")))
            cfg->device = v;
        else if (!strcmp(a, "--size") && !strcmp(v, "small")) {
            cfg->layers = 4, cfg->dims = 128, cfg->heads = 4, cfg->context = 64, cfg->batch = 32;
        } else if (!strcmp(a, "--size") && !strcmp(v, "large")) {
            cfg->layers = 6, cfg->dims = 384, cfg->heads = 6, cfg->context = 256, cfg->batch = 64;
        } else {
            usage();
            return false;
        }
    }
    if (cfg->steps < 1 || cfg->layers < 1 || cfg->layers > MAX_LAYERS || cfg->dims < 2 || cfg->heads < 1 ||
        cfg->dims % cfg->heads || (cfg->dims / cfg->heads) % 2 || cfg->context < 2 || cfg->batch < 1 ||
        !(cfg->lr > 0) || !(cfg->temperature > 0) || cfg->sample_chars < 0) {
        fprintf(stderr,
                "demo: bad option: steps, layers (1..%d), context, batch must be positive; dims a multiple "
                "of heads with an even head size; lr and temperature positive\n",
                MAX_LAYERS);
        return false;
    }
    /* 10% of the steps (at most 100) warm up; at least one step is left to the cosine */
    cfg->warmup = cfg->steps / 10 > 1 ? cfg->steps / 10 : 1;
    if (cfg->warmup > 100)
        cfg->warmup = 100;
    return true;
}

int main(int argc, char **argv) {
    config cfg = {.steps = 1000,
                  .layers = 4,
                  .dims = 128,
                  .heads = 4,
                  .context = 64,
                  .batch = 32,
                  .sample_chars = 600,
                  .lr = 1.5e-3,
                  .temperature = 0.8,
                  .seed = 0,
                  .out = "build/gpt_demo.safetensors"};
    /* libgomp busy-waits between parallel regions by default; on a machine
     * whose cores are shared that spinning steals the cores from the work
     * (measured 10x slower on 2 busy cores). The policy is read when libgomp
     * loads, so set it and start again. */
    if (!getenv("OMP_WAIT_POLICY") && setenv("OMP_WAIT_POLICY", "passive", 1) == 0)
        execv("/proc/self/exe", argv); /* returns only on failure: then go on as we are */
    if (!parse_args(argc, argv, &cfg))
        return 2;
    bool gpu = cfg.device ? !strcmp(cfg.device, "gpu") : mx_is_available(mx_gpu_device());
    if (gpu && mx_set_default_device(mx_gpu_device()) != MX_OK) {
        fprintf(stderr, "demo: --device gpu: %s (cmlx needs a CUDA build and a GPU)\n", mx_last_error());
        return 2;
    }
    double start_all = now_seconds();
    corpus data;
    if (!load_corpus(&data, &cfg))
        return 1;
    char device_text[256];
    if (gpu)
        snprintf(device_text, sizeof device_text, "GPU, %s", mx_device_name(mx_default_device()));
    else
        snprintf(device_text, sizeof device_text, "CPU (%ld cores)", sysconf(_SC_NPROCESSORS_ONLN));
    printf("cmlx %s demo: a character-level GPT trained from scratch; device: %s\n", mx_version(), device_text);
    if (cfg.data)
        printf("data: %s, %.2f MB, %d distinct characters\n", cfg.data, data.size / 1e6, data.vocab);
    else
        printf("data: %d files of %s (Debian's fortunes), %.2f MB, %d distinct characters\n", data.files, FORTUNES_DIR,
               data.size / 1e6, data.vocab);

    mx_random_seed(cfg.seed);
    gpt model;
    mx_named_arrays *params = mx_named_arrays_new();
    gpt_config model_cfg = model_config(&cfg, data.vocab);
    if (!params || gpt_init(&model, params, &model_cfg) != MX_OK || mx_nn_eval(params) != MX_OK)
        return fail("creating the model");
    printf("model: %d layers, %d dims, %d heads, context %d, %.2fM parameters; batch %d x %d characters, "
           "%d steps, AdamW lr %g (warm-up %d, cosine decay), grad clip 1\n",
           cfg.layers, cfg.dims, cfg.heads, cfg.context, mx_nn_num_parameters(params) / 1e6, cfg.batch, cfg.context,
           cfg.steps, cfg.lr, cfg.warmup);

    mx_optimizer *optimizer = gpt_optimizer_new(&model_cfg);
    if (!optimizer || mx_optimizer_init(optimizer, params) != MX_OK)
        return fail("creating the optimizer");

    double *losses = calloc((size_t)cfg.steps, sizeof *losses);
    double *step_ms = calloc((size_t)cfg.steps, sizeof *step_ms);
    if (!losses || !step_ms)
        return fail("allocating");
    uint64_t rng = cfg.seed ^ 0x5eed5eed5eedull;
    double start = now_seconds(), last_print = -1;
    for (int step = 1; step <= cfg.steps; step++) {
        double step_start = now_seconds();
        mx_scope scope = mx_scope_begin();
        mx_array x, y;
        double lr = 0;
        mx_status s = make_batch(&data, &cfg, 0, data.train_size, &rng, &x, &y) ? MX_OK : MX_ERROR_MEMORY;
        if (s == MX_OK)
            s = gpt_train_step(&model, optimizer, params, x, y, &losses[step - 1], &lr);
        mx_scope_end(scope);
        if (s != MX_OK)
            return fail("a training step");
        step_ms[step - 1] = 1e3 * (now_seconds() - step_start);
        double elapsed = now_seconds() - start;
        if (!cfg.quiet && (elapsed - last_print >= 0.25 || step == cfg.steps)) {
            progress(&cfg, step, losses[step - 1], elapsed, lr);
            last_print = elapsed;
        }
    }
    double train_seconds = now_seconds() - start;
    double tail = 0;
    int tail_n = cfg.steps < 20 ? cfg.steps : 20;
    for (int i = cfg.steps - tail_n; i < cfg.steps; i++)
        tail += losses[i] / tail_n;
    /* the median step after the first (which allocates and, on a GPU, warms up) */
    int timed = cfg.steps > 1 ? cfg.steps - 1 : 1;
    qsort(step_ms + cfg.steps - timed, (size_t)timed, sizeof *step_ms, compare_doubles);
    double median_ms = step_ms[cfg.steps - timed + timed / 2];
    printf("%strained %d steps in %.1f s (%.0f tokens/s); loss %.3f at first, %.3f over the last %d steps\n",
           cfg.quiet ? "" : "\n", cfg.steps, train_seconds, (double)cfg.steps * cfg.batch * cfg.context / train_seconds,
           losses[0], tail, tail_n);
    printf("step time: median %.1f ms over %d step%s (%.0f tokens/s)\n", median_ms, timed, timed == 1 ? "" : "s",
           cfg.batch * cfg.context / (median_ms / 1e3));

    /* held-out loss on a fixed batch of the last 5% */
    uint64_t val_rng = cfg.seed ^ 0x7a11da7aull;
    mx_array val_x, val_y;
    if (!make_batch(&data, &cfg, data.train_size, data.size, &val_rng, &val_x, &val_y))
        return fail("making the held-out batch");
    double val_loss = gpt_eval_loss(&model, params, val_x, val_y);
    printf("held-out loss %.4f (%.3f bits per character)\n", val_loss, val_loss / log(2.0));

    /* checkpoint: save, reload into a fresh tree, the same loss bit for bit */
    mx_metadata *meta = mx_metadata_new();
    char number[64];
    if (!meta)
        return fail("creating the metadata");
    snprintf(number, sizeof number, "%d %d %d %d", cfg.layers, cfg.dims, cfg.heads, cfg.context);
    mx_metadata_set_string(meta, "layers dims heads context", number);
    /* the vocabulary as the bytes' values: the text may hold a zero byte or invalid UTF-8 */
    char vocab_numbers[256 * 4 + 1] = "";
    for (int i = 0; i < data.vocab; i++)
        snprintf(vocab_numbers + strlen(vocab_numbers), sizeof vocab_numbers - strlen(vocab_numbers), "%s%d",
                 i ? " " : "", data.chars[i]);
    mx_metadata_set_string(meta, "vocabulary bytes", vocab_numbers);
    char directory[1024];
    snprintf(directory, sizeof directory, "%s", cfg.out);
    char *slash = strrchr(directory, '/');
    if (slash && slash != directory) {
        *slash = '\0';
        mkdir(directory, 0777); /* the default build/ may not exist yet; errors show at the save */
    }
    if (mx_save_safetensors(cfg.out, params, meta) != MX_OK)
        return fail("saving the checkpoint");
    mx_metadata_free(meta);
    char ckpt[1024];
    size_t outlen = strlen(cfg.out);
    snprintf(ckpt, sizeof ckpt, "%s%s", cfg.out,
             outlen >= 12 && !strcmp(cfg.out + outlen - 12, ".safetensors") ? "" : ".safetensors");
    mx_named_arrays *reloaded = NULL;
    if (mx_load_safetensors(ckpt, &reloaded, NULL) != MX_OK)
        return fail("reloading the checkpoint");
    double reloaded_loss = gpt_eval_loss(&model, reloaded, val_x, val_y);
    bool same = !isnan(val_loss) && memcmp(&reloaded_loss, &val_loss, sizeof val_loss) == 0;
    printf("checkpoint: %s (%d arrays); reloaded: held-out loss %.4f, %s\n", ckpt, mx_named_arrays_size(reloaded),
           reloaded_loss, same ? "identical bit for bit" : "DIFFERENT");
    if (!same) {
        fprintf(stderr, "demo: the reloaded model's loss differs from the trained one\n");
        return 1;
    }

    /* loss curve */
    char png[1024], error[256];
    sibling_path(ckpt, "_loss.png", png, sizeof png);
    int val_step = cfg.steps;
    if (!loss_plot_png(png, losses, cfg.steps, &val_step, &val_loss, 1, error, sizeof error)) {
        fprintf(stderr, "demo: the loss curve: %s\n", error);
        return 1;
    }
    printf("loss curve: %s (light: each step, dark: moving average, red: held-out loss)\n", png);
    if (cfg.losses_path) {
        FILE *f = fopen(cfg.losses_path, "w");
        for (int i = 0; f && i < cfg.steps; i++)
            fprintf(f, "%d %a %.6f\n", i + 1, losses[i], losses[i]);
        if (!f || fclose(f) != 0) {
            fprintf(stderr, "demo: cannot write %s: %s\n", cfg.losses_path, strerror(errno));
            return 1;
        }
    }

    /* samples from the reloaded model */
    if (cfg.sample_chars > 0) {
        double t0 = now_seconds();
        char *text = sample(&model, reloaded, &data, "%\n", cfg.sample_chars, cfg.temperature, cfg.seed + 1);
        if (!text)
            return fail("sampling");
        printf("\nsample (temperature %.1f, %d characters, %.1f s):\n", cfg.temperature, cfg.sample_chars,
               now_seconds() - t0);
        printf("----------------------------------------------------------------\n%s\n", text + 2);
        printf("----------------------------------------------------------------\n");
        free(text);
    }
    printf("total time %.1f s\n", now_seconds() - start_all);
    mx_named_arrays_free(reloaded);
    mx_named_arrays_free(params);
    mx_optimizer_free(optimizer);
    mx_free(val_x);
    mx_free(val_y);
    free(losses);
    free(step_ms);
    free(data.text);
    free(data.tokens);
    return 0;
}
