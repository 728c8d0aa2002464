package dev.ghostnet.engine.io;

import dev.ghostnet.engine.io.PickleObjects.Global;
import dev.ghostnet.engine.io.PickleObjects.Opaque;
import dev.ghostnet.engine.io.PickleObjects.Tuple;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the subset of the pickle machine that {@code torch.save} emits (protocol 2, plus the few binary
 * opcodes of protocols 3-5 that a newer writer may use) over bytes that may be a slice of a mapped file.
 * Nothing is imported or executed: globals become {@link Global} names and calls go through the
 * whitelist in {@link PickleCalls}. The machine is iterative, so hostile nesting cannot blow the Java
 * stack; every claimed length is checked against the bytes that are really there before anything is
 * allocated, and the number of values pushed is capped so a small file cannot exhaust the heap.
 */
final class PickleReader {
    /** Resolves a persistent id (BINPERSID) to a value, e.g. a torch storage reference. */
    @FunctionalInterface
    interface PersistentLoader {
        Object load(Object pid) throws CheckpointException;
    }

    /** Far above what a state dict needs (~20 pushes per tensor), far below what would exhaust the heap. */
    static final int DEFAULT_MAX_VALUES = 4_000_000;

    private static final ValueLayout.OfShort LE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble BE_DOUBLE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int MAX_GLOBAL_NAME = 1024;

    private final MemorySegment bytes;
    private final String source;
    private final PersistentLoader persistentLoader;
    private final int maxValues;

    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final HashMap<Long, Object> memo = new HashMap<>();
    private long pos;
    private long opStart;
    private int opcode;
    private int pushed;

    /**
     * @param source names the file (and entry) in error messages
     * @param persistentLoader resolves BINPERSID, or {@code null} when the pickle must not contain any
     */
    PickleReader(MemorySegment bytes, String source, PersistentLoader persistentLoader) {
        this(bytes, source, persistentLoader, DEFAULT_MAX_VALUES);
    }

    PickleReader(MemorySegment bytes, String source, PersistentLoader persistentLoader, int maxValues) {
        this.bytes = bytes;
        this.source = source;
        this.persistentLoader = persistentLoader;
        this.maxValues = maxValues;
    }

    /** Runs the pickle that starts at {@code offset} up to its STOP and returns its value. */
    Object read(long offset) throws CheckpointException {
        stack.clear();
        marks.clear();
        memo.clear();
        pushed = 0;
        pos = offset;
        while (true) {
            opStart = pos;
            if (pos >= bytes.byteSize()) {
                throw new CheckpointException(source + ": pickle byte " + pos + ": truncated: no STOP before the end of the data");
            }
            opcode = u8();
            switch (opcode) {
                case 0x80 -> { // PROTO
                    int protocol = u8();
                    if (protocol > 5) throw fail("unsupported pickle protocol " + protocol);
                }
                case 0x95 -> skipFrameHeader(); // FRAME: a buffering hint, the opcodes follow inline
                case '.' -> { // STOP
                    return pop();
                }
                case '(' -> mark();
                case '0' -> { // POP
                    if (stack.size() > markBase()) pop();
                    else popMark();
                }
                case '1' -> popMark(); // POP_MARK
                case '2' -> push(peek()); // DUP
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'J' -> push((long) bytes.get(LE_INT, take(4))); // BININT
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) Short.toUnsignedInt(bytes.get(LE_SHORT, take(2)))); // BININT2
                case 0x8a -> push(longFromBytes(u8())); // LONG1
                case 0x8b -> push(longFromBytes(length(bytes.get(LE_INT, take(4))))); // LONG4
                case 'G' -> push(bytes.get(BE_DOUBLE, take(8))); // BINFLOAT
                case 'T' -> push(utf8(length(bytes.get(LE_INT, take(4))))); // BINSTRING
                case 'U' -> push(utf8(u8())); // SHORT_BINSTRING
                case 'X' -> push(utf8(Integer.toUnsignedLong(bytes.get(LE_INT, take(4))))); // BINUNICODE
                case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
                case 0x8d -> push(utf8(length(bytes.get(LE_LONG, take(8))))); // BINUNICODE8
                case 'B' -> push(rawBytes(Integer.toUnsignedLong(bytes.get(LE_INT, take(4))))); // BINBYTES
                case 'C' -> push(rawBytes(u8())); // SHORT_BINBYTES
                case 0x8e -> push(rawBytes(length(bytes.get(LE_LONG, take(8))))); // BINBYTES8
                case ')' -> push(new Tuple(List.of()));
                case 't' -> push(new Tuple(popMark()));
                case 0x85 -> push(tupleOf(1));
                case 0x86 -> push(tupleOf(2));
                case 0x87 -> push(tupleOf(3));
                case ']' -> push(new ArrayList<>());
                case 'l' -> push(new ArrayList<>(popMark()));
                case 'a' -> { // APPEND
                    Object item = pop();
                    list(peek()).add(item);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    list(peek()).addAll(items);
                }
                case '}' -> push(new LinkedHashMap<>());
                case 'd' -> { // DICT
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    putAll(dict, popMark());
                    push(dict);
                }
                case 's' -> { // SETITEM
                    Object value = pop();
                    Object key = pop();
                    dict(peek()).put(hashable(key), value);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    putAll(dict(peek()), items);
                }
                case 0x8f -> push(new LinkedHashSet<>()); // EMPTY_SET
                case 0x90 -> { // ADDITEMS
                    List<Object> items = popMark();
                    Set<Object> set = set(peek());
                    for (Object item : items) set.add(hashable(item));
                }
                case 0x91 -> { // FROZENSET
                    Set<Object> set = new LinkedHashSet<>();
                    for (Object item : popMark()) set.add(hashable(item));
                    push(set);
                }
                case 'c' -> push(new Global(line(), line())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    String name = string(pop(), "STACK_GLOBAL name");
                    String module = string(pop(), "STACK_GLOBAL module");
                    push(new Global(module, name));
                }
                case 'R' -> { // REDUCE
                    Tuple args = tuple(pop(), "REDUCE arguments");
                    Object callable = pop();
                    push(call(callable, args));
                }
                case 0x81 -> { // NEWOBJ: cls.__new__(cls, *args)
                    Tuple args = tuple(pop(), "NEWOBJ arguments");
                    push(instantiate(pop(), args));
                }
                case 0x92 -> { // NEWOBJ_EX: cls.__new__(cls, *args, **kwargs)
                    pop();
                    Tuple args = tuple(pop(), "NEWOBJ_EX arguments");
                    push(instantiate(pop(), args));
                }
                case 'b' -> build(pop(), peek()); // BUILD
                case 'Q' -> push(persistent(pop())); // BINPERSID
                case 'q' -> memoize(u8()); // BINPUT
                case 'r' -> memoize(Integer.toUnsignedLong(bytes.get(LE_INT, take(4)))); // LONG_BINPUT
                case 0x94 -> memoize(memo.size()); // MEMOIZE
                case 'h' -> push(recall(u8())); // BINGET
                case 'j' -> push(recall(Integer.toUnsignedLong(bytes.get(LE_INT, take(4))))); // LONG_BINGET
                default -> throw fail(opcode >= 0x20 && opcode < 0x7f
                        ? "unsupported pickle opcode '" + (char) opcode + "' (0x" + hex(opcode) + ")"
                        : "unknown pickle opcode 0x" + hex(opcode));
            }
        }
    }

    /** The offset just past the STOP of the last pickle read. */
    long end() {
        return pos;
    }

    private Object call(Object callable, Tuple args) throws CheckpointException {
        try {
            return PickleCalls.call(callable, args);
        } catch (CheckpointException e) {
            throw fail(e.getMessage());
        }
    }

    private Object instantiate(Object cls, Tuple args) throws CheckpointException {
        if (cls instanceof Global g && g.is("collections", "OrderedDict")) return new LinkedHashMap<>();
        return new Opaque(cls, args);
    }

    private void build(Object state, Object target) throws CheckpointException {
        switch (target) {
            case Opaque o -> o.state = state;
            // An OrderedDict's state is its attributes (state_dict()'s _metadata); a tensor's is its Python
            // attributes. Neither changes the values we read.
            case Map<?, ?> m -> { }
            case PickleObjects.TensorRef t -> { }
            // case null: a pattern switch throws NullPointerException on null (BUILD on None) without it.
            case null, default -> throw fail("BUILD on a " + PickleObjects.typeName(target));
        }
    }

    private Object persistent(Object pid) throws CheckpointException {
        if (persistentLoader == null) throw fail("persistent id where none is expected");
        try {
            return persistentLoader.load(pid);
        } catch (CheckpointException e) {
            throw fail(e.getMessage());
        }
    }

    private void putAll(Map<Object, Object> dict, List<Object> keysAndValues) throws CheckpointException {
        if (keysAndValues.size() % 2 != 0) throw fail("odd number of items for a dict");
        for (int i = 0; i < keysAndValues.size(); i += 2) {
            dict.put(hashable(keysAndValues.get(i)), keysAndValues.get(i + 1));
        }
    }

    /**
     * Dict keys and set items must be scalars or tuples of scalars: enough for every checkpoint we know,
     * and it keeps hashCode/equals from walking a hostile deeply nested value.
     */
    private Object hashable(Object key) throws CheckpointException {
        if (isScalar(key)) return key;
        if (key instanceof Tuple t) {
            for (Object item : t.items()) {
                if (!isScalar(item)) throw fail("unsupported dict key: a tuple holding a " + PickleObjects.typeName(item));
            }
            return key;
        }
        throw fail("unsupported dict key of type " + PickleObjects.typeName(key));
    }

    private static boolean isScalar(Object o) {
        return o == null || o instanceof String || o instanceof Long || o instanceof BigInteger
                || o instanceof Boolean || o instanceof Double || o instanceof Global;
    }

    private void memoize(long index) throws CheckpointException {
        if (stack.size() <= markBase()) throw fail("memo put with an empty stack");
        count();
        memo.put(index, peek());
    }

    private Object recall(long index) throws CheckpointException {
        Object value = memo.get(index);
        if (value == null && !memo.containsKey(index)) throw fail("memo get of index " + index + " never put");
        return value;
    }

    private Tuple tupleOf(int n) throws CheckpointException {
        if (stack.size() - markBase() < n) throw fail("stack underflow");
        List<Object> top = stack.subList(stack.size() - n, stack.size());
        Tuple t = new Tuple(top);
        top.clear();
        return t;
    }

    private void push(Object value) throws CheckpointException {
        count();
        stack.add(value);
    }

    private void count() throws CheckpointException {
        if (++pushed > maxValues) throw fail("more than " + maxValues + " values; refusing to go on");
    }

    private Object pop() throws CheckpointException {
        if (stack.size() <= markBase()) throw fail("stack underflow");
        return stack.removeLast();
    }

    private Object peek() throws CheckpointException {
        if (stack.size() <= markBase()) throw fail("stack underflow");
        return stack.getLast();
    }

    private int markBase() {
        return marks.isEmpty() ? 0 : marks.getLast();
    }

    private void mark() throws CheckpointException {
        count();
        marks.add(stack.size());
    }

    private List<Object> popMark() throws CheckpointException {
        if (marks.isEmpty()) throw fail("no MARK to pop to");
        int base = marks.removeLast();
        List<Object> top = stack.subList(base, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private List<Object> list(Object o) throws CheckpointException {
        if (o instanceof List<?>) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) o;
            return list;
        }
        throw fail("append to a " + PickleObjects.typeName(o) + ", expected a list");
    }

    private Map<Object, Object> dict(Object o) throws CheckpointException {
        if (o instanceof Map<?, ?>) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> map = (Map<Object, Object>) o;
            return map;
        }
        throw fail("set item on a " + PickleObjects.typeName(o) + ", expected a dict");
    }

    private Set<Object> set(Object o) throws CheckpointException {
        if (o instanceof Set<?>) {
            @SuppressWarnings("unchecked")
            Set<Object> set = (Set<Object>) o;
            return set;
        }
        throw fail("add items to a " + PickleObjects.typeName(o) + ", expected a set");
    }

    private Tuple tuple(Object o, String what) throws CheckpointException {
        if (o instanceof Tuple t) return t;
        throw fail(what + " is a " + PickleObjects.typeName(o) + ", expected a tuple");
    }

    private String string(Object o, String what) throws CheckpointException {
        if (o instanceof String s) return s;
        throw fail(what + " is a " + PickleObjects.typeName(o) + ", expected a str");
    }

    private void skipFrameHeader() throws CheckpointException {
        long frame = bytes.get(LE_LONG, take(8));
        if (frame < 0 || frame > bytes.byteSize() - pos) {
            throw fail("frame of " + Long.toUnsignedString(frame) + " bytes but only " + (bytes.byteSize() - pos) + " remain");
        }
    }

    private Object longFromBytes(long n) throws CheckpointException {
        long at = take(n);
        if (n == 0) return 0L;
        byte[] le = bytes.asSlice(at, n).toArray(ValueLayout.JAVA_BYTE);
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) be[i] = le[le.length - 1 - i];
        BigInteger value = new BigInteger(be);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private String utf8(long n) throws CheckpointException {
        long at = take(n);
        if (n > Integer.MAX_VALUE - 8) throw fail("string of " + n + " bytes is too long");
        ByteBuffer buffer = bytes.asSlice(at, n).asByteBuffer();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buffer)
                    .toString();
        } catch (CharacterCodingException e) {
            throw fail("string is not valid UTF-8");
        }
    }

    private byte[] rawBytes(long n) throws CheckpointException {
        long at = take(n);
        if (n > Integer.MAX_VALUE - 8) throw fail("bytes of length " + n + " are too long");
        return bytes.asSlice(at, n).toArray(ValueLayout.JAVA_BYTE);
    }

    private String line() throws CheckpointException {
        long start = pos;
        long limit = Math.min(bytes.byteSize(), start + MAX_GLOBAL_NAME);
        for (long i = start; i < limit; i++) {
            if (bytes.get(ValueLayout.JAVA_BYTE, i) == '\n') {
                String s = utf8(i - start);
                pos = i + 1;
                return s;
            }
        }
        throw fail(limit == bytes.byteSize() ? "truncated: GLOBAL name has no end of line" : "GLOBAL name longer than " + MAX_GLOBAL_NAME + " bytes");
    }

    private long length(long claimed) throws CheckpointException {
        if (claimed < 0) throw fail("negative length " + claimed);
        return claimed;
    }

    private int u8() throws CheckpointException {
        return Byte.toUnsignedInt(bytes.get(ValueLayout.JAVA_BYTE, take(1)));
    }

    /** Claims the next {@code n} bytes, checking they are there; returns their offset. */
    private long take(long n) throws CheckpointException {
        long remaining = bytes.byteSize() - pos;
        if (n > remaining) {
            throw fail("truncated: needs " + n + " bytes at byte " + pos + " but only " + remaining + " remain");
        }
        long at = pos;
        pos += n;
        return at;
    }

    private CheckpointException fail(String message) {
        return new CheckpointException(source + ": pickle byte " + opStart + " (opcode 0x" + hex(opcode) + "): " + message);
    }

    private static String hex(int b) {
        return String.format("%02x", b);
    }
}
