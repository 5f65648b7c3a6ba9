/* examples/loss_plot.c - see loss_plot.h. */
#include "loss_plot.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum { WIDTH = 800, HEIGHT = 420, LEFT = 56, RIGHT = 16, TOP = 16, BOTTOM = 36, SCALE = 2 };

typedef struct canvas {
    uint8_t *rgb; /* HEIGHT rows of WIDTH * 3 bytes */
} canvas;

static void put(canvas *c, int x, int y, const uint8_t color[3]) {
    if (x < 0 || y < 0 || x >= WIDTH || y >= HEIGHT)
        return;
    memcpy(c->rgb + ((size_t)y * WIDTH + (size_t)x) * 3, color, 3);
}

/* Bresenham, with a square pen of the given width. */
static void line(canvas *c, int x0, int y0, int x1, int y1, int pen, const uint8_t color[3]) {
    int dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;
    for (;;) {
        for (int i = 0; i < pen; i++)
            for (int j = 0; j < pen; j++)
                put(c, x0 + i - pen / 2, y0 + j - pen / 2, color);
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * err;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}

/* 3x5 glyphs for the axis labels: digits, '.', '-'; rows top to bottom, 3 bits each. */
static const uint8_t *glyph(char ch) {
    static const uint8_t digits[10][5] = {{7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7},
                                          {5, 5, 7, 1, 1}, {7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1},
                                          {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7}};
    static const uint8_t dot[5] = {0, 0, 0, 0, 2}, minus[5] = {0, 0, 7, 0, 0};
    if (ch >= '0' && ch <= '9')
        return digits[ch - '0'];
    return ch == '.' ? dot : ch == '-' ? minus : NULL;
}

/* Text whose top-left corner is (x, y); each glyph cell is 4 * SCALE wide. */
static void text(canvas *c, int x, int y, const char *s, const uint8_t color[3]) {
    for (; *s; s++, x += 4 * SCALE) {
        const uint8_t *g = glyph(*s);
        for (int row = 0; g && row < 5; row++)
            for (int col = 0; col < 3; col++)
                if (g[row] & (4 >> col))
                    for (int i = 0; i < SCALE; i++)
                        for (int j = 0; j < SCALE; j++)
                            put(c, x + col * SCALE + i, y + row * SCALE + j, color);
    }
}

static int text_width(const char *s) { return (int)strlen(s) * 4 * SCALE - SCALE; }

/* A round tick spacing (1, 2 or 5 times a power of ten) giving about `count` ticks over `range`. */
static double tick_step(double range, int count) {
    double raw = range / count, p = pow(10.0, floor(log10(raw))), f = raw / p;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

static void be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static bool chunk(FILE *f, const char type[4], const uint8_t *data, uint32_t size) {
    uint8_t head[8];
    be32(head, size);
    memcpy(head + 4, type, 4);
    uLong crc = crc32(0L, (const Bytef *)type, 4);
    if (size)
        crc = crc32(crc, data, size);
    uint8_t tail[4];
    be32(tail, (uint32_t)crc);
    return fwrite(head, 1, 8, f) == 8 && (size == 0 || fwrite(data, 1, size, f) == size) && fwrite(tail, 1, 4, f) == 4;
}

static bool write_png(const char *path, const canvas *c, char *error, int error_size) {
    /* each row: filter byte 0 (none), then the RGB bytes */
    size_t row = (size_t)WIDTH * 3 + 1, raw_size = row * HEIGHT;
    uint8_t *raw = malloc(raw_size);
    uLongf packed_size = compressBound((uLong)raw_size);
    uint8_t *packed = malloc(packed_size);
    bool ok = raw && packed;
    if (!ok)
        snprintf(error, (size_t)error_size, "out of memory");
    for (int y = 0; ok && y < HEIGHT; y++) {
        raw[(size_t)y * row] = 0;
        memcpy(raw + (size_t)y * row + 1, c->rgb + (size_t)y * WIDTH * 3, (size_t)WIDTH * 3);
    }
    if (ok && compress2(packed, &packed_size, raw, (uLong)raw_size, 9) != Z_OK) {
        snprintf(error, (size_t)error_size, "zlib compress2 failed");
        ok = false;
    }
    FILE *f = ok ? fopen(path, "wb") : NULL;
    if (ok && !f) {
        snprintf(error, (size_t)error_size, "cannot write %s: %s", path, strerror(errno));
        ok = false;
    }
    if (ok) {
        static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        uint8_t ihdr[13];
        be32(ihdr, WIDTH);
        be32(ihdr + 4, HEIGHT);
        ihdr[8] = 8;  /* bits per channel */
        ihdr[9] = 2;  /* RGB */
        ihdr[10] = 0; /* deflate */
        ihdr[11] = 0; /* adaptive filtering (each row says none) */
        ihdr[12] = 0; /* not interlaced */
        ok = fwrite(signature, 1, 8, f) == 8 && chunk(f, "IHDR", ihdr, 13) &&
             chunk(f, "IDAT", packed, (uint32_t)packed_size) && chunk(f, "IEND", NULL, 0);
        if (fclose(f) != 0)
            ok = false;
        if (!ok)
            snprintf(error, (size_t)error_size, "cannot write %s: %s", path, strerror(errno));
    }
    free(raw);
    free(packed);
    return ok;
}

bool loss_plot_png(const char *path, const double *losses, int n, const int *extra_steps, const double *extra,
                   int n_extra, char *error, int error_size) {
    static const uint8_t grid[3] = {225, 225, 225}, axis[3] = {60, 60, 60}, light[3] = {160, 190, 235},
                         dark[3] = {20, 70, 170}, red[3] = {210, 40, 40};
    canvas c = {malloc((size_t)WIDTH * HEIGHT * 3)};
    if (!c.rgb) {
        snprintf(error, (size_t)error_size, "out of memory");
        return false;
    }
    memset(c.rgb, 255, (size_t)WIDTH * HEIGHT * 3);
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; i++)
        if (isfinite(losses[i])) {
            lo = fmin(lo, losses[i]);
            hi = fmax(hi, losses[i]);
        }
    for (int i = 0; i < n_extra; i++)
        if (isfinite(extra[i])) {
            lo = fmin(lo, extra[i]);
            hi = fmax(hi, extra[i]);
        }
    if (!(lo <= hi)) {
        lo = 0;
        hi = 1;
    }
    if (hi - lo < 1e-6)
        hi = lo + 1;
    double ystep = tick_step(hi - lo, 6);
    lo = floor(lo / ystep) * ystep;
    hi = ceil(hi / ystep) * ystep;
    int steps = n > 1 ? n : 2;
    double xstep = tick_step(steps, 8);
    int plot_w = WIDTH - LEFT - RIGHT, plot_h = HEIGHT - TOP - BOTTOM;
#define PX(step) (LEFT + (int)lround(((double)(step)-1) / (steps - 1) * plot_w))
#define PY(v) (TOP + (int)lround((hi - (v)) / (hi - lo) * plot_h))
    char label[32];
    for (double v = lo; v <= hi + ystep / 2; v += ystep) {
        line(&c, LEFT, PY(v), LEFT + plot_w, PY(v), 1, grid);
        snprintf(label, sizeof label, ystep < 0.1 ? "%.2f" : ystep < 1 ? "%.1f" : "%.0f", v);
        text(&c, LEFT - 6 - text_width(label), PY(v) - 5, label, axis);
    }
    for (double s = xstep; s <= steps + 0.5; s += xstep) {
        line(&c, PX(s), TOP, PX(s), TOP + plot_h, 1, grid);
        snprintf(label, sizeof label, "%.0f", s);
        text(&c, PX(s) - text_width(label) / 2, TOP + plot_h + 8, label, axis);
    }
    line(&c, LEFT, TOP, LEFT, TOP + plot_h, 1, axis);
    line(&c, LEFT, TOP + plot_h, LEFT + plot_w, TOP + plot_h, 1, axis);
    for (int i = 1; i < n; i++)
        line(&c, PX(i), PY(losses[i - 1]), PX(i + 1), PY(losses[i]), 1, light);
    /* the trend: a trailing mean over ~2% of the run */
    int window = n / 50 > 1 ? n / 50 : 1;
    double sum = 0, prev = 0;
    for (int i = 0; i < n; i++) {
        sum += losses[i];
        if (i >= window)
            sum -= losses[i - window];
        double mean = sum / (i + 1 < window ? i + 1 : window);
        if (i > 0)
            line(&c, PX(i), PY(prev), PX(i + 1), PY(mean), 2, dark);
        prev = mean;
    }
    for (int i = 0; i < n_extra; i++)
        for (int d = -3; d <= 3; d++)
            line(&c, PX(extra_steps[i]) - 3, PY(extra[i]) + d, PX(extra_steps[i]) + 3, PY(extra[i]) + d, 1, red);
#undef PX
#undef PY
    bool ok = write_png(path, &c, error, error_size);
    free(c.rgb);
    return ok;
}
