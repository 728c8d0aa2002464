package dev.ghostnet.engine.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Assembles pickles and torch.save files by hand, for hostile inputs no writer would produce: the opcodes
 * torch's protocol-2 pickles use, a state-dict entry in the form {@code _rebuild_tensor_v2} takes, and the
 * zip and legacy containers around them.
 */
final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Starts a protocol-2 pickle. */
    PickleBytes() {
        op(0x80).op(2);
    }

    PickleBytes op(int b) {
        out.write(b);
        return this;
    }

    /** Each character as one opcode byte. */
    PickleBytes ops(String s) {
        for (char c : s.toCharArray()) op(c);
        return this;
    }

    PickleBytes repeat(String s, int times) {
        for (int i = 0; i < times; i++) ops(s);
        return this;
    }

    PickleBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X').le(b.length, 4);
        out.writeBytes(b);
        return this;
    }

    /** Any 64-bit int: LONG1 with 8 bytes, two's complement little-endian, as pickle writes big ints. */
    PickleBytes integer(long v) {
        op(0x8a).op(8).le(v, 8);
        return this;
    }

    PickleBytes bigInteger(BigInteger v) {
        byte[] be = v.toByteArray();
        op(0x8a).op(be.length);
        for (int i = be.length - 1; i >= 0; i--) op(be[i]);
        return this;
    }

    PickleBytes global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    PickleBytes tuple(long... values) {
        op('(');
        for (long v : values) integer(v);
        return op('t');
    }

    /**
     * Pushes {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}
     * over {@code ('storage', torch.FloatStorage, key, 'cpu', numel)}.
     */
    PickleBytes tensor(String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2");
        op('(');
        op('(').str("storage").global("torch", "FloatStorage").str(key).str("cpu").integer(numel).op('t').op('Q');
        integer(offset).tuple(size).tuple(stride).op(0x89);
        global("collections", "OrderedDict").op(')').op('R');
        return op('t').op('R');
    }

    /** A one-entry state dict {@code {name: tensor(...)}} followed by STOP. */
    static byte[] stateDict(String name, String key, long numel, long offset, long[] size, long[] stride) {
        return new PickleBytes().op('}').str(name).tensor(key, numel, offset, size, stride).op('s').op('.').bytes();
    }

    PickleBytes le(long v, int width) {
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array(), 0, width);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** A torch.save-style zip: {@code archive/data.pkl} plus one stored entry per (key, bytes). */
    static void zip(Path file, byte[] dataPkl, int pklMethod, Object... storages) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            put(zip, "archive/data.pkl", dataPkl, pklMethod);
            for (int i = 0; i < storages.length; i += 2) {
                put(zip, "archive/data/" + storages[i], (byte[]) storages[i + 1], ZipEntry.STORED);
            }
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data, int method) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(method);
        if (method == ZipEntry.STORED) {
            CRC32 crc = new CRC32();
            crc.update(data);
            entry.setSize(data.length);
            entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    /** The header pickles of a legacy torch.save file: magic number, protocol 1001, a sys-info dict. */
    static PickleBytes legacyHeader() {
        PickleBytes p = new PickleBytes().bigInteger(new BigInteger("1950a86a20f9469cfc6c", 16)).op('.');
        p.op(0x80).op(2).integer(1001).op('.');
        return p.op(0x80).op(2).op('}').op('.');
    }

    /** Appends a whole pickle (with its PROTO and STOP) to this stream of pickles. */
    PickleBytes append(byte[] pickle) {
        out.writeBytes(pickle);
        return this;
    }
}
