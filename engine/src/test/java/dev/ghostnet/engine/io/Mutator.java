package dev.ghostnet.engine.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded, coverage-less, structure-aware mutator over real files: stacks one to four edits drawn from
 * bit flips, byte sets, inserts, deletes, truncation, splicing with another seed, "interesting" integers
 * written at the header fields the target's format has (zip record fields, the safetensors and npy
 * header lengths, pickle opcode arguments), decimal numbers in JSON / Python-literal headers replaced by
 * extreme ones, and runs of one pickle opcode (deep nesting, huge stacks). The same seed gives the same
 * inputs, so any finding replays from its trial number.
 */
final class Mutator {
    private static final long[] INTERESTING = {
        0, 1, 2, 3, 4, 7, 8, 16, 63, 64, 127, 128, 255, 256, 0x7fff, 0x8000, 0xffff, 0x10000,
        0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, 0x1_0000_0000L, Long.MAX_VALUE, Long.MIN_VALUE, -1, -2, -64,
    };
    private static final String[] NUMBERS = {
        "0", "-1", "1", "4294967295", "4294967296", "2147483648", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "18446744073709551616", "999999999999999999", "1e400", "1.5", "00", "-0",
    };
    /** Opcodes whose repetition builds deep or wide pickle structures: MARK, EMPTY_LIST, EMPTY_TUPLE, APPEND, TUPLE1, DUP. */
    private static final byte[] NESTING_OPCODES = {'(', ']', ')', 'a', (byte) 0x85, '2', '}', 'h', 'l', 't'};
    /** Pickle opcodes followed by a length or integer argument (the bytes a structure-aware tweak targets). */
    private static final String ARGUMENT_OPCODES = "JKMTUXBCqrhj\u008a\u008b\u008c\u008d\u008e\u0095";

    private final FuzzTarget target;
    private final List<byte[]> seeds;
    private final SplittableRandom random;

    Mutator(FuzzTarget target, List<byte[]> seeds, long seed) {
        if (seeds.isEmpty()) throw new IllegalArgumentException("no seeds for " + target);
        this.target = target;
        this.seeds = List.copyOf(seeds);
        this.random = new SplittableRandom(seed);
    }

    /** The next mutant: a random seed with one to four stacked edits. */
    byte[] next() {
        byte[] data = seeds.get(random.nextInt(seeds.size())).clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) data = edit(data);
        return data;
    }

    private byte[] edit(byte[] data) {
        if (data.length == 0) return new byte[] {(byte) random.nextInt(256)};
        return switch (random.nextInt(12)) {
            case 0 -> flipBit(data);
            case 1 -> setByte(data);
            case 2 -> insert(data);
            case 3 -> delete(data);
            case 4 -> Arrays.copyOf(data, random.nextInt(data.length));
            case 5 -> splice(data);
            case 6, 7, 8 -> interestingInteger(data, fieldOffset(data));
            case 9 -> interestingInteger(data, random.nextInt(data.length));
            case 10 -> replaceNumber(data);
            default -> target == FuzzTarget.PICKLE || target == FuzzTarget.LEGACY ? opcodeRun(data) : copyWithin(data);
        };
    }

    private byte[] flipBit(byte[] data) {
        data[random.nextInt(data.length)] ^= (byte) (1 << random.nextInt(8));
        return data;
    }

    private byte[] setByte(byte[] data) {
        data[random.nextInt(data.length)] = (byte) (random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)]
                : random.nextInt(256));
        return data;
    }

    private byte[] insert(byte[] data) {
        int at = random.nextInt(data.length + 1);
        byte[] run = new byte[1 + random.nextInt(32)];
        if (random.nextBoolean()) {
            random.nextBytes(run);
        } else {
            Arrays.fill(run, data[random.nextInt(data.length)]);
        }
        return splice(data, at, at, run);
    }

    private byte[] delete(byte[] data) {
        int from = random.nextInt(data.length);
        int to = Math.min(data.length, from + 1 + random.nextInt(Math.max(1, Math.min(64, data.length - from))));
        return splice(data, from, to, new byte[0]);
    }

    /** A prefix of this input followed by a suffix of another seed of the same target. */
    private byte[] splice(byte[] data) {
        byte[] other = seeds.get(random.nextInt(seeds.size()));
        int cut = random.nextInt(data.length + 1);
        int from = random.nextInt(other.length + 1);
        return splice(data, cut, data.length, Arrays.copyOfRange(other, from, other.length));
    }

    private byte[] copyWithin(byte[] data) {
        int length = 1 + random.nextInt(Math.min(64, data.length));
        int from = random.nextInt(data.length - length + 1);
        int to = random.nextInt(data.length - length + 1);
        System.arraycopy(data.clone(), from, data, to, length);
        return data;
    }

    /** Writes an extreme or off-by-one value, 1, 2, 4 or 8 bytes wide, little-endian (big for pickle floats). */
    private byte[] interestingInteger(byte[] data, int at) {
        int width = 1 << random.nextInt(4);
        if (at + width > data.length) return setByte(data);
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        long old = switch (width) {
            case 1 -> data[at];
            case 2 -> b.getShort(at);
            case 4 -> b.getInt(at);
            default -> b.getLong(at);
        };
        long value = switch (random.nextInt(4)) {
            case 0 -> old + (random.nextBoolean() ? 1 : -1);
            case 1 -> old * 2 + random.nextInt(2);
            default -> INTERESTING[random.nextInt(INTERESTING.length)];
        };
        switch (width) {
            case 1 -> data[at] = (byte) value;
            case 2 -> b.putShort(at, (short) value);
            case 4 -> b.putInt(at, (int) value);
            default -> b.putLong(at, value);
        }
        return data;
    }

    /** Replaces one run of ASCII digits (a dimension, an offset, a header length) with an extreme number. */
    private byte[] replaceNumber(byte[] data) {
        List<int[]> runs = new ArrayList<>();
        for (int i = 0; i < data.length; ) {
            if (data[i] >= '0' && data[i] <= '9') {
                int start = i;
                while (i < data.length && data[i] >= '0' && data[i] <= '9') i++;
                runs.add(new int[] {start, i});
            } else {
                i++;
            }
        }
        if (runs.isEmpty()) return flipBit(data);
        int[] run = runs.get(random.nextInt(runs.size()));
        byte[] number = NUMBERS[random.nextInt(NUMBERS.length)].getBytes(StandardCharsets.US_ASCII);
        return splice(data, run[0], run[1], number);
    }

    /** Inserts a long run of one structure-building pickle opcode (deep nesting, huge stacks, many memo gets). */
    private byte[] opcodeRun(byte[] data) {
        byte op = NESTING_OPCODES[random.nextInt(NESTING_OPCODES.length)];
        int count = 1 << (4 + random.nextInt(12));
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            run.write(op);
            if (op == 'h') run.write(random.nextInt(4));
        }
        int at = random.nextInt(data.length + 1);
        return splice(data, at, at, run.toByteArray());
    }

    /** An offset where the format keeps a length, count, offset or method, or a random one. */
    private int fieldOffset(byte[] data) {
        List<Integer> fields = switch (target) {
            case ZIP -> zipFields(data);
            case SAFETENSORS -> List.of(0, 4);
            case NPY -> List.of(6, 7, 8, 9, 10);
            case PICKLE, LEGACY -> pickleArguments(data);
        };
        return fields.isEmpty() ? random.nextInt(data.length) : fields.get(random.nextInt(fields.size()));
    }

    /** The size, offset, count and method fields of every zip record (local, central, end, zip64). */
    private static List<Integer> zipFields(byte[] data) {
        List<Integer> fields = new ArrayList<>();
        for (int i = 0; i + 4 <= data.length; i++) {
            if (data[i] != 'P' || data[i + 1] != 'K') continue;
            int[] offsets = switch (data[i + 2] * 16 + data[i + 3]) {
                case 0x34 -> new int[] {6, 8, 18, 22, 26, 28}; // local header
                case 0x12 -> new int[] {8, 10, 20, 24, 28, 30, 32, 42}; // central directory entry
                case 0x56 -> new int[] {8, 10, 12, 16, 20}; // end of central directory
                case 0x66 -> new int[] {24, 32, 40, 48}; // zip64 end of central directory
                case 0x67 -> new int[] {8}; // zip64 locator
                default -> new int[0];
            };
            for (int o : offsets) if (i + o < data.length) fields.add(i + o);
        }
        return fields;
    }

    /** The first argument byte of every opcode that carries a length or integer (a superset: not a full disassembly). */
    private static List<Integer> pickleArguments(byte[] data) {
        List<Integer> fields = new ArrayList<>();
        for (int i = 0; i + 1 < data.length; i++) {
            if (ARGUMENT_OPCODES.indexOf((char) (data[i] & 0xff)) >= 0) fields.add(i + 1);
        }
        return fields;
    }

    private static byte[] splice(byte[] data, int from, int to, byte[] replacement) {
        byte[] out = new byte[data.length - (to - from) + replacement.length];
        System.arraycopy(data, 0, out, 0, from);
        System.arraycopy(replacement, 0, out, from, replacement.length);
        System.arraycopy(data, to, out, from + replacement.length, data.length - to);
        return out;
    }
}
