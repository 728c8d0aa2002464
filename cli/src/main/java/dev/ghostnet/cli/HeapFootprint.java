package dev.ghostnet.cli;

import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The Java heap an object graph takes, measured with JOL.
 *
 * @param bytes   bytes of every object reachable from the root
 * @param objects how many objects that is
 * @param caveat  empty, or how JOL had to measure (said next to the figure rather than as JOL's own warnings)
 */
record HeapFootprint(long bytes, long objects, String caveat) {
    private static final Object LOCK = new Object();
    private static String jolCaveat;

    static HeapFootprint of(Object root) {
        String caveat = initialiseJol();
        GraphLayout layout = GraphLayout.parseInstance(root);
        return new HeapFootprint(layout.totalSize(), layout.totalCount(), caveat);
    }

    /**
     * Sets JOL up for JDK 25 once, keeping its chatter out of the command's output:
     * <ul>
     *   <li>record fields have no {@code Unsafe.objectFieldOffset} on recent JDKs, and the model is mostly
     *       records: JOL then needs its "magic" field offset probe;</li>
     *   <li>JOL would try to attach an agent to this JVM (spawning a process, or loading an agent dynamically,
     *       which the JDK warns about): skipped, JOL then sizes objects from its layout model;</li>
     *   <li>JOL says so on {@code System.out}, which is the command's result stream: that line is caught
     *       and replaced by a caveat the caller prints next to the figure.</li>
     * </ul>
     * The JDK's own warning about {@code sun.misc.Unsafe} (JEP 498) goes to stderr before main code can
     * intervene; the {@code ghostnet} script passes {@code --sun-misc-unsafe-memory-access=allow} for it.
     */
    private static String initialiseJol() {
        synchronized (LOCK) {
            if (jolCaveat == null) {
                System.setProperty("jol.magicFieldOffset", "true");
                System.setProperty("jol.skipDynamicAttach", "true");
                System.setProperty("jol.skipInstallAttach", "true");
                ByteArrayOutputStream captured = new ByteArrayOutputStream();
                PrintStream stdout = System.out;
                System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
                try {
                    VM.current();
                } finally {
                    System.setOut(stdout);
                }
                jolCaveat = captured.size() == 0 ? "" : "; no agent attached, sizes from JOL's layout model";
            }
            return jolCaveat;
        }
    }
}
