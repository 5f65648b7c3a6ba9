/* ops/composite_einsum.c - einsum and einsum_path, as MLX 0.32 (mlx/einsum.cpp,
 * itself after NumPy's einsum_path and opt_einsum):
 *
 *   1. parse "ij,jk->ik" (implicit output: the letters used once, sorted,
 *      after a leading "..." when there is one), expand ellipses with unused
 *      letters, and check every subscript against its operand (repeated
 *      letters of one operand must have equal sizes; sizes 1 broadcast);
 *   2. pick a contraction order: with more than two operands, the greedy
 *      path (each step contracts the pair that removes the most elements,
 *      the cheapest on ties; outer products only when nothing else is
 *      left), bounded by the naive cost and the largest term;
 *   3. run each step: repeated letters of an operand become a diagonal
 *      (the diagonal view), letters used by a single operand and not kept
 *      are summed, a pair that contracts something is one batched matmul
 *      (transpose + reshape of each side, as tensordot), anything else is a
 *      broadcast multiply and a sum.
 *
 * Every step is an op with its own gradient rule, so einsum is
 * differentiable. The path (positions, FLOP counts, scalings) is MLX's
 * exactly; MLX orders the letters of an intermediate result by dimension
 * size with ties in hash-table order, here ties go by letter (the values are
 * the same). */
#include <stdio.h>

#include "cmlx/composite.h"
#include "cmlx/ops.h"
#include "ops/composite.h"

#define EIN_MAX_TERM 64 /* letters of one subscript: 52 letters at most, plus room */

typedef struct charset {
    uint64_t bits[2]; /* ASCII */
} charset;

static inline void cs_add(charset *s, unsigned char c) { s->bits[(c >> 6) & 1] |= (uint64_t)1 << (c & 63); }
static inline bool cs_has(const charset *s, unsigned char c) {
    return c < 128 && (s->bits[(c >> 6) & 1] >> (c & 63)) & 1;
}
static inline void cs_remove(charset *s, unsigned char c) { s->bits[(c >> 6) & 1] &= ~((uint64_t)1 << (c & 63)); }
static inline charset cs_union(charset a, charset b) {
    return (charset){{a.bits[0] | b.bits[0], a.bits[1] | b.bits[1]}};
}
static inline bool cs_disjoint(charset a, charset b) { return !(a.bits[0] & b.bits[0]) && !(a.bits[1] & b.bits[1]); }
static inline int cs_count(charset s) { return __builtin_popcountll(s.bits[0]) + __builtin_popcountll(s.bits[1]); }

typedef struct term {
    char str[EIN_MAX_TERM + 1];
    int len;
    charset set;
} term;

static void term_set(term *t, const char *s, int len) {
    memcpy(t->str, s, (size_t)len);
    t->str[len] = 0;
    t->len = len;
    t->set = (charset){{0, 0}};
    for (int i = 0; i < len; i++)
        cs_add(&t->set, (unsigned char)s[i]);
}

typedef struct path_node {
    term *inputs;
    int n_inputs;
    term output;
    int *positions;
} path_node;

typedef struct ein_plan {
    path_node *nodes;
    int n_nodes;
    uint64_t naive_cost, optimized_cost;
    int naive_scaling, optimized_scaling;
    term output; /* the final output subscript */
} ein_plan;

static void plan_free(ein_plan *p) {
    for (int i = 0; i < p->n_nodes; i++) {
        free(p->nodes[i].inputs);
        free(p->nodes[i].positions);
    }
    free(p->nodes);
    p->nodes = NULL;
    p->n_nodes = 0;
}

/* ---- sizes and costs --------------------------------------------------------------------------------- */

typedef struct dims {
    int64_t size[128];
    bool known[128];
} dims;

static uint64_t set_size(charset s, const dims *d) {
    uint64_t n = 1;
    for (int c = 0; c < 128; c++)
        if (cs_has(&s, (unsigned char)c))
            n *= d->known[c] ? (uint64_t)d->size[c] : 0;
    return n;
}

static uint64_t flop_count(charset letters, bool inner, int num_terms, const dims *d) {
    uint64_t factor = num_terms - 1 > 1 ? (uint64_t)(num_terms - 1) : 1;
    if (inner)
        factor += 1;
    return set_size(letters, d) * factor;
}

static void cost_and_scaling(const term *inputs, int n, const term *output, const dims *d, uint64_t *cost,
                             int *scaling) {
    charset all = {{0, 0}};
    for (int i = 0; i < n; i++)
        all = cs_union(all, inputs[i].set);
    bool inner = false;
    for (int c = 0; c < 128 && !inner; c++)
        inner = cs_has(&all, (unsigned char)c) && !cs_has(&output->set, (unsigned char)c);
    *cost = flop_count(all, inner, n, d);
    *scaling = cs_count(all);
}

/* ---- the greedy path ------------------------------------------------------------------------------------ */

typedef struct contraction {
    int64_t removed; /* elements removed (may be negative) */
    uint64_t cost;
    charset output;
    int dims;
    int x, y;
} contraction;

typedef struct growable {
    void *items;
    int n, cap;
    size_t item;
} growable;

static bool grow_push(growable *g, const void *item) {
    if (g->n == g->cap) {
        int cap = g->cap ? 2 * g->cap : 16;
        void *items = realloc(g->items, g->item * (size_t)cap);
        if (!items)
            return false;
        g->items = items;
        g->cap = cap;
    }
    memcpy((char *)g->items + g->item * (size_t)g->n++, item, g->item);
    return true;
}

static bool push_node(ein_plan *p, const term *inputs, int n, const term *output, const int *positions) {
    path_node *nodes = realloc(p->nodes, sizeof *nodes * (size_t)(p->n_nodes + 1));
    if (!nodes)
        return false;
    p->nodes = nodes;
    path_node *node = &nodes[p->n_nodes];
    node->inputs = malloc(sizeof(term) * (size_t)(n ? n : 1));
    node->positions = malloc(sizeof(int) * (size_t)(n ? n : 1));
    if (!node->inputs || !node->positions) {
        free(node->inputs);
        free(node->positions);
        return false;
    }
    memcpy(node->inputs, inputs, sizeof(term) * (size_t)n);
    memcpy(node->positions, positions, sizeof(int) * (size_t)n);
    node->n_inputs = n;
    node->output = *output;
    p->n_nodes++;
    return true;
}

/* The letters of a new term ordered by dimension size (ties by letter). */
static void order_by_size(charset s, const dims *d, term *out) {
    char buf[EIN_MAX_TERM + 1];
    int n = 0;
    for (int c = 0; c < 128; c++)
        if (cs_has(&s, (unsigned char)c) && n < EIN_MAX_TERM)
            buf[n++] = (char)c;
    for (int i = 1; i < n; i++) { /* insertion sort: stable, so ties stay in letter order */
        char c = buf[i];
        int j = i - 1;
        while (j >= 0 && d->size[(unsigned char)buf[j]] > d->size[(unsigned char)c]) {
            buf[j + 1] = buf[j];
            j--;
        }
        buf[j + 1] = c;
    }
    term_set(out, buf, n);
}

static mx_status greedy_path(term *inputs, int n, const term *output, const dims *d, uint64_t cost_limit,
                             uint64_t memory_limit, ein_plan *plan) {
    growable pairs = {.item = sizeof(int[2])}, possible = {.item = sizeof(contraction)};
    mx_status st = MX_OK;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (!grow_push(&pairs, (int[2]){i, j}))
                goto oom;
    uint64_t path_cost = 0;
    int path_scaling = 0;
    int num_in = n;
    for (int step = 0; step < num_in - 1; step++) {
        for (int pass = 0; pass < 2; pass++) {
            /* the first pass skips outer products; the second runs only when
             * nothing was found, and takes every pair */
            if (pass == 1 && possible.n > 0)
                break;
            for (int k = 0; k < pairs.n; k++) {
                int p1 = ((int(*)[2])pairs.items)[k][0], p2 = ((int(*)[2])pairs.items)[k][1];
                if (pass == 0 && cs_disjoint(inputs[p1].set, inputs[p2].set))
                    continue;
                charset contracted = cs_union(inputs[p1].set, inputs[p2].set), kept = {{0, 0}};
                for (int i = 0; i < n; i++) {
                    if (i == p1 || i == p2)
                        continue;
                    for (int w = 0; w < 2; w++)
                        kept.bits[w] |= inputs[i].set.bits[w] & contracted.bits[w];
                }
                for (int w = 0; w < 2; w++)
                    kept.bits[w] |= output->set.bits[w] & contracted.bits[w];
                uint64_t new_size = set_size(kept, d);
                if (new_size > memory_limit)
                    continue;
                int64_t removed =
                    (int64_t)(set_size(inputs[p1].set, d) + set_size(inputs[p2].set, d)) - (int64_t)new_size;
                bool inner = cs_count(contracted) > cs_count(kept);
                uint64_t cost = flop_count(contracted, inner, 2, d);
                if (path_cost + cost > cost_limit)
                    continue;
                contraction c = {removed, cost, kept, cs_count(contracted), p1, p2};
                if (!grow_push(&possible, &c))
                    goto oom;
            }
        }
        if (possible.n == 0) { /* the rest in one naive step */
            int positions[MX_MAX_NDIM * 4];
            int *pos = n <= (int)(sizeof positions / sizeof *positions) ? positions : malloc(sizeof(int) * (size_t)n);
            if (!pos)
                goto oom;
            for (int i = 0; i < n; i++)
                pos[i] = i;
            uint64_t cost;
            int scale;
            cost_and_scaling(inputs, n, output, d, &cost, &scale);
            bool ok = push_node(plan, inputs, n, output, pos);
            if (pos != positions)
                free(pos);
            if (!ok)
                goto oom;
            path_cost += cost;
            path_scaling = scale > path_scaling ? scale : path_scaling;
            break;
        }
        contraction *all = possible.items;
        int best = 0;
        for (int k = 1; k < possible.n; k++)
            if (all[k].removed > all[best].removed ||
                (all[k].removed == all[best].removed && all[k].cost < all[best].cost))
                best = k;
        contraction chosen = all[best];
        path_scaling = chosen.dims > path_scaling ? chosen.dims : path_scaling;
        term new_output;
        order_by_size(chosen.output, d, &new_output);
        term pair[2] = {inputs[chosen.x], inputs[chosen.y]};
        if (!push_node(plan, pair, 2, &new_output, (int[]){chosen.x, chosen.y}))
            goto oom;
        /* remove the two terms (y > x), append the result */
        memmove(&inputs[chosen.y], &inputs[chosen.y + 1], sizeof(term) * (size_t)(n - chosen.y - 1));
        n--;
        memmove(&inputs[chosen.x], &inputs[chosen.x + 1], sizeof(term) * (size_t)(n - chosen.x - 1));
        n--;
        inputs[n++] = new_output;
        /* keep the contractions that use neither term, renumbered */
        int kept = 0;
        for (int k = 0; k < possible.n; k++) {
            contraction c = all[k];
            if (c.x == chosen.x || c.x == chosen.y || c.y == chosen.x || c.y == chosen.y)
                continue;
            c.x -= (c.x > chosen.x) + (c.x > chosen.y);
            c.y -= (c.y > chosen.x) + (c.y > chosen.y);
            all[kept++] = c;
        }
        possible.n = kept;
        pairs.n = 0;
        for (int i = 0; i < n - 1; i++)
            if (!grow_push(&pairs, (int[2]){i, n - 1}))
                goto oom;
        path_cost += chosen.cost;
    }
    plan->optimized_cost = path_cost;
    plan->optimized_scaling = path_scaling;
    goto done;
oom:
    st = mx_set_error(MX_ERROR_MEMORY, "einsum: out of memory planning the contraction path");
done:
    free(pairs.items);
    free(possible.items);
    return st;
}

/* ---- parsing and the plan ------------------------------------------------------------------------------ */

/* Split `lhs` on commas (keeping empty subscripts) into out (count entries). */
static bool split_inputs(const char *lhs, char (*out)[EIN_MAX_TERM * 2 + 8], int count) {
    const char *start = lhs;
    for (int i = 0; i < count; i++) {
        const char *comma = strchr(start, ',');
        size_t len = comma ? (size_t)(comma - start) : strlen(start);
        if (len > EIN_MAX_TERM * 2)
            return false;
        memcpy(out[i], start, len);
        out[i][len] = 0;
        start = comma ? comma + 1 : start + len;
    }
    return true;
}

static int compare_char(const void *a, const void *b) { return *(const char *)a - *(const char *)b; }

/* Replace a subscript's "..." by `len` letters (the last ones of `spare`),
 * after checking its characters as MLX does. ndim < 0: the output (len
 * given). */
static mx_status expand_ellipsis(const char *fn, char *sub, int ndim, int operand, int *max_len, const char *spare,
                                 int n_spare, const int64_t *shape) {
    bool have = false;
    int before = 0, after = 0, at = -1, size = (int)strlen(sub);
    for (int i = 0; i < size; i++) {
        unsigned char c = (unsigned char)sub[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            if (i + 2 >= size || sub[i] != '.' || sub[i + 1] != '.' || sub[i + 2] != '.')
                return mx_set_error(MX_ERROR_VALUE, "%s: subscripts must be letters, but got '%c'", fn, sub[i]);
            if (have)
                return mx_set_error(MX_ERROR_VALUE,
                                    "%s: only one ellipsis per subscript is allowed but found more in '%s'", fn, sub);
            have = true;
            at = i;
            i += 2;
            continue;
        }
        if (have)
            after++;
        else
            before++;
    }
    if (!have)
        return MX_OK;
    int len;
    if (ndim >= 0) {
        len = ndim - before - after;
        if (len < 0) {
            char s[MX_SHAPE_STR_CAP];
            return mx_set_error(MX_ERROR_VALUE,
                                "%s: operand %d with shape %s has insufficient dimensions for subscript '%s'; the "
                                "ellipsis requires at least %d dimensions",
                                fn, operand, mx_format_shape(shape, ndim, s, sizeof s), sub, before + after);
        }
        *max_len = len > *max_len ? len : *max_len;
    } else {
        len = *max_len;
    }
    if (len > n_spare || before + len + after > EIN_MAX_TERM)
        return mx_set_error(MX_ERROR_VALUE, "%s: too many dimensions for the ellipsis of '%s'", fn, sub);
    char tail[EIN_MAX_TERM * 2 + 8];
    strcpy(tail, sub + at + 3);
    memcpy(sub + at, spare + n_spare - len, (size_t)len);
    strcpy(sub + at + len, tail);
    return MX_OK;
}

/* Everything einsum and einsum_path share: parse, check, plan. */
static mx_status make_plan(const char *fn, const char *subscripts, mx_node *const *ops, int n, ein_plan *plan,
                           dims *d) {
    memset(plan, 0, sizeof *plan);
    memset(d, 0, sizeof *d);
    if (!subscripts)
        return mx_set_error(MX_ERROR_VALUE, "%s: NULL subscripts", fn);
    if (n <= 0)
        return mx_set_error(MX_ERROR_VALUE, "%s: at least one operand is required", fn);
    size_t full = strlen(subscripts);
    char *text = malloc(full + 1);
    if (!text)
        return mx_set_error(MX_ERROR_MEMORY, "%s: out of memory", fn);
    size_t tl = 0;
    for (size_t i = 0; i < full; i++)
        if (subscripts[i] != ' ')
            text[tl++] = subscripts[i];
    text[tl] = 0;
    mx_status st = MX_OK;
    char(*in_subs)[EIN_MAX_TERM * 2 + 8] = NULL;
    term *inputs = NULL;
    char out_sub[EIN_MAX_TERM * 2 + 8] = {0};
    char *arrow = strstr(text, "->");
    if (arrow) {
        *arrow = 0;
        if (strlen(arrow + 2) > EIN_MAX_TERM * 2) {
            st = mx_set_error(MX_ERROR_VALUE, "%s: the output subscript is too long", fn);
            goto done;
        }
        strcpy(out_sub, arrow + 2);
    } else {
        /* implicit output: "..." first if any, then letters used once, sorted */
        int counts[256] = {0}, len = 0;
        for (const char *c = text; *c; c++) {
            if (*c == ',')
                continue;
            if (*c == '.' && len == 0) {
                strcpy(out_sub, "...");
                len = 3;
                continue;
            }
            counts[(unsigned char)*c]++;
        }
        for (int c = 0; c < 256 && len < EIN_MAX_TERM * 2; c++)
            if (counts[c] == 1)
                out_sub[len++] = (char)c;
        out_sub[len] = 0;
        qsort(out_sub, (size_t)len, 1, compare_char);
    }
    int n_subs = 1;
    for (const char *c = text; *c; c++)
        n_subs += *c == ',';
    if (n_subs != n) {
        st = mx_set_error(MX_ERROR_VALUE, "%s: number of operands, %d, does not match number of input subscripts, %d",
                          fn, n, n_subs);
        goto done;
    }
    in_subs = malloc(sizeof *in_subs * (size_t)(n + 1));
    inputs = malloc(sizeof *inputs * (size_t)(n + 1));
    if (!in_subs || !inputs) {
        st = mx_set_error(MX_ERROR_MEMORY, "%s: out of memory", fn);
        goto done;
    }
    if (!split_inputs(text, in_subs, n)) {
        st = mx_set_error(MX_ERROR_VALUE, "%s: a subscript of '%s' is too long", fn, subscripts);
        goto done;
    }
    /* letters free for ellipses: a-z then A-Z, unused anywhere in subscripts */
    char spare[52];
    int n_spare = 0;
    charset used = {{0, 0}};
    for (const char *c = subscripts; *c; c++)
        if ((unsigned char)*c < 128)
            cs_add(&used, (unsigned char)*c);
    for (char c = 'a'; c <= 'z'; c++)
        if (!cs_has(&used, (unsigned char)c))
            spare[n_spare++] = c;
    for (char c = 'A'; c <= 'Z'; c++)
        if (!cs_has(&used, (unsigned char)c))
            spare[n_spare++] = c;
    int max_len = 0;
    for (int i = 0; i < n && st == MX_OK; i++)
        st = expand_ellipsis(fn, in_subs[i], ops[i]->ndim, i, &max_len, spare, n_spare, ops[i]->shape);
    if (st == MX_OK)
        st = expand_ellipsis(fn, out_sub, -1, -1, &max_len, spare, n_spare, NULL);
    if (st != MX_OK)
        goto done;
    term output;
    if (strlen(out_sub) > EIN_MAX_TERM) {
        st = mx_set_error(MX_ERROR_VALUE, "%s: the output subscript '%s' is too long", fn, out_sub);
        goto done;
    }
    term_set(&output, out_sub, (int)strlen(out_sub));
    if (cs_count(output.set) != output.len) {
        st = mx_set_error(MX_ERROR_VALUE, "%s: repeat indices not allowed in output ('%s')", fn, out_sub);
        goto done;
    }
    for (int i = 0; i < n; i++) {
        const char *in = in_subs[i];
        int len = (int)strlen(in);
        if (len != ops[i]->ndim) {
            st = mx_set_error(MX_ERROR_VALUE, "%s: invalid number of subscripts %d for input %d with %d dimensions", fn,
                              len, i, ops[i]->ndim);
            goto done;
        }
        term_set(&inputs[i], in, len);
        /* repeated letters of one operand: equal sizes */
        for (int j = 0; j < len; j++)
            for (int k = 0; k < j; k++)
                if (in[j] == in[k] && ops[i]->shape[j] != ops[i]->shape[k]) {
                    st = mx_set_error(MX_ERROR_VALUE,
                                      "%s: dimensions of repeated subscripts do not have the same size (%lld != %lld)",
                                      fn, (long long)ops[i]->shape[k], (long long)ops[i]->shape[j]);
                    goto done;
                }
        for (int j = 0; j < len; j++) {
            unsigned char c = (unsigned char)in[j];
            int64_t dim = ops[i]->shape[j];
            if (!d->known[c]) {
                d->known[c] = true;
                d->size[c] = dim;
            } else if (dim != 1 && d->size[c] != 1 && d->size[c] != dim) {
                char s[MX_SHAPE_STR_CAP];
                st = mx_set_error(MX_ERROR_VALUE,
                                  "%s: cannot broadcast dimension %d of input %d with shape %s to size %lld", fn, j, i,
                                  mx_format_shape(ops[i]->shape, ops[i]->ndim, s, sizeof s), (long long)d->size[c]);
                goto done;
            }
            if (dim > d->size[c])
                d->size[c] = dim;
        }
    }
    uint64_t max_size = set_size(output.set, d);
    for (int i = 0; i < n; i++) {
        uint64_t s = 1;
        for (int j = 0; j < inputs[i].len; j++)
            s *= (uint64_t)d->size[(unsigned char)inputs[i].str[j]];
        max_size = s > max_size ? s : max_size;
    }
    cost_and_scaling(inputs, n, &output, d, &plan->naive_cost, &plan->naive_scaling);
    plan->output = output;
    if (n <= 2) {
        int positions[2] = {0, 1};
        if (!push_node(plan, inputs, n, &output, positions)) {
            st = mx_set_error(MX_ERROR_MEMORY, "%s: out of memory", fn);
            goto done;
        }
        plan->optimized_cost = plan->naive_cost;
        plan->optimized_scaling = plan->naive_scaling;
    } else {
        st = greedy_path(inputs, n, &output, d, plan->naive_cost, max_size, plan);
        if (st == MX_OK)
            plan->nodes[plan->n_nodes - 1].output = output;
    }
done:
    if (st != MX_OK)
        plan_free(plan);
    free(in_subs);
    free(inputs);
    free(text);
    return st;
}

/* ---- einsum_path ------------------------------------------------------------------------------------------ */

mx_status mx_einsum_path(const char *subscripts, const mx_array *operands, int n, mx_einsum_path_info *info) {
    if (!info)
        return mx_set_error(MX_ERROR_VALUE, "einsum_path: NULL result");
    memset(info, 0, sizeof *info);
    mx_node *small[16];
    mx_node **ops = n <= 16 ? small : malloc(sizeof *ops * (size_t)n);
    if (!ops)
        return mx_set_error(MX_ERROR_MEMORY, "einsum_path: out of memory");
    mx_status st = n > 0 && !cb_handles(operands, n, "einsum_path", ops) ? mx_last_status() : MX_OK;
    ein_plan plan = {0};
    dims d;
    if (st == MX_OK)
        st = make_plan("einsum_path", subscripts, ops, n, &plan, &d);
    if (st == MX_OK) {
        int total = 0;
        for (int i = 0; i < plan.n_nodes; i++)
            total += plan.nodes[i].n_inputs;
        info->step_sizes = malloc(sizeof(int) * (size_t)(plan.n_nodes > 0 ? plan.n_nodes : 1));
        info->positions = malloc(sizeof(int) * (size_t)(total > 0 ? total : 1));
        size_t cap = strlen(subscripts) + 256;
        info->text = malloc(cap);
        if (!info->step_sizes || !info->positions || !info->text) {
            mx_einsum_path_free(info);
            st = mx_set_error(MX_ERROR_MEMORY, "einsum_path: out of memory");
        } else {
            int k = 0;
            for (int i = 0; i < plan.n_nodes; i++) {
                info->step_sizes[i] = plan.nodes[i].n_inputs;
                for (int j = 0; j < plan.nodes[i].n_inputs; j++)
                    info->positions[k++] = plan.nodes[i].positions[j];
            }
            info->n_steps = plan.n_nodes;
            snprintf(info->text, cap,
                     "  Complete contraction:  %s\n         Naive scaling:  %d\n     Optimized scaling:  %d\n      "
                     "Naive FLOP count:  %llu\n  Optimized FLOP count:  %llu\n",
                     subscripts, plan.naive_scaling, plan.optimized_scaling, (unsigned long long)plan.naive_cost,
                     (unsigned long long)plan.optimized_cost);
        }
    }
    plan_free(&plan);
    if (ops != small)
        free(ops);
    return st;
}

void mx_einsum_path_free(mx_einsum_path_info *info) {
    if (!info)
        return;
    free(info->step_sizes);
    free(info->positions);
    free(info->text);
    memset(info, 0, sizeof *info);
}

/* ---- running the plan ---------------------------------------------------------------------------------------- */

/* Collapse repeated letters of one operand into diagonals: the letters
 * used once keep their order, each repeated letter's diagonal goes last. */
static mx_node *collapse_repeats(cb_builder *b, mx_node *x, term *t) {
    for (;;) {
        int first = -1, second = -1;
        for (int j = 0; j < t->len && second < 0; j++)
            for (int k = 0; k < j; k++)
                if (t->str[j] == t->str[k]) {
                    first = k;
                    second = j;
                    break;
                }
        if (second < 0 || !x)
            return x;
        char c = t->str[first];
        x = cb_own(b, x ? mx_node_diagonal(x, 0, first, second, "einsum") : NULL);
        /* the diagonal drops both axes and appends one */
        char rest[EIN_MAX_TERM + 1];
        int n = 0;
        for (int j = 0; j < t->len; j++)
            if (j != first && j != second)
                rest[n++] = t->str[j];
        rest[n++] = c;
        term_set(t, rest, n);
    }
}

/* Drop letters used by one operand only and not kept: a sum. `others` are
 * the letters of the other operands of the step and of its output. */
static mx_node *sum_single(cb_builder *b, mx_node *x, term *t, charset others) {
    int axes[MX_MAX_NDIM], naxes = 0;
    char rest[EIN_MAX_TERM + 1];
    int n = 0;
    for (int j = 0; j < t->len; j++) {
        if (!cs_has(&others, (unsigned char)t->str[j]))
            axes[naxes++] = j;
        else
            rest[n++] = t->str[j];
    }
    if (naxes == 0)
        return x;
    term_set(t, rest, n);
    return cb_reduce(b, &mx_op_sum, x, axes, naxes, false);
}

/* Contract two operands with a batched matmul: batch letters (in both and
 * kept), a's free letters, b's free letters, contracted letters summed. The
 * result's letters are batch, a free, b free; then transposed to `out`. */
static mx_node *dot_pair(cb_builder *b, mx_node *x, const term *ta, mx_node *y, const term *tb, const term *out) {
    int a_batch[MX_MAX_NDIM], a_free[MX_MAX_NDIM], a_con[MX_MAX_NDIM], b_batch[MX_MAX_NDIM], b_free[MX_MAX_NDIM],
        b_con[MX_MAX_NDIM];
    int nb = 0, nfa = 0, nc = 0, nfb = 0;
    char order[EIN_MAX_TERM + 1];
    int n_order = 0;
    for (int i = 0; i < ta->len; i++) {
        unsigned char c = (unsigned char)ta->str[i];
        if (!cs_has(&out->set, c))
            a_con[nc++] = i;
        else if (cs_has(&tb->set, c))
            a_batch[nb++] = i;
        else
            a_free[nfa++] = i;
    }
    for (int i = 0; i < nc; i++)
        b_con[i] = (int)(strchr(tb->str, ta->str[a_con[i]]) - tb->str);
    for (int i = 0; i < nb; i++)
        b_batch[i] = (int)(strchr(tb->str, ta->str[a_batch[i]]) - tb->str);
    for (int i = 0; i < tb->len; i++) {
        unsigned char c = (unsigned char)tb->str[i];
        if (cs_has(&out->set, c) && !cs_has(&ta->set, c))
            b_free[nfb++] = i;
    }
    for (int i = 0; i < nb; i++)
        order[n_order++] = ta->str[a_batch[i]];
    for (int i = 0; i < nfa; i++)
        order[n_order++] = ta->str[a_free[i]];
    for (int i = 0; i < nfb; i++)
        order[n_order++] = tb->str[b_free[i]];
    if (!x || !y)
        return NULL;
    /* broadcast size-1 batch and contracted dims against the other side */
    int64_t xs[MX_MAX_NDIM], ys[MX_MAX_NDIM];
    memcpy(xs, x->shape, sizeof(int64_t) * (size_t)x->ndim);
    memcpy(ys, y->shape, sizeof(int64_t) * (size_t)y->ndim);
    for (int i = 0; i < nc; i++) {
        int64_t m = xs[a_con[i]] > ys[b_con[i]] ? xs[a_con[i]] : ys[b_con[i]];
        xs[a_con[i]] = ys[b_con[i]] = m;
    }
    for (int i = 0; i < nb; i++) {
        int64_t m = xs[a_batch[i]] > ys[b_batch[i]] ? xs[a_batch[i]] : ys[b_batch[i]];
        xs[a_batch[i]] = ys[b_batch[i]] = m;
    }
    x = cb_broadcast(b, x, xs, x->ndim);
    y = cb_broadcast(b, y, ys, y->ndim);
    /* a -> (batch..., free_a, con), b -> (batch..., con, free_b) */
    int perm_a[MX_MAX_NDIM], perm_b[MX_MAX_NDIM], k = 0;
    int64_t shape_a[MX_MAX_NDIM], shape_b[MX_MAX_NDIM], out_shape[MX_MAX_NDIM], free_a = 1, free_b = 1, con = 1;
    int n_out = 0;
    for (int i = 0; i < nb; i++) {
        perm_a[k] = a_batch[i];
        shape_a[i] = shape_b[i] = xs[a_batch[i]];
        out_shape[n_out++] = xs[a_batch[i]];
        perm_b[k++] = b_batch[i];
    }
    for (int i = 0; i < nfa; i++) {
        perm_a[nb + i] = a_free[i];
        free_a *= xs[a_free[i]];
        out_shape[n_out++] = xs[a_free[i]];
    }
    for (int i = 0; i < nc; i++) {
        perm_a[nb + nfa + i] = a_con[i];
        perm_b[nb + i] = b_con[i];
        con *= xs[a_con[i]];
    }
    for (int i = 0; i < nfb; i++) {
        perm_b[nb + nc + i] = b_free[i];
        free_b *= ys[b_free[i]];
        out_shape[n_out++] = ys[b_free[i]];
    }
    shape_a[nb] = free_a;
    shape_a[nb + 1] = con;
    shape_b[nb] = con;
    shape_b[nb + 1] = free_b;
    mx_node *ma = cb_reshape(b, cb_transpose(b, x, perm_a), shape_a, nb + 2);
    mx_node *mb = cb_reshape(b, cb_transpose(b, y, perm_b), shape_b, nb + 2);
    mx_node *r = cb_reshape(b, cb_matmul(b, ma, mb), out_shape, n_out);
    int perm[MX_MAX_NDIM];
    for (int i = 0; i < out->len; i++)
        perm[i] = (int)(memchr(order, out->str[i], (size_t)n_order)
                            ? (char *)memchr(order, out->str[i], (size_t)n_order) - order
                            : 0);
    return cb_transpose(b, r, perm);
}

/* Broadcast multiply and sum (MLX's einsum_naive): every operand is laid out
 * over the letters of all of them (in order of first appearance), size-1
 * dims added for letters it lacks. */
static mx_node *naive(cb_builder *b, mx_node **xs, term *ts, int n, const term *out) {
    char all[EIN_MAX_TERM + 1];
    int n_all = 0;
    charset seen = {{0, 0}};
    for (int i = 0; i < n; i++)
        for (int j = 0; j < ts[i].len; j++)
            if (!cs_has(&seen, (unsigned char)ts[i].str[j]) && n_all < EIN_MAX_TERM) {
                cs_add(&seen, (unsigned char)ts[i].str[j]);
                all[n_all++] = ts[i].str[j];
            }
    if (n_all > MX_MAX_NDIM) {
        mx_set_error(MX_ERROR_VALUE, "einsum: %d distinct subscripts exceed the maximum rank %d", n_all, MX_MAX_NDIM);
        b->failed = true;
        return NULL;
    }
    mx_node *prod = NULL;
    for (int i = 0; i < n; i++) {
        mx_node *x = xs[i];
        if (!x)
            return NULL;
        /* (own letters..., missing letters as 1) -> transposed to `all` order */
        int64_t shape[MX_MAX_NDIM];
        char have[EIN_MAX_TERM + 1];
        int nd = 0;
        for (int j = 0; j < ts[i].len; j++) {
            shape[nd] = x->shape[j];
            have[nd++] = ts[i].str[j];
        }
        for (int a = 0; a < n_all; a++)
            if (!cs_has(&ts[i].set, (unsigned char)all[a])) {
                shape[nd] = 1;
                have[nd++] = all[a];
            }
        x = cb_reshape(b, x, shape, nd);
        int perm[MX_MAX_NDIM];
        for (int a = 0; a < n_all; a++)
            perm[a] = (int)((char *)memchr(have, all[a], (size_t)nd) - have);
        x = cb_transpose(b, x, perm);
        prod = prod ? cb_binary(b, &mx_op_multiply, prod, x) : x;
    }
    int sum_axes[MX_MAX_NDIM], n_sum = 0;
    char kept[EIN_MAX_TERM + 1];
    int n_kept = 0;
    for (int a = 0; a < n_all; a++) {
        if (!cs_has(&out->set, (unsigned char)all[a]))
            sum_axes[n_sum++] = a;
        else
            kept[n_kept++] = all[a];
    }
    if (n_sum)
        prod = cb_reduce(b, &mx_op_sum, prod, sum_axes, n_sum, false);
    int perm[MX_MAX_NDIM];
    for (int i = 0; i < out->len; i++)
        perm[i] = (int)((char *)memchr(kept, out->str[i], (size_t)n_kept) - kept);
    return cb_transpose(b, prod, perm);
}

mx_array mx_einsum(const char *subscripts, const mx_array *operands, int n) {
    mx_node *small[16];
    mx_node **ops = n > 0 && n <= 16 ? small : malloc(sizeof *ops * (size_t)(n > 0 ? n : 1));
    if (!ops) {
        mx_set_error(MX_ERROR_MEMORY, "einsum: out of memory");
        return mx_handle_wrap(NULL);
    }
    ein_plan plan = {0};
    dims d;
    mx_node *result = NULL;
    if (n > 0 && !cb_handles(operands, n, "einsum", ops))
        goto done;
    if (make_plan("einsum", subscripts, ops, n, &plan, &d) != MX_OK)
        goto done;
    for (int c = 0; c < plan.output.len; c++) {
        if (!d.known[(unsigned char)plan.output.str[c]]) { /* MLX fails in a transpose: ValueError */
            mx_set_error(MX_ERROR_VALUE, "einsum: output subscript '%c' does not appear in any input of '%s'",
                         plan.output.str[c], subscripts);
            goto done;
        }
    }
    /* the live operands: the inputs, then each step's result appended */
    cb_builder b = {0};
    mx_node **live = malloc(sizeof *live * (size_t)(n + plan.n_nodes + 1));
    if (!live) {
        mx_set_error(MX_ERROR_MEMORY, "einsum: out of memory");
        goto done;
    }
    int n_live = n;
    memcpy(live, ops, sizeof *live * (size_t)n);
    for (int s = 0; s < plan.n_nodes && !b.failed; s++) {
        path_node *node = &plan.nodes[s];
        int k = node->n_inputs;
        mx_node *xs[2] = {NULL, NULL};
        mx_node **args = k <= 2 ? xs : malloc(sizeof *args * (size_t)k);
        if (!args) {
            mx_set_error(MX_ERROR_MEMORY, "einsum: out of memory");
            b.failed = true;
            break;
        }
        for (int i = 0; i < k; i++)
            args[i] = collapse_repeats(&b, live[node->positions[i]], &node->inputs[i]);
        for (int i = 0; i < k; i++) {
            charset others = node->output.set;
            for (int j = 0; j < k; j++)
                if (j != i)
                    others = cs_union(others, node->inputs[j].set);
            args[i] = sum_single(&b, args[i], &node->inputs[i], others);
        }
        bool dot = false;
        if (k == 2)
            for (int j = 0; j < node->inputs[0].len && !dot; j++)
                dot = !cs_has(&node->output.set, (unsigned char)node->inputs[0].str[j]);
        mx_node *r = dot ? dot_pair(&b, args[0], &node->inputs[0], args[1], &node->inputs[1], &node->output)
                         : naive(&b, args, node->inputs, k, &node->output);
        if (args != xs)
            free(args);
        /* positions are increasing: remove from the back */
        for (int i = k - 1; i >= 0; i--) {
            int p = node->positions[i];
            memmove(&live[p], &live[p + 1], sizeof *live * (size_t)(n_live - p - 1));
            n_live--;
        }
        live[n_live++] = r;
    }
    result = cb_finish(&b, n_live == 1 ? live[0] : NULL);
    free(live);
done:
    plan_free(&plan);
    if (ops != small)
        free(ops);
    return mx_handle_wrap(result);
}
