/**
 * NHWC float32 tensors over {@code MemorySegment}s, the scalar reference kernels (the specification) and
 * their Vector API twins. Knows nothing of GhostNet.
 */
module dev.ghostnet.kernels {
    requires jdk.incubator.vector;
    requires java.management; // CompilerDirectives: the DiagnosticCommand and HotSpotDiagnostic MBeans

    exports dev.ghostnet.kernels;
}
