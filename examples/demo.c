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
 *
 * At the end: a safetensors checkpoint (--out), reloaded into a fresh
 * parameter tree whose loss on a held-out batch must equal the trained one bit
 * for bit; sampled text; the loss curve as a PNG next to the checkpoint.
 *
 *   ./build/examples/demo [--steps N] [--data FILE] [--out PATH] [--seed S] [--quiet]
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
#include "cmlx/fast.h"
#include "cmlx/io.h"
#include "cmlx/nn.h"
#include "cmlx/optim.h"
#include "loss_plot.h"

#define FORTUNES_DIR "/usr/share/games/fortunes"
#define MAX_LAYERS 32

typedef struct config {
    int steps, layers, dims, heads, context, batch, sample_chars, warmup;
    double lr, temperature;
    uint64_t seed;
    bool quiet;
    const char *data, *out, *losses_path;
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

/* ---- model ------------------------------------------------------------------------------- */

typedef struct block {
    mx_nn_layer_norm norm1, norm2;
    mx_nn_linear qkv, out, fc1, fc2;
} block;

typedef struct gpt {
    int layers, dims, heads, context, vocab;
    mx_nn_embedding embedding;
    block blocks[MAX_LAYERS];
    mx_nn_layer_norm norm;
    mx_nn_linear head;
    mx_nn_rope rope;
} gpt;

/* The parameters, with MLX's initialisers, drawn from the global key (mx_random_seed). */
static mx_status gpt_init(gpt *m, mx_named_arrays *params, const config *cfg, int vocab) {
    m->layers = cfg->layers;
    m->dims = cfg->dims;
    m->heads = cfg->heads;
    m->context = cfg->context;
    m->vocab = vocab;
    m->rope = (mx_nn_rope){.dims = cfg->dims / cfg->heads, .traditional = false, .base = 10000, .scale = 1};
    mx_status s = mx_nn_embedding_init(&m->embedding, params, "embedding", vocab, cfg->dims, MX_NULL_ARRAY);
    for (int i = 0; s == MX_OK && i < m->layers; i++) {
        block *b = &m->blocks[i];
        char prefix[MX_NN_NAME_MAX];
        int d = cfg->dims;
#define PREFIX(part) (snprintf(prefix, sizeof prefix, "layers.%d.%s", i, part), prefix)
        s = mx_nn_layer_norm_init(&b->norm1, params, PREFIX("norm1"), d, 1e-5, true, true);
        if (s == MX_OK)
            s = mx_nn_linear_init(&b->qkv, params, PREFIX("attention.qkv"), d, 3 * d, false, MX_NULL_ARRAY);
        if (s == MX_OK)
            s = mx_nn_linear_init(&b->out, params, PREFIX("attention.out"), d, d, false, MX_NULL_ARRAY);
        if (s == MX_OK)
            s = mx_nn_layer_norm_init(&b->norm2, params, PREFIX("norm2"), d, 1e-5, true, true);
        if (s == MX_OK)
            s = mx_nn_linear_init(&b->fc1, params, PREFIX("fc1"), d, 4 * d, true, MX_NULL_ARRAY);
        if (s == MX_OK)
            s = mx_nn_linear_init(&b->fc2, params, PREFIX("fc2"), 4 * d, d, true, MX_NULL_ARRAY);
#undef PREFIX
    }
    if (s == MX_OK)
        s = mx_nn_layer_norm_init(&m->norm, params, "norm", cfg->dims, 1e-5, true, true);
    if (s == MX_OK)
        s = mx_nn_linear_init(&m->head, params, "head", cfg->dims, vocab, false, MX_NULL_ARRAY);
    return s;
}

/* x (B, T, dims) -> (B, T, dims): causal self-attention, RoPE on queries and keys. */
static mx_array attention(const gpt *m, const block *b, const mx_named_arrays *p, mx_array x) {
    int64_t B = mx_dim(x, 0), T = mx_dim(x, 1), H = m->heads, D = m->dims / m->heads;
    mx_array projected = mx_nn_linear_forward(&b->qkv, p, x), qkv[3];
    if (mx_split(projected, 3, -1, qkv) != MX_OK)
        return projected; /* an error array (or valid: then the error is the split's, set in mx_last_error) */
    static const int to_heads[4] = {0, 2, 1, 3}; /* (B, T, H, D) <-> (B, H, T, D) */
    for (int i = 0; i < 3; i++)
        qkv[i] = mx_transpose(mx_reshape(qkv[i], (int64_t[]){B, T, H, D}, 4), to_heads, 4);
    mx_array q = mx_nn_rope_forward(&m->rope, qkv[0], 0), k = mx_nn_rope_forward(&m->rope, qkv[1], 0);
    mx_array o = mx_fast_scaled_dot_product_attention(q, k, qkv[2], 1.0 / sqrt((double)D), "causal", MX_NULL_ARRAY,
                                                      MX_NULL_ARRAY);
    o = mx_reshape(mx_transpose(o, to_heads, 4), (int64_t[]){B, T, H * D}, 3);
    return mx_nn_linear_forward(&b->out, p, o);
}

/* tokens (B, T) int32 -> logits (B, T, vocab) */
static mx_array gpt_forward(const gpt *m, const mx_named_arrays *p, mx_array tokens) {
    mx_array x = mx_nn_embedding_forward(&m->embedding, p, tokens);
    for (int i = 0; i < m->layers; i++) {
        const block *b = &m->blocks[i];
        x = mx_add(x, attention(m, b, p, mx_nn_layer_norm_forward(&b->norm1, p, x)));
        mx_array h = mx_nn_gelu(mx_nn_linear_forward(&b->fc1, p, mx_nn_layer_norm_forward(&b->norm2, p, x)));
        x = mx_add(x, mx_nn_linear_forward(&b->fc2, p, h));
    }
    return mx_nn_linear_forward(&m->head, p, mx_nn_layer_norm_forward(&m->norm, p, x));
}

typedef struct loss_payload {
    const gpt *model;
    mx_array x, y;
} loss_payload;

/* mean cross-entropy of the next character */
static mx_status gpt_loss(void *payload, const mx_named_arrays *params, mx_array_list *outputs) {
    const loss_payload *lp = payload;
    mx_array logits = gpt_forward(lp->model, params, lp->x);
    mx_array loss = mx_nn_cross_entropy(logits, lp->y, MX_NULL_ARRAY, -1, 0.0, MX_NN_REDUCTION_MEAN);
    if (mx_array_status(loss) != MX_OK)
        return mx_array_status(loss);
    return mx_array_list_push(outputs, loss);
}

static double eval_loss(const gpt *m, const mx_named_arrays *params, mx_array x, mx_array y) {
    mx_scope scope = mx_scope_begin();
    mx_array_list out = {0};
    loss_payload lp = {m, x, y};
    double value = NAN;
    if (gpt_loss(&lp, params, &out) == MX_OK && mx_item_f64(out.items[0], &value) != MX_OK)
        value = NAN;
    mx_array_list_clear(&out);
    mx_scope_end(scope);
    return value;
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
        else {
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
    if (!parse_args(argc, argv, &cfg))
        return 2;
    double start_all = now_seconds();
    corpus data;
    if (!load_corpus(&data, &cfg))
        return 1;
    printf("cmlx %s demo: a character-level GPT trained from scratch; device: %s (%ld cores)\n", mx_version(),
           mx_default_device().type == MX_CPU ? "CPU" : mx_device_name(mx_default_device()),
           sysconf(_SC_NPROCESSORS_ONLN));
    if (cfg.data)
        printf("data: %s, %.2f MB, %d distinct characters\n", cfg.data, data.size / 1e6, data.vocab);
    else
        printf("data: %d files of %s (Debian's fortunes), %.2f MB, %d distinct characters\n", data.files, FORTUNES_DIR,
               data.size / 1e6, data.vocab);

    mx_random_seed(cfg.seed);
    gpt model;
    mx_named_arrays *params = mx_named_arrays_new();
    if (!params || gpt_init(&model, params, &cfg, data.vocab) != MX_OK || mx_nn_eval(params) != MX_OK)
        return fail("creating the model");
    printf("model: %d layers, %d dims, %d heads, context %d, %.2fM parameters; batch %d x %d characters, "
           "%d steps, AdamW lr %g (warm-up %d, cosine decay), grad clip 1\n",
           cfg.layers, cfg.dims, cfg.heads, cfg.context, mx_nn_num_parameters(params) / 1e6, cfg.batch, cfg.context,
           cfg.steps, cfg.lr, cfg.warmup);

    /* AdamW; learning rate: 0 -> lr over the warm-up, then cosine down to lr / 10 */
    mx_schedule *parts[2] = {
        mx_optim_linear_schedule(0.0, cfg.lr, cfg.warmup),
        mx_optim_cosine_decay(cfg.lr, cfg.steps > cfg.warmup ? cfg.steps - cfg.warmup : 1, cfg.lr / 10)};
    mx_optim_options options = mx_optim_defaults(MX_OPTIM_ADAMW, cfg.lr);
    options.schedule = mx_optim_join_schedules(parts, 2, (int64_t[]){cfg.warmup}, 1);
    options.weight_decay = 0.01;
    mx_optimizer *optimizer = options.schedule ? mx_optimizer_new(&options) : NULL;
    mx_optim_schedule_free(parts[0]);
    mx_optim_schedule_free(parts[1]);
    mx_optim_schedule_free(options.schedule);
    if (!optimizer || mx_optimizer_init(optimizer, params) != MX_OK)
        return fail("creating the optimizer");

    double *losses = calloc((size_t)cfg.steps, sizeof *losses);
    if (!losses)
        return fail("allocating");
    uint64_t rng = cfg.seed ^ 0x5eed5eed5eedull;
    double start = now_seconds(), last_print = -1;
    for (int step = 1; step <= cfg.steps; step++) {
        mx_scope scope = mx_scope_begin();
        loss_payload lp = {.model = &model};
        mx_array_list values = {0};
        mx_named_arrays *grads = NULL, *clipped = NULL;
        double lr = 0;
        mx_status s = make_batch(&data, &cfg, 0, data.train_size, &rng, &lp.x, &lp.y) ? MX_OK : MX_ERROR_MEMORY;
        if (s == MX_OK)
            s = mx_nn_value_and_grad(gpt_loss, &lp, params, &values, &grads);
        if (s == MX_OK)
            s = mx_optim_clip_grad_norm(grads, 1.0, &clipped, NULL);
        if (s == MX_OK)
            s = mx_optimizer_update(optimizer, params, clipped);
        if (s == MX_OK) {
            /* one evaluation for the whole step: parameters, optimizer state, loss */
            const mx_named_arrays *state = mx_optimizer_state(optimizer);
            int n = mx_named_arrays_size(params) + mx_named_arrays_size(state) + 1, k = 0;
            mx_array *all = malloc((size_t)n * sizeof *all);
            if (!all)
                s = MX_ERROR_MEMORY;
            for (int i = 0; all && i < mx_named_arrays_size(params); i++)
                all[k++] = mx_named_arrays_at(params, i);
            for (int i = 0; all && i < mx_named_arrays_size(state); i++)
                all[k++] = mx_named_arrays_at(state, i);
            if (all) {
                all[k++] = values.items[0];
                s = mx_eval(all, k);
            }
            free(all);
        }
        if (s == MX_OK)
            s = mx_item_f64(values.items[0], &losses[step - 1]);
        if (s == MX_OK)
            mx_item_f64(mx_optimizer_learning_rate(optimizer), &lr);
        mx_array_list_clear(&values);
        mx_named_arrays_free(grads);
        mx_named_arrays_free(clipped);
        mx_scope_end(scope);
        if (s != MX_OK)
            return fail("a training step");
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
    printf("%strained %d steps in %.1f s (%.0f tokens/s); loss %.3f at first, %.3f over the last %d steps\n",
           cfg.quiet ? "" : "\n", cfg.steps, train_seconds, (double)cfg.steps * cfg.batch * cfg.context / train_seconds,
           losses[0], tail, tail_n);

    /* held-out loss on a fixed batch of the last 5% */
    uint64_t val_rng = cfg.seed ^ 0x7a11da7aull;
    mx_array val_x, val_y;
    if (!make_batch(&data, &cfg, data.train_size, data.size, &val_rng, &val_x, &val_y))
        return fail("making the held-out batch");
    double val_loss = eval_loss(&model, params, val_x, val_y);
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
    double reloaded_loss = eval_loss(&model, reloaded, val_x, val_y);
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
    free(data.text);
    free(data.tokens);
    return 0;
}
