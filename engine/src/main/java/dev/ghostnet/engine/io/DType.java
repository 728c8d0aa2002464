package dev.ghostnet.engine.io;

/** Element types a checkpoint may hold. The floating-point ones (F32, F16, BF16, F64) can become weights, as float32. */
public enum DType {
    F32(4), F64(8), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }
}
