package dev.ghostnet.bench.kernels;

/**
 * A GhostNet 1.0 layer shape at 224x224 as the benchmarks name it, and its multiply-accumulate count.
 * Pointwise {@code HxW:Cin->Cout}; depthwise {@code HxWxC:kKsS} (input size); dense {@code HxW:Cin->Cout:kKsS}.
 */
record LayerShape(int height, int width, int in, int out, int kernel, int stride) {
    static LayerShape pointwise(String s) {
        String[] parts = s.split(":");
        String[] hw = parts[0].split("x");
        String[] io = parts[1].split("->");
        return new LayerShape(Integer.parseInt(hw[0]), Integer.parseInt(hw[1]), Integer.parseInt(io[0]),
                Integer.parseInt(io[1]), 1, 1);
    }

    static LayerShape depthwise(String s) {
        String[] parts = s.split(":");
        String[] hwc = parts[0].split("x");
        int[] ks = kernelStride(parts[1]);
        int c = Integer.parseInt(hwc[2]);
        return new LayerShape(Integer.parseInt(hwc[0]), Integer.parseInt(hwc[1]), c, c, ks[0], ks[1]);
    }

    static LayerShape dense(String s) {
        String[] parts = s.split(":");
        LayerShape p = pointwise(parts[0] + ":" + parts[1]);
        int[] ks = kernelStride(parts[2]);
        return new LayerShape(p.height, p.width, p.in, p.out, ks[0], ks[1]);
    }

    private static int[] kernelStride(String ks) {
        int s = ks.indexOf('s');
        return new int[] {Integer.parseInt(ks.substring(1, s)), Integer.parseInt(ks.substring(s + 1))};
    }

    int outHeight() {
        return (height + 2 * (kernel / 2) - kernel) / stride + 1;
    }

    int outWidth() {
        return (width + 2 * (kernel / 2) - kernel) / stride + 1;
    }

    /** Multiply-accumulates of one run, counting every tap (GhostNet's table counts them the same way). */
    long macs(boolean depthwise) {
        long perOutput = (long) kernel * kernel * (depthwise ? 1 : in);
        return (long) outHeight() * outWidth() * out * perOutput;
    }
}
