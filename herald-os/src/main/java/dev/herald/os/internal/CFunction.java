package dev.herald.os.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a one-method interface as the prototype of a C function, for {@link Downcall#bind}: the
 * method's parameter and return types ({@code int}, {@code long}, {@code MemorySegment}) are the C
 * function's, in order.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CFunction {
  /**
   * The C symbol, as the dynamic linker knows it.
   *
   * @return the symbol name
   */
  String value();

  /**
   * Whether the function reports failure as {@code -1} plus {@code errno}: the bound method then
   * returns {@code -errno} instead of {@code -1} (for {@code int} and {@code long} results; for a
   * pointer result the caller reads {@link Downcall#errno()} itself).
   *
   * @return true for system call wrappers
   */
  boolean setsErrno() default true;

  /**
   * The index of the first variadic parameter ({@code open}'s mode, {@code fcntl}'s argument), or
   * -1 when the function is not variadic.
   *
   * @return the index
   */
  int firstVariadic() default -1;

  /**
   * Whether the function is a short leaf that never blocks or calls back into Java ({@code
   * clock_gettime} through the vDSO): it is then linked as a critical function, which skips the
   * thread-state transitions of an ordinary downcall and may read and write Java arrays in place.
   *
   * @return true for short, non-blocking functions
   */
  boolean critical() default false;
}
