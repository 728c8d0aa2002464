package dev.ghostnet.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/** An arena that counts the bytes allocated through it, so owners of weights and buffers can report their footprint. */
public final class CountingArena implements Arena {
    private final Arena delegate;
    private final AtomicLong allocated = new AtomicLong();

    public CountingArena(Arena delegate) {
        this.delegate = delegate;
    }

    public long allocatedBytes() {
        return allocated.get();
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        MemorySegment segment = delegate.allocate(byteSize, byteAlignment);
        allocated.addAndGet(byteSize);
        return segment;
    }

    @Override
    public MemorySegment.Scope scope() {
        return delegate.scope();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
