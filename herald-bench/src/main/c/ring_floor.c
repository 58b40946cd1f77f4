/*
 * The physical floor for herald-ring on this machine: the memory operations of a RING01 writer and
 * reader, written in C against the same layout (64-byte descriptors in a 2^16-slot array, a 128 MiB
 * payload buffer mapped twice back to back, the control block in the header page), with the same
 * orderings (relaxed fetch-adds or plain stores for the control block, a release store of 0 into the
 * slot, a store-store fence, the fields, the payload copy, a release store of the sequence number;
 * the reader's acquire loads around a 64-byte descriptor copy, and the payload copy between two
 * acquire loads of the window start). It is not the Monad library: it is what any C implementation of the format
 * has to do, so Herald's cost divided by this one is the cost of reaching memory from Java.
 *
 * Build and run (bin/bench-ring does both):
 *   gcc -O2 -o ring_floor herald-bench/src/main/c/ring_floor.c && ./ring_floor [rounds]
 * Prints one line per scenario: "<scenario> <median ns/event> <min> <max>".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define DESC_SHIFT 16
#define PAYLOAD_SHIFT 27
#define PAGE_2MB (1UL << 21)
#define WINDOW_INCR (1UL << 24)
#define BATCH 50000
#define WRITE_EVENTS 2000000

struct descriptor {
  uint64_t seqno;
  uint16_t event_type;
  uint16_t unused;
  uint32_t payload_size;
  uint64_t record_epoch_nanos;
  uint64_t payload_buf_offset;
  uint64_t content_ext[4];
};

struct ring {
  uint8_t *header;
  struct descriptor *descriptors;
  uint8_t *payload;
  uint64_t desc_mask, payload_mask, window_size;
  /* the confined writer's own copies of the control block */
  uint64_t next_seqno, next_byte, window_start;
};

#define LAST_SEQNO(r) ((uint64_t *)((r)->header + 64))
#define NEXT_PAYLOAD_BYTE(r) ((uint64_t *)((r)->header + 72))
#define WINDOW_START(r) ((uint64_t *)((r)->header + 128))

static void die(const char *what) {
  perror(what);
  exit(1);
}

static void ring_open(struct ring *r, const char *path) {
  uint64_t desc_bytes = (1UL << DESC_SHIFT) * sizeof(struct descriptor);
  uint64_t s = 1UL << PAYLOAD_SHIFT;
  uint64_t size = PAGE_2MB + desc_bytes + s;
  int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
  if (fd < 0) die(path);
  unlink(path);
  if (fallocate(fd, 0, 0, (off_t)size) != 0) die("fallocate");
  r->header = mmap(NULL, PAGE_2MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  r->descriptors = mmap(NULL, desc_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PAGE_2MB);
  uint8_t *range = mmap(NULL, 2 * s, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (r->header == MAP_FAILED || r->descriptors == MAP_FAILED || range == MAP_FAILED) die("mmap");
  if (mmap(range, s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, PAGE_2MB + desc_bytes) ==
          MAP_FAILED ||
      mmap(range + s, s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
           PAGE_2MB + desc_bytes) == MAP_FAILED)
    die("mmap payload");
  close(fd);
  r->payload = range;
  r->desc_mask = (1UL << DESC_SHIFT) - 1;
  r->payload_mask = s - 1;
  r->window_size = s - WINDOW_INCR;
  r->next_seqno = 1;
  r->next_byte = 0;
  r->window_start = 0;
  memset(r->payload, 0, s); /* fault every page in, as the Java side's warm-up does */
  memset(r->descriptors, 0, desc_bytes);
}

static inline uint64_t realtime_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (uint64_t)ts.tv_sec * 1000000000UL + (uint64_t)ts.tv_nsec;
}

static inline uint64_t monotonic_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000UL + (uint64_t)ts.tv_nsec;
}

/* Reserve, fill, commit one event. shared: fetch-adds; otherwise plain stores (one writer). */
static inline __attribute__((always_inline)) uint64_t write_event(
    struct ring *r, int shared, int clock, const uint8_t *src, uint32_t size) {
  uint64_t alloc = (size + 15) & ~15UL;
  uint64_t now = clock ? realtime_ns() : 1700000000000000000UL;
  uint64_t seqno, begin, end;
  if (shared) {
    seqno = __atomic_fetch_add(LAST_SEQNO(r), 1, __ATOMIC_RELAXED) + 1;
    begin = __atomic_fetch_add(NEXT_PAYLOAD_BYTE(r), alloc, __ATOMIC_RELAXED);
  } else {
    seqno = r->next_seqno++;
    begin = r->next_byte;
    r->next_byte = begin + alloc;
    __atomic_store_n(LAST_SEQNO(r), seqno, __ATOMIC_RELAXED);
    __atomic_store_n(NEXT_PAYLOAD_BYTE(r), begin + alloc, __ATOMIC_RELAXED);
  }
  end = begin + alloc;
  struct descriptor *d = &r->descriptors[(seqno - 1) & r->desc_mask];
  __atomic_store_n(&d->seqno, 0, __ATOMIC_RELEASE);
  __atomic_thread_fence(__ATOMIC_RELEASE); /* store-store: the fields stay after the 0 */
  uint64_t window =
      shared ? __atomic_load_n(WINDOW_START(r), __ATOMIC_RELAXED) : r->window_start;
  if (end - window > r->window_size) {
    uint64_t target = ((end + WINDOW_INCR - 1) & ~(WINDOW_INCR - 1)) - r->window_size;
    if (shared) {
      __atomic_compare_exchange_n(WINDOW_START(r), &window, target, 0, __ATOMIC_RELAXED,
                                  __ATOMIC_RELAXED);
    } else {
      r->window_start = target;
      __atomic_store_n(WINDOW_START(r), target, __ATOMIC_RELEASE);
    }
    __atomic_thread_fence(__ATOMIC_RELEASE);
  }
  d->event_type = 1;
  d->unused = 0;
  d->payload_size = size;
  d->record_epoch_nanos = now;
  d->payload_buf_offset = begin;
  d->content_ext[0] = 0;
  d->content_ext[1] = 0;
  d->content_ext[2] = 0;
  d->content_ext[3] = 0;
  memcpy(r->payload + (begin & r->payload_mask), src, size);
  __atomic_store_n(&d->seqno, seqno, __ATOMIC_RELEASE);
  return seqno;
}

/* One reader poll + payload copy + window check, as the C iterator and payload_check do. */
static inline __attribute__((always_inline)) int read_event(
    struct ring *r, uint64_t *last, uint8_t *out, uint64_t *sum) {
  struct descriptor *slot = &r->descriptors[*last & r->desc_mask];
  uint64_t seqno = __atomic_load_n(&slot->seqno, __ATOMIC_ACQUIRE);
  if (seqno != *last + 1) return 0;
  struct descriptor copy;
  memcpy(&copy, slot, sizeof copy);
  __atomic_thread_fence(__ATOMIC_ACQUIRE);
  if (__atomic_load_n(&slot->seqno, __ATOMIC_ACQUIRE) != seqno) return 0;
  *last = seqno;
  /* Expiry is checked before and after the copy, as upstream's payload_memcpy does. */
  if (copy.payload_buf_offset < __atomic_load_n(WINDOW_START(r), __ATOMIC_ACQUIRE)) return 1;
  memcpy(out, r->payload + (copy.payload_buf_offset & r->payload_mask), copy.payload_size);
  __atomic_thread_fence(__ATOMIC_ACQUIRE);
  uint64_t window = __atomic_load_n(WINDOW_START(r), __ATOMIC_ACQUIRE);
  if (copy.payload_buf_offset >= window) {
    uint64_t v;
    memcpy(&v, out, sizeof v);
    *sum += v;
  }
  return 1;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void report(const char *name, double *ns, int rounds) {
  qsort(ns, rounds, sizeof *ns, compare);
  printf("%s %.2f %.2f %.2f\n", name, ns[rounds / 2], ns[0], ns[rounds - 1]);
  fflush(stdout);
}

/* The confined writer's copies follow whatever the shared writer left in the control block. */
static void sync_confined(struct ring *r) {
  r->next_seqno = __atomic_load_n(LAST_SEQNO(r), __ATOMIC_ACQUIRE) + 1;
  r->next_byte = __atomic_load_n(NEXT_PAYLOAD_BYTE(r), __ATOMIC_ACQUIRE);
  r->window_start = __atomic_load_n(WINDOW_START(r), __ATOMIC_ACQUIRE);
}

static void bench_write(struct ring *r, int shared, int clock, uint32_t size, int rounds) {
  uint8_t src[256];
  sync_confined(r);
  for (unsigned i = 0; i < sizeof src; i++) src[i] = (uint8_t)i;
  double ns[rounds];
  uint64_t check = 0;
  for (int round = -2; round < rounds; round++) { /* two rounds of warm-up */
    uint64_t t0 = monotonic_ns();
    for (int i = 0; i < WRITE_EVENTS; i++) check += write_event(r, shared, clock, src, size);
    uint64_t t1 = monotonic_ns();
    if (round >= 0) ns[round] = (double)(t1 - t0) / WRITE_EVENTS;
  }
  char name[64];
  snprintf(name, sizeof name, "write-%s-%s-%u", shared ? "shared" : "confined",
           clock ? "clock" : "stamp", size);
  if (check == 0) printf("impossible\n");
  report(name, ns, rounds);
}

static void bench_read(struct ring *r, uint32_t size, int rounds) {
  uint8_t src[256], out[256];
  memset(src, 7, sizeof src);
  double ns[rounds];
  uint64_t sum = 0, last = r->next_seqno - 1;
  for (int round = -2; round < rounds; round++) {
    uint64_t total = 0;
    for (int batch = 0; batch < 20; batch++) {
      for (int i = 0; i < BATCH; i++) write_event(r, 0, 0, src, size);
      uint64_t t0 = monotonic_ns();
      for (int i = 0; i < BATCH; i++) {
        if (!read_event(r, &last, out, &sum)) {
          fprintf(stderr, "ring_floor: reader missed event %lu\n", (unsigned long)last + 1);
          exit(1);
        }
      }
      total += monotonic_ns() - t0;
    }
    if (round >= 0) ns[round] = (double)total / (20.0 * BATCH);
  }
  char name[64];
  snprintf(name, sizeof name, "read-%u", size);
  if (sum == 42) printf("unlikely\n");
  report(name, ns, rounds);
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 9;
  if (rounds < 1 || rounds > 1000) {
    fprintf(stderr, "ring_floor: rounds must be 1..1000, not %s\n", argv[1]);
    return 2;
  }
  char path[64];
  snprintf(path, sizeof path, "/dev/shm/herald-ring-floor-%d", (int)getpid());
  struct ring r;
  ring_open(&r, path);
  static const uint32_t sizes[] = {16, 150};
  for (int s = 0; s < 2; s++) {
    for (int clock = 1; clock >= 0; clock--) {
      bench_write(&r, 0, clock, sizes[s], rounds);
      bench_write(&r, 1, clock, sizes[s], rounds);
    }
  }
  sync_confined(&r);
  for (int s = 0; s < 2; s++) bench_read(&r, sizes[s], rounds);
  return 0;
}
