"""GhostNet v1 and v2 reference models for the layer-by-layer parity tests.

The module tree mirrors the official implementation (huawei-noah/Efficient-AI-Backbones ghostnet_pytorch,
the same key names as timm's ``ghostnet_100``), so ``state_dict()`` keys are the ones real checkpoints
carry and the Java loaders are tested on the names users will feed them. ``version="v2"`` is GhostNetV2
(Tang et al., NeurIPS 2022) in timm's layout (``ghostnetv2_100``): ghost1 of every bottleneck from
``blocks.2.0`` on adds DFC attention (keys ``ghost1.short_conv.0..5``).

Besides ``forward`` the model exposes ``forward_stages``: every intermediate the Java engine is compared
against, keyed by state-dict prefix so a mismatch names the layer that caused it.

Run ``python3 ghostnet.py`` for a self-check (parameter count, MACs, per-stage activation scale).
"""

import math
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

# (kernel, mid channels, out channels, SE ratio, stride) per bottleneck; one inner list per
# `blocks.S` stage. Taken from the paper's Table 1 / the official code.
CFGS = [
    [[3, 16, 16, 0, 1]],
    [[3, 48, 24, 0, 2]],
    [[3, 72, 24, 0, 1]],
    [[5, 72, 40, 0.25, 2]],
    [[5, 120, 40, 0.25, 1]],
    [[3, 240, 80, 0, 2]],
    [[3, 200, 80, 0, 1],
     [3, 184, 80, 0, 1],
     [3, 184, 80, 0, 1],
     [3, 480, 112, 0.25, 1],
     [3, 672, 112, 0.25, 1]],
    [[5, 672, 160, 0.25, 2]],
    [[5, 960, 160, 0, 1],
     [5, 960, 160, 0.25, 1],
     [5, 960, 160, 0, 1],
     [5, 960, 160, 0.25, 1]],
]

# Multi-scale features: the output of the last bottleneck at each resolution, the maps detection necks
# such as YOLOv4-lite take from a GhostNet backbone (blocks[4], blocks[6], blocks[8]). At a 224 input these
# are 28x28x40 (blocks.4.0), 14x14x112 (blocks.6.4) and 7x7x160 (blocks.8.3).
FEATURE_STAGES = OrderedDict([(8, "blocks.4.0"), (16, "blocks.6.4"), (32, "blocks.8.3")])

PARAMS_WIDTH_1 = 5_182_508
# GhostNetV2 at width 1.0, as timm counts ghostnetv2_100.
PARAMS_V2_WIDTH_1 = 6_156_908
# timm's GhostNetV2 gives the first two bottlenecks the plain ghost module.
FIRST_ATTENTION_BLOCK = 2


def _make_divisible(v, divisor, min_value=None):
    """Round a channel count to a multiple of `divisor`, never dropping more than 10% (official rule)."""
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def hard_sigmoid(x):
    return F.relu6(x + 3.0) / 6.0


class SqueezeExcite(nn.Module):
    def __init__(self, in_chs, se_ratio=0.25, divisor=4):
        super().__init__()
        reduced_chs = _make_divisible(in_chs * se_ratio, divisor)
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.conv_reduce = nn.Conv2d(in_chs, reduced_chs, 1, bias=True)
        self.act1 = nn.ReLU(inplace=True)
        self.conv_expand = nn.Conv2d(reduced_chs, in_chs, 1, bias=True)

    def forward(self, x):
        x_se = self.avg_pool(x)
        x_se = self.conv_reduce(x_se)
        x_se = self.act1(x_se)
        x_se = self.conv_expand(x_se)
        return x * hard_sigmoid(x_se)


class ConvBnAct(nn.Module):
    def __init__(self, in_chs, out_chs, kernel_size, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(in_chs, out_chs, kernel_size, stride, kernel_size // 2, bias=False)
        self.bn1 = nn.BatchNorm2d(out_chs)
        self.act1 = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.act1(self.bn1(self.conv(x)))


class GhostModule(nn.Module):
    def __init__(self, inp, oup, kernel_size=1, ratio=2, dw_size=3, stride=1, relu=True):
        super().__init__()
        self.oup = oup
        init_channels = math.ceil(oup / ratio)
        new_channels = init_channels * (ratio - 1)
        # An empty Sequential where the official code has no ReLU keeps the indices (0 conv, 1 BN)
        # and therefore the state-dict keys identical.
        self.primary_conv = nn.Sequential(
            nn.Conv2d(inp, init_channels, kernel_size, stride, kernel_size // 2, bias=False),
            nn.BatchNorm2d(init_channels),
            nn.ReLU(inplace=True) if relu else nn.Sequential(),
        )
        self.cheap_operation = nn.Sequential(
            nn.Conv2d(init_channels, new_channels, dw_size, 1, dw_size // 2, groups=init_channels, bias=False),
            nn.BatchNorm2d(new_channels),
            nn.ReLU(inplace=True) if relu else nn.Sequential(),
        )

    def forward(self, x):
        x1 = self.primary_conv(x)
        x2 = self.cheap_operation(x1)
        out = torch.cat([x1, x2], dim=1)
        return out[:, :self.oup, :, :]


class GhostModuleV2(GhostModule):
    """The ghost module times GhostNetV2's DFC attention, a gate computed from the module's input.

    The branch (``short_conv``) runs at half resolution: average pool 2x2/2, 1x1 conv + BN, depthwise 1x5
    (padding (0, 2)) + BN, depthwise 5x1 (padding (2, 0)) + BN, no activation; its sigmoid is resized
    (nearest) to the module's output and multiplies it. Registered after primary_conv and cheap_operation,
    so the state-dict order is timm's.
    """

    def __init__(self, inp, oup, relu=True):
        super().__init__(inp, oup, relu=relu)
        self.short_conv = nn.Sequential(
            nn.Conv2d(inp, oup, 1, 1, 0, bias=False),
            nn.BatchNorm2d(oup),
            nn.Conv2d(oup, oup, (1, 5), 1, (0, 2), groups=oup, bias=False),
            nn.BatchNorm2d(oup),
            nn.Conv2d(oup, oup, (5, 1), 1, (2, 0), groups=oup, bias=False),
            nn.BatchNorm2d(oup),
        )

    def forward(self, x):
        gate = torch.sigmoid(self.short_conv(F.avg_pool2d(x, kernel_size=2, stride=2)))
        out = super().forward(x)
        return out * F.interpolate(gate, size=out.shape[-2:], mode="nearest")


class GhostBottleneck(nn.Module):
    def __init__(self, in_chs, mid_chs, out_chs, dw_kernel_size=3, stride=1, se_ratio=0.0, attention=False):
        super().__init__()
        has_se = se_ratio is not None and se_ratio > 0.0
        self.stride = stride
        self.ghost1 = (GhostModuleV2 if attention else GhostModule)(in_chs, mid_chs, relu=True)
        if self.stride > 1:
            self.conv_dw = nn.Conv2d(mid_chs, mid_chs, dw_kernel_size, stride=stride,
                                     padding=(dw_kernel_size - 1) // 2, groups=mid_chs, bias=False)
            self.bn_dw = nn.BatchNorm2d(mid_chs)
        self.se = SqueezeExcite(mid_chs, se_ratio=se_ratio) if has_se else None
        self.ghost2 = GhostModule(mid_chs, out_chs, relu=False)
        if in_chs == out_chs and self.stride == 1:
            self.shortcut = nn.Sequential()
        else:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_chs, in_chs, dw_kernel_size, stride=stride,
                          padding=(dw_kernel_size - 1) // 2, groups=in_chs, bias=False),
                nn.BatchNorm2d(in_chs),
                nn.Conv2d(in_chs, out_chs, 1, stride=1, padding=0, bias=False),
                nn.BatchNorm2d(out_chs),
            )

    def forward(self, x):
        residual = x
        x = self.ghost1(x)
        if self.stride > 1:
            x = self.bn_dw(self.conv_dw(x))
        if self.se is not None:
            x = self.se(x)
        x = self.ghost2(x)
        return x + self.shortcut(residual)


class GhostNet(nn.Module):
    def __init__(self, cfgs=CFGS, num_classes=1000, width=1.0, dropout=0.2, version="v1"):
        super().__init__()
        if version not in ("v1", "v2"):
            raise ValueError(f"version must be v1 or v2, got {version!r}")
        self.cfgs = cfgs
        self.dropout = dropout
        self.width = width
        self.version = version
        output_channel = _make_divisible(16 * width, 4)
        self.conv_stem = nn.Conv2d(3, output_channel, 3, 2, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(output_channel)
        self.act1 = nn.ReLU(inplace=True)
        input_channel = output_channel

        stages = []
        exp_size = None
        index = 0
        for cfg in self.cfgs:
            layers = []
            for k, exp_size, c, se_ratio, s in cfg:
                output_channel = _make_divisible(c * width, 4)
                hidden_channel = _make_divisible(exp_size * width, 4)
                attention = version == "v2" and index >= FIRST_ATTENTION_BLOCK
                layers.append(GhostBottleneck(input_channel, hidden_channel, output_channel, k, s,
                                              se_ratio=se_ratio, attention=attention))
                input_channel = output_channel
                index += 1
            stages.append(nn.Sequential(*layers))
        # The final ConvBnAct widens to the last block's expansion size (960 at width 1.0).
        output_channel = _make_divisible(exp_size * width, 4)
        stages.append(nn.Sequential(ConvBnAct(input_channel, output_channel, 1)))
        input_channel = output_channel
        self.blocks = nn.Sequential(*stages)

        # The head width is not scaled by `width`, as in the official code.
        output_channel = 1280
        self.global_pool = nn.AdaptiveAvgPool2d((1, 1))
        self.conv_head = nn.Conv2d(input_channel, output_channel, 1, 1, 0, bias=True)
        self.act2 = nn.ReLU(inplace=True)
        self.classifier = nn.Linear(output_channel, num_classes)

    def forward(self, x):
        return self.forward_stages(x)["logits"]

    def forward_stages(self, x):
        """All intermediates in execution order.

        Keys: `stem`, one per bottleneck by state-dict prefix (`blocks.0.0` ... `blocks.8.3`), `blocks.9`
        (the final ConvBnAct), `pooled` (N, C) after global average pooling, `head` (N, 1280) after
        conv_head + ReLU, `logits` (N, classes). Feature maps are NCHW. Dropout only acts in training,
        exactly like the official forward.
        """
        out = OrderedDict()
        x = self.act1(self.bn1(self.conv_stem(x)))
        out["stem"] = x
        last = len(self.blocks) - 1
        for s, stage in enumerate(self.blocks):
            if s == last:
                x = stage(x)
                out[f"blocks.{s}"] = x
            else:
                for b, block in enumerate(stage):
                    x = block(x)
                    out[f"blocks.{s}.{b}"] = x
        x = self.global_pool(x)
        out["pooled"] = x.flatten(1)
        x = self.act2(self.conv_head(x))
        x = x.view(x.size(0), -1)
        out["head"] = x
        if self.dropout > 0.0:
            x = F.dropout(x, p=self.dropout, training=self.training)
        out["logits"] = self.classifier(x)
        return out

    def forward_features(self, x):
        """Multi-scale feature maps {stride: NCHW tensor} at strides 8, 16, 32 (see FEATURE_STAGES)."""
        stages = self.forward_stages(x)
        return OrderedDict((stride, stages[name]) for stride, name in FEATURE_STAGES.items())


def stage_names(model):
    """Stage keys of `forward_stages`, in order, without running the model."""
    names = ["stem"]
    last = len(model.blocks) - 1
    for s, stage in enumerate(model.blocks):
        if s == last:
            names.append(f"blocks.{s}")
        else:
            names.extend(f"blocks.{s}.{b}" for b in range(len(stage)))
    return names + ["pooled", "head", "logits"]


def model_from_state_dict(state_dict, width=None):
    """Rebuild the eval-mode model a state dict belongs to; the width is inferred unless given.

    The width multiplier is not stored in a checkpoint and make_divisible is not invertible, so the
    candidates are tried until every tensor shape matches. The version is v2 when DFC attention keys
    (``short_conv``) are present.
    """
    num_classes = state_dict["classifier.weight"].shape[0]
    version = "v2" if any(".short_conv." in k for k in state_dict) else "v1"
    candidates = [width] if width is not None else [round(0.05 * i, 2) for i in range(5, 61)]
    # Building a model is slow (weight init); screen the candidates on the first and last widths first.
    stem, last = state_dict["conv_stem.weight"].shape[0], state_dict["blocks.9.0.conv.weight"].shape[0]
    candidates = [w for w in candidates
                  if (_make_divisible(16 * w, 4), _make_divisible(960 * w, 4)) == (stem, last)]
    wanted = {k: tuple(v.shape) for k, v in state_dict.items()}
    for w in candidates:
        model = GhostNet(num_classes=num_classes, width=w, version=version)
        if {k: tuple(v.shape) for k, v in model.state_dict().items()} == wanted:
            model.load_state_dict(state_dict)
            return model.eval()
    raise ValueError(f"state dict matches no GhostNet {version} width among {candidates}")


def count_params(model):
    return sum(p.numel() for p in model.parameters())


def count_macs(model, height=224, width=224):
    """Multiply-adds of one image, counted with forward hooks on every conv and linear layer."""
    total = [0]

    def conv_hook(m, inp, out):
        per_output = (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
        total[0] += out.numel() * per_output

    def linear_hook(m, inp, out):
        total[0] += out.numel() * m.in_features

    handles = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            handles.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            handles.append(m.register_forward_hook(linear_hook))
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 3, height, width, dtype=next(model.parameters()).dtype))
    model.train(was_training)
    for h in handles:
        h.remove()
    return total[0]


def _init_weights(model, generator):
    """Deterministic init, chosen so that the un-normalised paths are O(1) as well.

    Convs followed by BN keep PyTorch's default init (calibration rescales them). Layers without a
    following BN get a fan-in init: SE gates spread over hard_sigmoid's whole range (both clamps and the
    linear part are exercised), and head/logits are O(1) instead of shrinking towards zero.
    """
    for name, m in model.named_modules():
        _init_module(name, m, generator)


@torch.no_grad()
def _init_module(name, m, generator):
    if isinstance(m, nn.Conv2d) and name.endswith("se.conv_reduce"):
        m.weight.normal_(0.0, 2.0 * math.sqrt(2.0 / m.in_channels), generator=generator)
        m.bias.normal_(0.0, 0.5, generator=generator)
    elif isinstance(m, nn.Conv2d) and name.endswith("se.conv_expand"):
        m.weight.normal_(0.0, 1.0 / math.sqrt(m.in_channels), generator=generator)
        m.bias.normal_(0.0, 1.0, generator=generator)
    elif isinstance(m, nn.Conv2d) and name == "conv_head":
        m.weight.normal_(0.0, math.sqrt(2.0 / m.in_channels), generator=generator)
        m.bias.normal_(0.0, 0.1, generator=generator)
    elif isinstance(m, nn.Linear):
        m.weight.normal_(0.0, 1.0 / math.sqrt(m.in_features), generator=generator)
        m.bias.normal_(0.0, 0.1, generator=generator)
    elif isinstance(m, nn.BatchNorm2d):
        # Non-trivial gamma/beta so that BN folding in the engine is actually tested.
        m.weight.uniform_(0.5, 1.5, generator=generator)
        m.bias.normal_(0.0, 0.2, generator=generator)


def calibrate_bn(model, generator, batches=2, batch_size=4, size=160):
    """Replace the BN running statistics by the statistics of the activations on random inputs.

    momentum=None makes the running stats a cumulative average over the calibration batches.
    Without this, random weights with default statistics (mean 0, var 1) let activations grow by
    orders of magnitude layer after layer. The resolution matters more than the sample count: at 64x64
    the 5x5 stride-32 layers see 2x2 maps dominated by padding, and their statistics then overshoot
    at 224 (blocks.8.3 std ~25 instead of ~3). 160x160 keeps every stage O(1) for inputs from 32x32
    to 256x256. Runs single-threaded so the weights do not depend on the caller's thread count.
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None
    model.train()
    with torch.no_grad():
        for _ in range(batches):
            model(torch.randn(batch_size, 3, size, size, generator=generator))
    for m in bns:
        m.momentum = 0.1
    model.eval()
    torch.set_num_threads(threads)


@torch.no_grad()
def spread_classifier(model, generator, batch_size=4, size=160):
    """Make the predicted class depend on the input.

    The head output is post-ReLU, so its mean vector dominates every image's features; with random
    classifier rows a handful of classes then win for every input and top-1 comparisons test little.
    Removing each row's component along the mean head vector and rescaling to logits of std ~1 spreads
    the argmax over the classes.
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    head = model.forward_stages(torch.randn(batch_size, 3, size, size, generator=generator))["head"]
    mean = head.mean(0)
    weight = model.classifier.weight
    weight -= torch.outer(weight @ mean, mean) / mean.dot(mean)
    logits = model.classifier(head)
    weight /= logits.std()
    torch.set_num_threads(threads)


def make_model(width=1.0, num_classes=1000, seed=0, version="v1"):
    """A GhostNet with seeded, BN-calibrated weights in eval mode; same arguments give the same weights."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = GhostNet(num_classes=num_classes, width=width, version=version)
    _init_weights(model, generator)
    calibrate_bn(model, generator)
    spread_classifier(model, generator)
    return model


def _self_check():
    import argparse
    import time

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=float, default=1.0)
    parser.add_argument("--classes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--version", choices=("v1", "v2"), default="v1")
    args = parser.parse_args()
    torch.set_num_threads(1)

    reference = GhostNet(width=1.0)
    params = count_params(reference)
    macs = count_macs(reference)
    print(f"width 1.0: {params:,} parameters, {macs / 1e6:.2f} M MACs at 224x224")
    assert params == PARAMS_WIDTH_1, params
    assert abs(macs / 1e6 - 141.15) < 0.5, macs
    params_v2 = count_params(GhostNet(width=1.0, version="v2"))
    print(f"v2 width 1.0: {params_v2:,} parameters")
    assert params_v2 == PARAMS_V2_WIDTH_1, params_v2

    t0 = time.perf_counter()
    model = make_model(args.width, args.classes, args.seed, args.version)
    print(f"{args.version} width {args.width}: {count_params(model):,} parameters; make_model took "
          f"{time.perf_counter() - t0:.2f} s")
    x = torch.randn(1, 3, args.size, args.size, generator=torch.Generator().manual_seed(args.seed + 1))
    with torch.no_grad():
        stages = model.forward_stages(x)
    print(f"{'stage':<12} {'shape':<20} {'mean':>8} {'std':>8} {'max|x|':>8}")
    for name, t in stages.items():
        print(f"{name:<12} {str(tuple(t.shape)):<20} {t.mean():8.3f} {t.std():8.3f} {t.abs().max():8.3f}")
    assert stages["logits"].abs().max() < 100, "logits blew up: BN calibration is broken"
    for stride, name in FEATURE_STAGES.items():
        shape = tuple(stages[name].shape[2:])
        assert shape == (math.ceil(args.size / stride),) * 2, (stride, name, shape)
        print(f"stride {stride:>2}: {name} {tuple(stages[name].shape)}")


if __name__ == "__main__":
    _self_check()
