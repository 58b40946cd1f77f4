package dev.herald.os.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Binds a C function to a {@link CFunction}-annotated one-method interface: the declaration is the
 * binding.
 *
 * <pre>{@code
 * @CFunction("close")
 * public interface Close { int call(int fd); }
 *
 * static final Close CLOSE = Downcall.bind(Close.class);
 * int rc = CLOSE.call(fd); // the result, or -errno
 * }</pre>
 *
 * <p>errno is captured by the linker into a per-thread segment in the same downcall (reading it
 * afterwards would race with the JVM's own calls), and the bound method turns {@code -1} into
 * {@code -errno}, the way the raw kernel interface reports failure. Nothing is allocated per call.
 * The proxy is a hidden class whose target handle is a trusted final field, so a call through a
 * {@code static final} instance inlines like a direct {@code invokeExact}.
 */
// Restricted FFM methods are this module's purpose; callers need --enable-native-access.
@SuppressWarnings("restricted")
public final class Downcall {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE_LAYOUT.varHandle(PathElement.groupElement("errno"));

  /** One capture segment per thread, kept for the thread's life: no allocation per call. */
  private static final ThreadLocal<MemorySegment> CAPTURE_STATE =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

  private static final MethodHandle STATE;
  private static final MethodHandle INT_RESULT;
  private static final MethodHandle LONG_RESULT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE =
          lookup.findStatic(
              Downcall.class, "captureState", MethodType.methodType(MemorySegment.class));
      INT_RESULT =
          lookup.findStatic(
              Downcall.class,
              "result",
              MethodType.methodType(int.class, int.class, MemorySegment.class));
      LONG_RESULT =
          lookup.findStatic(
              Downcall.class,
              "result",
              MethodType.methodType(long.class, long.class, MemorySegment.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Downcall() {}

  /**
   * Links the C function that {@code prototype} declares.
   *
   * @param prototype a public interface annotated with {@link CFunction}, with one abstract method
   * @param <T> the prototype type
   * @return an implementation that calls the C function
   * @throws UnsatisfiedLinkError if the C library has no such symbol
   */
  public static <T> T bind(Class<T> prototype) {
    CFunction c = prototype.getAnnotation(CFunction.class);
    if (c == null) {
      throw new IllegalArgumentException(prototype + " has no @CFunction");
    }
    Method method = onlyMethod(prototype);
    MemorySegment symbol =
        LINKER
            .defaultLookup()
            .find(c.value())
            .orElseThrow(() -> new UnsatisfiedLinkError(c.value()));
    List<Linker.Option> options = new ArrayList<>();
    if (c.setsErrno()) {
      options.add(Linker.Option.captureCallState("errno"));
    }
    if (c.firstVariadic() >= 0) {
      options.add(Linker.Option.firstVariadicArg(c.firstVariadic()));
    }
    if (c.critical()) {
      options.add(Linker.Option.critical(true));
    }
    MethodHandle handle =
        LINKER.downcallHandle(symbol, descriptor(method), options.toArray(Linker.Option[]::new));
    if (c.setsErrno()) {
      handle = withErrno(handle, method.getReturnType());
    }
    return MethodHandleProxies.asInterfaceInstance(prototype, handle);
  }

  /**
   * The errno of the calling thread's last errno-capturing downcall: for functions whose failure is
   * not a negative number (mmap's {@code MAP_FAILED}).
   */
  public static int errno() {
    return (int) ERRNO.get(CAPTURE_STATE.get(), 0L);
  }

  private static Method onlyMethod(Class<?> prototype) {
    Method[] abstracts =
        Arrays.stream(prototype.getMethods())
            .filter(m -> Modifier.isAbstract(m.getModifiers()))
            .toArray(Method[]::new);
    if (!prototype.isInterface() || abstracts.length != 1) {
      throw new IllegalArgumentException(prototype + " is not a one-method interface");
    }
    return abstracts[0];
  }

  private static FunctionDescriptor descriptor(Method method) {
    MemoryLayout[] args =
        Arrays.stream(method.getParameterTypes())
            .map(Downcall::layout)
            .toArray(MemoryLayout[]::new);
    return FunctionDescriptor.of(layout(method.getReturnType()), args);
  }

  private static MemoryLayout layout(Class<?> type) {
    if (type == int.class) {
      return JAVA_INT;
    }
    if (type == long.class) {
      return JAVA_LONG;
    }
    if (type == short.class) {
      return JAVA_SHORT;
    }
    if (type == MemorySegment.class) {
      return ADDRESS;
    }
    throw new IllegalArgumentException("no C layout for " + type);
  }

  /**
   * Turns {@code (state, args...) -> rc} into {@code (args...) -> rc or -errno}: the thread's
   * capture segment is fetched once and given both to the call and to the result check.
   */
  private static MethodHandle withErrno(MethodHandle raw, Class<?> returnType) {
    MethodHandle check;
    if (returnType == int.class) {
      check = INT_RESULT;
    } else if (returnType == long.class) {
      check = LONG_RESULT;
    } else {
      check =
          MethodHandles.dropArguments(MethodHandles.identity(returnType), 1, MemorySegment.class);
    }
    // check(raw(state, args...), state2) -> (state, args..., state2)
    MethodHandle checked = MethodHandles.collectArguments(check, 0, raw);
    int arity = raw.type().parameterCount();
    int[] reorder = new int[arity + 1];
    for (int i = 0; i < arity; i++) {
      reorder[i] = i;
    }
    reorder[arity] = 0; // state2 is state
    MethodHandle shared = MethodHandles.permuteArguments(checked, raw.type(), reorder);
    return MethodHandles.collectArguments(shared, 0, STATE);
  }

  private static MemorySegment captureState() {
    return CAPTURE_STATE.get();
  }

  private static int result(int rc, MemorySegment state) {
    return rc < 0 ? -(int) ERRNO.get(state, 0L) : rc;
  }

  private static long result(long rc, MemorySegment state) {
    return rc < 0 ? -(int) ERRNO.get(state, 0L) : rc;
  }
}
