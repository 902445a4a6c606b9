/*===- main.c - The Fashion-MNIST network called from C -----------*- C -*-===//
 *
 * Runs the Fashion-MNIST network compiled ahead of time by potq-translate
 * through its generated C header (see build_and_run.sh and docs/AOT.md).
 *
 *   main IMAGES.npy [--labels LABELS.npy] [--limit N] [--logits OUT.npy]
 *
 * IMAGES.npy: float32 [N, 784], pixel / 255, C order (what
 * examples/fashion_mnist/prepare_data.py writes). The network was compiled
 * for a fixed batch (potq-translate --dynamic-dim-size=B); images are run B
 * at a time, the last batch padded with zeros. Prints one line per image
 * (prediction, and label if given) and the accuracy; --logits writes the
 * logits as float32 [N, 10] .npy for bit-exact comparison with potq-run.
 * Exits 1 on any error. */

#include "mlp.h" /* generated: potq_main, POTQ_MAIN_IN0_ELEMENTS, ... */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PIXELS 784
#define CLASSES 10
#define BATCH (POTQ_MAIN_IN0_ELEMENTS / PIXELS)

#if POTQ_MAIN_IN0_ELEMENTS % PIXELS != 0 ||                                    \
    POTQ_MAIN_OUT0_ELEMENTS != BATCH * CLASSES
#error "mlp.h does not describe a [B, 784] -> [B, 10] network"
#endif

static const char *const classNames[CLASSES] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

/* Reads a little-endian C-order .npy file of dtype `descr` ("<f4", "<i8")
 * and rank 1 or 2; returns the data (malloc'd) and the shape. */
static void *readNpy(const char *path, const char *descr, int64_t shape[2],
                     int *rank, size_t elem) {
  FILE *f = fopen(path, "rb");
  unsigned char magic[10];
  char header[4096];
  unsigned headerLen;
  const char *p;
  int64_t count = 1;
  void *data;
  int r;
  if (!f) {
    fprintf(stderr, "error: cannot open '%s'\n", path);
    return NULL;
  }
  if (fread(magic, 1, 10, f) != 10 || memcmp(magic, "\x93NUMPY", 6) != 0 ||
      magic[6] != 1) {
    fprintf(stderr, "error: '%s' is not a version 1 .npy file\n", path);
    fclose(f);
    return NULL;
  }
  headerLen = magic[8] | (magic[9] << 8);
  if (headerLen >= sizeof(header) || fread(header, 1, headerLen, f) != headerLen) {
    fprintf(stderr, "error: '%s' has a bad .npy header\n", path);
    fclose(f);
    return NULL;
  }
  header[headerLen] = 0;
  if (!strstr(header, descr) || strstr(header, "'fortran_order': True")) {
    fprintf(stderr, "error: '%s' must be a C-order %s array\n", path, descr);
    fclose(f);
    return NULL;
  }
  p = strstr(header, "'shape': (");
  if (!p) {
    fprintf(stderr, "error: '%s' has no shape\n", path);
    fclose(f);
    return NULL;
  }
  p += strlen("'shape': (");
  for (r = 0; r < 2 && *p != ')'; ++r) {
    char *end;
    shape[r] = strtoll(p, &end, 10);
    count *= shape[r];
    p = end;
    while (*p == ',' || *p == ' ')
      ++p;
  }
  *rank = r;
  data = malloc(count ? (size_t)count * elem : 1);
  if (!data || fread(data, elem, (size_t)count, f) != (size_t)count) {
    fprintf(stderr, "error: '%s' is truncated\n", path);
    free(data);
    fclose(f);
    return NULL;
  }
  fclose(f);
  return data;
}

static int writeNpy(const char *path, const float *data, int64_t rows) {
  char header[128];
  int n = snprintf(header, sizeof(header),
                   "{'descr': '<f4', 'fortran_order': False, 'shape': "
                   "(%lld, %d), }",
                   (long long)rows, CLASSES);
  int total = 10 + n + 1, pad = (64 - total % 64) % 64;
  unsigned len = (unsigned)(n + pad + 1);
  unsigned char magic[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                             (unsigned char)(len & 0xff),
                             (unsigned char)(len >> 8)};
  FILE *f = fopen(path, "wb");
  if (!f) {
    fprintf(stderr, "error: cannot write '%s'\n", path);
    return 1;
  }
  fwrite(magic, 1, 10, f);
  fwrite(header, 1, (size_t)n, f);
  for (; pad > 0; --pad)
    fputc(' ', f);
  fputc('\n', f);
  fwrite(data, sizeof(float), (size_t)(rows * CLASSES), f);
  return fclose(f) == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
  const char *imagesPath = NULL, *labelsPath = NULL, *logitsPath = NULL;
  int64_t limit = -1, shape[2] = {0, 0}, labelShape[2] = {0, 0}, n, i;
  int rank = 0, labelRank = 0, a, correct = 0;
  float *images, *logits;
  int64_t *labels = NULL;
  static float batchIn[BATCH * PIXELS], batchOut[BATCH * CLASSES];

  for (a = 1; a < argc; ++a) {
    if (!strcmp(argv[a], "--labels") && a + 1 < argc)
      labelsPath = argv[++a];
    else if (!strcmp(argv[a], "--logits") && a + 1 < argc)
      logitsPath = argv[++a];
    else if (!strcmp(argv[a], "--limit") && a + 1 < argc)
      limit = strtoll(argv[++a], NULL, 10);
    else if (argv[a][0] != '-' && !imagesPath)
      imagesPath = argv[a];
    else {
      fprintf(stderr, "usage: %s IMAGES.npy [--labels LABELS.npy] "
                      "[--limit N] [--logits OUT.npy]\n", argv[0]);
      return 1;
    }
  }
  if (!imagesPath) {
    fprintf(stderr, "error: no images given\n");
    return 1;
  }
  images = readNpy(imagesPath, "'<f4'", shape, &rank, sizeof(float));
  if (!images)
    return 1;
  if (rank != 2 || shape[1] != PIXELS) {
    fprintf(stderr, "error: images must be [N, 784]\n");
    return 1;
  }
  n = limit >= 0 && limit < shape[0] ? limit : shape[0];
  if (labelsPath) {
    labels = readNpy(labelsPath, "'<i8'", labelShape, &labelRank,
                     sizeof(int64_t));
    if (!labels)
      return 1;
    if (labelRank != 1 || labelShape[0] < n) {
      fprintf(stderr, "error: labels must be [N] with N >= %lld\n",
              (long long)n);
      return 1;
    }
  }
  logits = malloc((size_t)(n ? n : 1) * CLASSES * sizeof(float));
  if (!logits)
    return 1;

  printf("network: batch %d, %lld image(s)\n", BATCH, (long long)n);
  for (i = 0; i < n; i += BATCH) {
    int64_t m = n - i < BATCH ? n - i : BATCH, j;
    memset(batchIn, 0, sizeof(batchIn));
    memcpy(batchIn, images + i * PIXELS, (size_t)(m * PIXELS) * sizeof(float));
    if (potq_main(batchIn, batchOut) != 0) {
      fprintf(stderr, "error: potq_main failed\n");
      return 1;
    }
    memcpy(logits + i * CLASSES, batchOut,
           (size_t)(m * CLASSES) * sizeof(float));
    for (j = 0; j < m; ++j) {
      const float *row = batchOut + j * CLASSES;
      int best = 0, c;
      for (c = 1; c < CLASSES; ++c)
        if (row[c] > row[best])
          best = c;
      if (labels) {
        correct += best == labels[i + j];
        printf("image %lld: %d %s (label %lld %s)\n", (long long)(i + j), best,
               classNames[best], (long long)labels[i + j],
               labels[i + j] >= 0 && labels[i + j] < CLASSES
                   ? classNames[labels[i + j]]
                   : "?");
      } else {
        printf("image %lld: %d %s\n", (long long)(i + j), best,
               classNames[best]);
      }
    }
  }
  if (labels && n > 0)
    printf("accuracy: %.2f%% (%d / %lld)\n", 100.0 * correct / (double)n,
           correct, (long long)n);
  if (logitsPath && writeNpy(logitsPath, logits, n) != 0)
    return 1;
  free(images);
  free(labels);
  free(logits);
  return 0;
}
