package dev.heartbeat.core.memory;

import dev.heartbeat.core.StoreUnavailableException;
import dev.heartbeat.core.port.ReadingStore;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;

/**
 * Faults injected into any store port, for tests: {@link #wrap} decorates a port so that, while
 * {@link #setAvailable(boolean) unavailable}, every call throws {@link StoreUnavailableException} like a
 * database that is down, and the next {@link #failNextWrites(int) n} {@link ReadingStore#write} calls fail
 * the same way, writing nothing. One switch may guard several ports (the store, its queries, its alerts).
 */
public final class StoreFaults {

    private volatile boolean available = true;
    private int failingWrites;

    /** While unavailable, every call through a wrapped port throws {@link StoreUnavailableException}. */
    public void setAvailable(boolean available) {
        this.available = available;
    }

    /** The next {@code count} writes fail with {@link StoreUnavailableException} and write nothing. */
    public synchronized void failNextWrites(int count) {
        this.failingWrites = count;
    }

    /** {@code target} behind this switch, as its port {@code port}. */
    public <T> T wrap(Class<T> port, T target) {
        Objects.requireNonNull(target, "target");
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(target, args);
            }
            check(method);
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, handler));
    }

    /** A {@link ReadingStore} behind this switch (for {@code InMemoryPipeline.Builder.storeDecorator}). */
    public ReadingStore store(ReadingStore store) {
        return wrap(ReadingStore.class, store);
    }

    private void check(Method method) {
        if (!available) {
            throw new StoreUnavailableException("in-memory store is unavailable (made so on purpose)");
        }
        if (method.getName().equals("write") && ReadingStore.class.isAssignableFrom(method.getDeclaringClass())) {
            synchronized (this) {
                if (failingWrites > 0) {
                    failingWrites--;
                    throw new StoreUnavailableException("in-memory store: write failed on purpose");
                }
            }
        }
    }
}
