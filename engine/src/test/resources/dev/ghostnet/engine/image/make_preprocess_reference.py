"""Writes test images and torchvision's preprocessing of them, the reference for PreprocessParityTest.

Usage: make_preprocess_reference.py OUTPUT_DIR [PHOTO ...]

PHOTOs (the repository's examples/) are used as they are, next to the generated images.

For each case it writes the image file, the 8-bit result of Resize + CenterCrop as PIL produces it
(<case>.u8, HWC) and the float32 tensor after ToTensor + Normalize (<case>.f32, CHW, little-endian),
and one line of OUTPUT_DIR/manifest.tsv:
    case  image  interpolation  resize  crop  height  width
Each image's own Image.open(p).convert("RGB") pixels go to <image file name>.rgb (HWC); decoded.txt has
one line per image: path (relative to OUTPUT_DIR or absolute)  rgb file.
Images are seeded, so every run writes the same files. Exit status 3 means torch or torchvision is missing.
"""
import struct
import sys
import zlib
from pathlib import Path

try:
    import numpy as np
    import torch
    import torchvision
    from PIL import Image, ImageCms
    from torchvision import transforms
    from torchvision.transforms import InterpolationMode
except ImportError as error:  # the Java test turns this into its own failure message
    print(f"cannot import the PyTorch reference: {error}", file=sys.stderr)
    sys.exit(3)

MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)
MODES = {"BILINEAR": InterpolationMode.BILINEAR, "BICUBIC": InterpolationMode.BICUBIC}
rng = np.random.default_rng(20240607)


def smooth(width, height, channels, low=0, high=255):
    """Sinusoid mixtures plus a little noise: smooth enough to look like a photo, busy enough that any
    resampling or rounding difference shows up."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    planes = []
    for _ in range(channels):
        v = np.zeros((height, width))
        for _ in range(4):
            fx, fy = rng.uniform(0.002, 0.08, size=2)
            v += np.sin(2 * np.pi * (fx * x + fy * y) + rng.uniform(0, 2 * np.pi))
        v = (v - v.min()) / (np.ptp(v) + 1e-9)
        v = v + rng.normal(0, 0.04, size=v.shape)
        planes.append(np.clip(low + v * (high - low), low, high))
    return np.stack(planes, axis=-1)


def raw_png(path, samples, bit_depth, color_type):
    """PIL cannot write 16-bit colour PNGs, so these are written by hand (filter 0 on every row)."""
    height, width = samples.shape[:2]
    dtype = ">u2" if bit_depth == 16 else "u1"
    rows = b"".join(b"\x00" + samples[y].astype(dtype).tobytes() for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
                     + chunk(b"IEND", b""))


def rgb(w, h):
    return Image.fromarray(smooth(w, h, 3).astype(np.uint8), "RGB")


def make_images(out):
    """name -> file; sizes cover landscape, portrait, odd, square, smaller than 256, exactly 256."""
    files = {}

    def save(name, image, suffix=".png", **options):
        path = out / (name + suffix)
        image.save(path, **options)
        files[name] = path

    save("rgb_640x480", rgb(640, 480))
    save("rgb_300x500", rgb(300, 500))
    save("rgb_257x263", rgb(257, 263))
    save("rgb_1013x771", rgb(1013, 771))
    save("rgb_200x150", rgb(200, 150))
    save("rgb_97x301", rgb(97, 301))
    save("rgb_256x256", rgb(256, 256))
    save("rgb_256x384", rgb(256, 384))
    save("rgb_1200x50", rgb(1200, 50))
    save("gray_333x222", Image.fromarray(smooth(333, 222, 1)[..., 0].astype(np.uint8), "L"))
    save("gray1bit_260x270", Image.fromarray(smooth(260, 270, 1)[..., 0].astype(np.uint8), "L").convert("1"))
    rgba = np.concatenate([smooth(400, 300, 3), smooth(400, 300, 1)], axis=-1).astype(np.uint8)
    save("rgba_400x300", Image.fromarray(rgba, "RGBA"))
    la = np.concatenate([smooth(280, 310, 1), smooth(280, 310, 1)], axis=-1).astype(np.uint8)
    save("la_280x310", Image.fromarray(la, "LA"))
    save("palette_320x240", rgb(320, 240).quantize(colors=200, dither=Image.Dither.FLOYDSTEINBERG))
    palette = rgb(270, 350).quantize(colors=16)
    save("palette4bit_tRNS_270x350", palette, bits=4, transparency=3)
    raw_png(out / "gray16_300x290.png", smooth(300, 290, 1, 0, 600)[..., 0].astype(np.uint16), 16, 0)
    files["gray16_300x290"] = out / "gray16_300x290.png"
    raw_png(out / "rgb16_350x260.png", smooth(350, 260, 3, 0, 65535).astype(np.uint16), 16, 2)
    files["rgb16_350x260"] = out / "rgb16_350x260.png"
    raw_png(out / "rgba16_290x310.png", smooth(290, 310, 4, 0, 65535).astype(np.uint16), 16, 6)
    files["rgba16_290x310"] = out / "rgba16_290x310.png"
    raw_png(out / "la16_230x270.png", smooth(230, 270, 2, 0, 65535).astype(np.uint16), 16, 4)
    files["la16_230x270"] = out / "la16_230x270.png"
    save("jpeg_500x375", rgb(500, 375), ".jpg", quality=90)
    save("jpeg_gray_301x247", Image.fromarray(smooth(301, 247, 1)[..., 0].astype(np.uint8), "L"), ".jpg", quality=90)
    save("jpeg_progressive422_333x517", rgb(333, 517), ".jpg", quality=85, progressive=True, subsampling=1)
    # A colour profile that is far from sRGB, so any colour management would show: PIL ignores it.
    lab_profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    save("jpeg_icc_lab_310x250", rgb(310, 250), ".jpg", quality=92, icc_profile=lab_profile)
    save("png_icc_lab_250x310", rgb(250, 310), icc_profile=lab_profile)
    # EXIF orientation 6 ("rotate 90 to display"): Image.open() does not apply it, so neither may we.
    exif = Image.Exif()
    exif[0x0112] = 6
    save("jpeg_exif_rotated_320x200", rgb(320, 200), ".jpg", quality=90, exif=exif.tobytes())
    save("jpeg_cmyk_64x48", rgb(64, 48).convert("CMYK"), ".jpg")
    return files


def reference(path, interpolation, resize, crop):
    image = Image.open(path).convert("RGB")
    geometry = transforms.Compose([transforms.Resize(resize, interpolation=MODES[interpolation]),
                                   transforms.CenterCrop(crop)])
    tensor = transforms.Compose([transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
    cropped = geometry(image)
    return np.asarray(cropped, dtype=np.uint8), tensor(cropped).numpy().astype("<f4")


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    files = make_images(out)
    for photo in sys.argv[2:]:
        photo = Path(photo).resolve()
        files["photo_" + photo.stem] = photo
    cases = []
    for name, path in files.items():
        for interpolation in MODES:
            cases.append((f"{name}_{interpolation.lower()}", path, interpolation, 256, 224))
    # Configurations where the crop exceeds the resized image (torchvision pads) or has odd margins.
    cases.append(("pad_rgb_300x500_bicubic", files["rgb_300x500"], "BICUBIC", 100, 120))
    cases.append(("pad_rgb_640x480_bilinear", files["rgb_640x480"], "BILINEAR", 101, 150))
    cases.append(("odd_rgb_1013x771_bilinear", files["rgb_1013x771"], "BILINEAR", 255, 200))
    cases.append(("odd_rgb_97x301_bicubic", files["rgb_97x301"], "BICUBIC", 171, 170))
    decoded = []
    for name, path in files.items():
        np.asarray(Image.open(path).convert("RGB"), dtype=np.uint8).tofile(out / (name + ".rgb"))
        decoded.append(f"{path}\t{name}.rgb")
    (out / "decoded.txt").write_text("\n".join(decoded) + "\n")
    lines = []
    for case, path, interpolation, resize, crop in cases:
        pixels, tensor = reference(path, interpolation, resize, crop)
        pixels.tofile(out / (case + ".u8"))
        tensor.tofile(out / (case + ".f32"))
        lines.append("\t".join([case, str(path), interpolation, str(resize), str(crop),
                                str(pixels.shape[0]), str(pixels.shape[1])]))
    (out / "manifest.tsv").write_text("\n".join(lines) + "\n")
    print(f"wrote {len(cases)} cases with torch {torch.__version__}, torchvision {torchvision.__version__}")


if __name__ == "__main__":
    main()
