package dev.ghostnet.engine.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The central directory of a zip file held in a (mapped) segment, with entry data given as slices of that
 * segment. Parsed by hand because java.util.zip copies through the heap; every offset and size read from
 * the file is checked against the file's size before use. Zip64 records are understood (PyTorch writes
 * them for archives over 4 GiB).
 */
final class ZipDirectory {
    /** One entry as the central directory describes it. */
    record Entry(String name, int method, int flags, long compressedSize, long size, long localHeaderOffset) {}

    private static final int STORED = 0;
    private static final int DEFLATED = 8;
    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int EOCD_SIZE = 22;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_LOCATOR_SIZE = 20;
    private static final int ZIP64_EOCD_SIGNATURE = 0x06064b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int CENTRAL_SIZE = 46;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int LOCAL_SIZE = 30;
    private static final int ZIP64_EXTRA_ID = 0x0001;
    private static final long U32_MAX = 0xFFFF_FFFFL;
    /** Largest inflated entry we accept (data.pkl of a state dict is kilobytes). */
    private static final long MAX_INFLATED = 256L << 20;
    /** Deflate's largest expansion: a 258-byte match costs at least two bits (RFC 1951), about 1032:1. */
    private static final long MAX_DEFLATE_RATIO = 1032;

    private static final ValueLayout.OfShort LE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment file;
    private final String source;
    private final Map<String, Entry> entries;

    private ZipDirectory(MemorySegment file, String source, Map<String, Entry> entries) {
        this.file = file;
        this.source = source;
        this.entries = entries;
    }

    /** Reads the central directory of the zip in {@code file}; {@code source} names it in errors. */
    static ZipDirectory read(MemorySegment file, String source) throws CheckpointException {
        long eocd = findEndOfCentralDirectory(file, source);
        long count = u16(file, eocd + 10);
        long cdSize = u32(file, eocd + 12);
        long cdOffset = u32(file, eocd + 16);
        if (count == 0xFFFF || cdSize == U32_MAX || cdOffset == U32_MAX) {
            long locator = eocd - ZIP64_LOCATOR_SIZE;
            if (locator < 0 || file.get(LE_INT, locator) != ZIP64_LOCATOR_SIGNATURE) {
                throw new CheckpointException(source + ": zip needs zip64 records but has no zip64 locator");
            }
            long zip64 = file.get(LE_LONG, locator + 8);
            if (zip64 < 0 || zip64 > locator - 56 || file.get(LE_INT, zip64) != ZIP64_EOCD_SIGNATURE) {
                throw new CheckpointException(source + ": zip64 end of central directory at " + zip64 + " is missing");
            }
            count = file.get(LE_LONG, zip64 + 32);
            cdSize = file.get(LE_LONG, zip64 + 40);
            cdOffset = file.get(LE_LONG, zip64 + 48);
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset > eocd || cdSize > eocd - cdOffset) {
            throw new CheckpointException(source + ": central directory at " + cdOffset + " of " + cdSize
                    + " bytes does not fit before its end record at " + eocd + " (file truncated or not a zip)");
        }
        if (count < 0 || count > cdSize / CENTRAL_SIZE) {
            throw new CheckpointException(source + ": central directory claims " + count + " entries in " + cdSize + " bytes");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        long at = cdOffset;
        long end = cdOffset + cdSize;
        for (long i = 0; i < count; i++) {
            if (end - at < CENTRAL_SIZE || file.get(LE_INT, at) != CENTRAL_SIGNATURE) {
                throw new CheckpointException(source + ": central directory entry " + i + " at " + at + " is corrupt");
            }
            int flags = u16(file, at + 8);
            int method = u16(file, at + 10);
            long compressed = u32(file, at + 20);
            long size = u32(file, at + 24);
            int nameLength = u16(file, at + 28);
            int extraLength = u16(file, at + 30);
            int commentLength = u16(file, at + 32);
            long local = u32(file, at + 42);
            long next = at + CENTRAL_SIZE + nameLength + extraLength + commentLength;
            if (next > end) {
                throw new CheckpointException(source + ": central directory entry " + i + " overruns the directory");
            }
            String name = new String(file.asSlice(at + CENTRAL_SIZE, nameLength).toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8);
            long extra = at + CENTRAL_SIZE + nameLength;
            long[] wide = zip64Values(file, extra, extraLength, size == U32_MAX, compressed == U32_MAX, local == U32_MAX);
            if (wide != null) {
                int k = 0;
                if (size == U32_MAX) size = wide[k++];
                if (compressed == U32_MAX) compressed = wide[k++];
                if (local == U32_MAX) local = wide[k];
            } else if (size == U32_MAX || compressed == U32_MAX || local == U32_MAX) {
                throw new CheckpointException(source + ": zip entry '" + name + "' needs a zip64 extra field it lacks");
            }
            if (entries.put(name, new Entry(name, method, flags, compressed, size, local)) != null) {
                throw new CheckpointException(source + ": zip has two entries named '" + name + "'");
            }
            at = next;
        }
        return new ZipDirectory(file, source, entries);
    }

    Collection<Entry> entries() {
        return entries.values();
    }

    Entry entry(String name) {
        return entries.get(name);
    }

    /** The bytes of a STORED entry, as a slice of the file; compressed or out-of-file entries are errors. */
    MemorySegment stored(Entry e) throws CheckpointException {
        if (e.method() != STORED) {
            throw new CheckpointException(source + ": zip entry '" + e.name() + "' is compressed (method " + e.method()
                    + "); PyTorch stores entries uncompressed, was the archive re-zipped?");
        }
        if (e.compressedSize() != e.size()) {
            throw new CheckpointException(source + ": stored zip entry '" + e.name() + "' has size " + e.size()
                    + " but compressed size " + e.compressedSize());
        }
        return slice(e);
    }

    /** The bytes of an entry, inflating a DEFLATED one onto the heap (for small entries like data.pkl). */
    MemorySegment contents(Entry e) throws CheckpointException {
        if (e.method() != DEFLATED) return stored(e);
        if (e.size() > MAX_INFLATED) {
            throw new CheckpointException(source + ": compressed zip entry '" + e.name() + "' claims " + e.size() + " bytes");
        }
        // The output buffer is allocated at the declared size, so the declared size must be one the
        // compressed bytes can really produce: a few bytes must not buy a 256 MiB allocation.
        if (e.size() > e.compressedSize() * MAX_DEFLATE_RATIO + 1024) {
            throw new CheckpointException(source + ": compressed zip entry '" + e.name() + "' of " + e.compressedSize()
                    + " bytes could not inflate to the " + e.size() + " bytes it declares (deflate expands at most "
                    + MAX_DEFLATE_RATIO + "x)");
        }
        MemorySegment compressed = slice(e);
        byte[] out = new byte[(int) e.size()];
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(compressed.asByteBuffer());
            int n = 0;
            while (n < out.length && !inflater.finished()) {
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
                n += got;
            }
            if (n != out.length) {
                throw new CheckpointException(source + ": compressed zip entry '" + e.name() + "' inflates to " + n
                        + " bytes, expected " + e.size());
            }
        } catch (DataFormatException ex) {
            throw new CheckpointException(source + ": compressed zip entry '" + e.name() + "' is corrupt: " + ex.getMessage());
        } finally {
            inflater.end();
        }
        return MemorySegment.ofArray(out);
    }

    private MemorySegment slice(Entry e) throws CheckpointException {
        if ((e.flags() & 1) != 0) throw new CheckpointException(source + ": zip entry '" + e.name() + "' is encrypted");
        long local = e.localHeaderOffset();
        long fileSize = file.byteSize();
        if (local < 0 || local > fileSize - LOCAL_SIZE || file.get(LE_INT, local) != LOCAL_SIGNATURE) {
            throw new CheckpointException(source + ": zip entry '" + e.name() + "' has no local header at " + local);
        }
        long dataStart = local + LOCAL_SIZE + u16(file, local + 26) + u16(file, local + 28);
        long length = e.compressedSize();
        if (length < 0 || dataStart > fileSize || length > fileSize - dataStart) {
            throw new CheckpointException(source + ": zip entry '" + e.name() + "' needs bytes " + dataStart + ".."
                    + (dataStart + length) + " but the file has " + fileSize + " (truncated?)");
        }
        return file.asSlice(dataStart, length);
    }

    private static long findEndOfCentralDirectory(MemorySegment file, String source) throws CheckpointException {
        long size = file.byteSize();
        long lowest = Math.max(0, size - EOCD_SIZE - 0xFFFF);
        for (long at = size - EOCD_SIZE; at >= lowest; at--) {
            if (file.get(LE_INT, at) == EOCD_SIGNATURE && at + EOCD_SIZE + u16(file, at + 20) == size) return at;
        }
        throw new CheckpointException(source + ": zip has no end of central directory record (truncated?)");
    }

    /** The zip64 extended-information values present, in their fixed order, or null when absent. */
    private static long[] zip64Values(MemorySegment file, long extra, int length, boolean size, boolean compressed,
            boolean local) {
        long end = extra + length;
        for (long at = extra; at + 4 <= end; ) {
            int id = u16(file, at);
            int dataSize = u16(file, at + 2);
            if (at + 4 + dataSize > end) return null;
            if (id == ZIP64_EXTRA_ID) {
                int wanted = (size ? 1 : 0) + (compressed ? 1 : 0) + (local ? 1 : 0);
                if (dataSize < wanted * 8) return null;
                long[] values = new long[wanted];
                for (int k = 0; k < wanted; k++) values[k] = file.get(LE_LONG, at + 4 + 8L * k);
                return values;
            }
            at += 4 + dataSize;
        }
        return null;
    }

    private static int u16(MemorySegment file, long at) {
        return Short.toUnsignedInt(file.get(LE_SHORT, at));
    }

    private static long u32(MemorySegment file, long at) {
        return Integer.toUnsignedLong(file.get(LE_INT, at));
    }
}
