package dev.herald.dispatcher;

import java.util.Arrays;

/**
 * Collects the parameters of a message being parsed, in wire order, and hands the message one
 * exactly sized array of (name, value) pairs sorted by name with the last duplicate kept.
 *
 * <p>Inserting each parameter at its sorted place as it is read would cost a shift per parameter,
 * quadratic for a large message sent in reverse order (a 1 MiB line holds some 150 000 parameters);
 * collecting first and sorting once is {@code O(n log n)}, and for the usual message, already in
 * order, costs one comparison per parameter. One per parser; not thread-safe.
 */
final class ParsedParameters {
  static final String[] NONE = new String[0];

  // Insertion sort is stable and fastest on the few parameters of a usual message.
  private static final int INSERTION_SORT_PAIRS = 16;
  // A buffer grown by one huge message is dropped rather than kept for every later message.
  private static final int KEPT_CAPACITY = 1024;

  private String[] pairs = new String[32];
  private int count;
  private boolean sorted = true;

  /** Forgets what a previous (possibly failed) parse collected. */
  void clear() {
    if (count > 0) {
      release();
    }
    sorted = true;
  }

  /**
   * Adds a parameter. The string parser has checked the name; the JSON reader checks it after
   * upstream's checks, so a bad name may sit here until that parse fails (and nothing is built).
   */
  void add(String name, String value) {
    int at = count * 2;
    if (at > 0 && sorted && pairs[at - 2].compareTo(name) >= 0) {
      sorted = false; // out of order or a duplicate: sort and deduplicate in build()
    }
    if (at == pairs.length) {
      pairs = Arrays.copyOf(pairs, at * 2);
    }
    pairs[at] = name;
    pairs[at + 1] = value;
    count++;
  }

  /** Returns the collected pairs sorted by name, duplicates resolved, and starts over. */
  String[] build() {
    if (count == 0) {
      sorted = true;
      return NONE;
    }
    int n = count;
    if (!sorted) {
      sort(pairs, n);
      n = deduplicate(pairs, n);
    }
    String[] result = Arrays.copyOf(pairs, n * 2);
    release();
    sorted = true;
    return result;
  }

  private void release() {
    if (pairs.length > KEPT_CAPACITY) {
      pairs = new String[32];
    } else {
      Arrays.fill(pairs, 0, count * 2, null); // do not keep the strings of the last message alive
    }
    count = 0;
  }

  /** Stable sort of the first {@code n} pairs by name. */
  static void sort(String[] pairs, int n) {
    if (n <= INSERTION_SORT_PAIRS) {
      insertionSort(pairs, 0, n);
    } else {
      mergeSort(pairs, new String[n * 2], 0, n);
    }
  }

  private static void insertionSort(String[] a, int from, int to) {
    for (int i = from + 1; i < to; i++) {
      String name = a[2 * i];
      String value = a[2 * i + 1];
      int j = i - 1;
      // Strictly greater only: equal names keep their order, so the last one read stays last.
      while (j >= from && a[2 * j].compareTo(name) > 0) {
        a[2 * j + 2] = a[2 * j];
        a[2 * j + 3] = a[2 * j + 1];
        j--;
      }
      a[2 * j + 2] = name;
      a[2 * j + 3] = value;
    }
  }

  private static void mergeSort(String[] a, String[] tmp, int from, int to) {
    if (to - from <= INSERTION_SORT_PAIRS) {
      insertionSort(a, from, to);
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(a, tmp, from, mid);
    mergeSort(a, tmp, mid, to);
    if (a[2 * (mid - 1)].compareTo(a[2 * mid]) <= 0) {
      return; // already in order
    }
    System.arraycopy(a, 2 * from, tmp, 2 * from, 2 * (to - from));
    int i = from;
    int j = mid;
    int k = from;
    while (i < mid && j < to) {
      // Take from the right half only when strictly smaller: stable.
      int take = tmp[2 * j].compareTo(tmp[2 * i]) < 0 ? j++ : i++;
      a[2 * k] = tmp[2 * take];
      a[2 * k + 1] = tmp[2 * take + 1];
      k++;
    }
    int rest = i < mid ? i : j;
    int restEnd = i < mid ? mid : to;
    System.arraycopy(tmp, 2 * rest, a, 2 * k, 2 * (restEnd - rest));
  }

  /** Keeps the last pair of each run of equal names (sorted input); returns the new count. */
  static int deduplicate(String[] a, int n) {
    int out = 0;
    for (int i = 0; i < n; i++) {
      if (i + 1 < n && a[2 * i].equals(a[2 * i + 2])) {
        continue; // a later value of the same name wins
      }
      a[2 * out] = a[2 * i];
      a[2 * out + 1] = a[2 * i + 1];
      out++;
    }
    Arrays.fill(a, 2 * out, 2 * n, null);
    return out;
  }
}
