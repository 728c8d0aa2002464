package dev.ghostnet.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ghostnet.engine.io.PickleObjects.Global;
import dev.ghostnet.engine.io.PickleObjects.Opaque;
import dev.ghostnet.engine.io.PickleObjects.StorageRef;
import dev.ghostnet.engine.io.PickleObjects.TensorRef;
import dev.ghostnet.engine.io.PickleObjects.Tuple;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-assembled pickles: the opcodes torch uses, and hostile ones. */
class PickleReaderTest {
    /** Assembles pickle bytes. */
    private static final class P {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        P() {
            op(0x80).op(2);
        }

        P op(int b) {
            out.write(b);
            return this;
        }

        P ops(String s) {
            for (char c : s.toCharArray()) op(c);
            return this;
        }

        P u32(long v) {
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
            return this;
        }

        P str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X').u32(b.length);
            out.writeBytes(b);
            return this;
        }

        P global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        P int1(int v) {
            return op('K').op(v);
        }

        Object read() throws CheckpointException {
            return reader().read(0);
        }

        PickleReader reader() {
            return new PickleReader(MemorySegment.ofArray(out.toByteArray()), "test.pkl",
                    pid -> TorchStorages.fromPersistentId(pid, false));
        }
    }

    @Test
    void scalarsAndContainers() throws Exception {
        Object o = new P().op('}').str("a").int1(200).op('s')
                .str("b").op('J').u32(-5).op('s')
                .str("c").op(0x8a).op(9).ops("\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0001").op('s')
                .str("d").op('N').op(0x88).op(0x89).op(0x87).op('s')
                .str("e").op(']').op('(').int1(1).int1(2).op('e').op('s')
                .op('.').read();
        Map<?, ?> m = assertInstanceOf(Map.class, o);
        assertEquals(List.of("a", "b", "c", "d", "e"), List.copyOf(m.keySet()));
        assertEquals(200L, m.get("a"));
        assertEquals(-5L, m.get("b"));
        assertEquals(BigInteger.ONE.shiftLeft(64), m.get("c"));
        Tuple d = assertInstanceOf(Tuple.class, m.get("d"));
        assertNull(d.get(0));
        assertEquals(List.of(1L, 2L), m.get("e"));
    }

    @Test
    void memoSharesValues() throws Exception {
        Object o = new P().op(']').op('q').op(0).op('h').op(0).op(0x86).op('.').read();
        Tuple t = assertInstanceOf(Tuple.class, o);
        assertTrue(t.get(0) == t.get(1));
    }

    @Test
    void rebuildsATensorFromAStoragePersistentId() throws Exception {
        Object o = new P().global("torch._utils", "_rebuild_tensor_v2").op('(')
                .op('(').str("storage").global("torch", "HalfStorage").str("7").str("cpu").int1(12).op('t').op('Q')
                .int1(2).int1(2).int1(5).op(0x86).int1(5).int1(1).op(0x86).op(0x89)
                .global("collections", "OrderedDict").op(')').op('R').op('t').op('R').op('.').read();
        TensorRef t = assertInstanceOf(TensorRef.class, o);
        assertEquals(new StorageRef("7", DType.F16, 12, 0, 12), t.storage());
        assertEquals(2, t.offset());
        assertEquals(List.of(2L, 5L), Arrays.stream(t.size()).boxed().toList());
    }

    @Test
    void unknownCallablesAreNeverRunOnlyRecorded() throws Exception {
        Object o = new P().global("os", "system").str("rm -rf /").op(0x85).op('R').op('.').read();
        Opaque op = assertInstanceOf(Opaque.class, o);
        assertEquals(new Global("os", "system"), op.callable);
        assertEquals("rm -rf /", op.args.get(0));
    }

    @Test
    void newobjAndBuildGiveAnOpaqueWithState() throws Exception {
        Object o = new P().global("argparse", "Namespace").op(')').op(0x81).op('}').str("lr").int1(1).op('s').op('b')
                .op('.').read();
        Opaque op = assertInstanceOf(Opaque.class, o);
        assertEquals(Map.of("lr", 1L), op.state);
    }

    @Test
    void deepNestingDoesNotUseTheJavaStack() throws Exception {
        P p = new P();
        int depth = 200_000;
        for (int i = 0; i < depth; i++) p.op(']');
        for (int i = 0; i < depth - 1; i++) p.op('a');
        assertInstanceOf(List.class, p.op('.').read());
    }

    @Test
    void markBombHitsTheValueCap() {
        P p = new P();
        for (int i = 0; i < 100; i++) p.op('(');
        PickleReader reader = new PickleReader(MemorySegment.ofArray(p.out.toByteArray()), "bomb.pkl", null, 50);
        assertFails(reader, "more than 50 values");
    }

    @Test
    void claimedLengthsAreCheckedBeforeAllocating() {
        assertFails(new P().op('X').u32(0xFFFF_FFFFL).reader(), "truncated: needs 4294967295 bytes at byte 7 but only 0 remain");
        assertFails(new P().op(0x8b).u32(-1).reader(), "negative length -1");
        assertFails(new P().op('B').u32(1 << 30).op('.').reader(), "truncated: needs 1073741824 bytes");
    }

    @Test
    void malformedPrograms() {
        assertFails(new P().op('.').reader(), "stack underflow");
        assertFails(new P().op('h').op(3).reader(), "memo get of index 3 never put");
        assertFails(new P().op('}').op(']').int1(1).op('s').reader(), "unsupported dict key of type list");
        assertFails(new P().op(']').int1(1).int1(2).op('s').reader(), "set item on a list, expected a dict");
        assertFails(new P().op('e').reader(), "no MARK to pop to");
        assertFails(new P().op(0xfe).reader(), "pickle byte 2 (opcode 0xfe): unknown pickle opcode 0xfe");
        assertFails(new P().op('p').reader(), "unsupported pickle opcode 'p'");
        assertFails(new P().op(0x80).op(9).reader(), "unsupported pickle protocol 9");
        assertFails(new P().global("torch._utils", "_rebuild_tensor_v2").int1(1).int1(0).op(0x86).op('R').op('.').reader(),
                "torch._utils._rebuild_tensor_v2 called with 2 arguments, expected at least 4");
        assertFails(new P().int1(1).reader(), "pickle byte 4: truncated: no STOP before the end of the data");
        assertFails(new P().op('c').ops("torch").reader(), "GLOBAL name has no end of line");
    }

    @Test
    void persistentIdsAreChecked() {
        assertFails(new P().op('(').str("storage").global("torch", "ComplexFloatStorage").str("0").str("cpu").int1(1)
                .op('t').op('Q').reader(), "unsupported storage type torch.ComplexFloatStorage");
        assertFails(new P().str("x").op('Q').reader(), "persistent id is not ('storage', type, key, location, numel)");
        assertFails(new PickleReader(MemorySegment.ofArray(new P().op('N').op('Q').out.toByteArray()), "x.pkl", null),
                "persistent id where none is expected");
    }

    private static void assertFails(PickleReader reader, String fragment) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> reader.read(0));
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }
}
