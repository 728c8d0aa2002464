/**
 * GhostNet as data, and the model compiled from it.
 *
 * <p>{@link dev.ghostnet.engine.model.GhostNetConfig#describe} turns a config (version, width, classes), through
 * its variant's describer ({@link dev.ghostnet.engine.model.GhostNetV1}, {@link dev.ghostnet.engine.model.GhostNetV2}),
 * into a
 * {@link dev.ghostnet.engine.model.ModelDescription}: the one place the network's structure is written down.
 * It is a flat list of {@link dev.ghostnet.engine.model.LayerSpec}s in execution order, one per kernel call,
 * each with
 * <ul>
 *   <li>an {@link dev.ghostnet.engine.model.Op}: the op kind with its channels, window (kernel height and
 *       width, stride, padding per axis) and activation;</li>
 *   <li>its {@link dev.ghostnet.engine.model.WeightSpec}s: the state_dict keys, shapes and roles it reads
 *       (a conv + BatchNorm pair, or a conv/linear with its own bias), each key composed once from the
 *       PyTorch module prefixes;</li>
 *   <li>the channel slices of named tensors it reads, writes and adds as a residual.</li>
 * </ul>
 * plus the stages compared with PyTorch and exposed as feature maps. Everything else reads the description:
 * {@link dev.ghostnet.engine.model.WeightBinder} (expected keys and shapes, width inference, BatchNorm folding
 * into {@link dev.ghostnet.engine.model.FoldedWeights}), {@link dev.ghostnet.engine.model.SeededWeights},
 * {@link dev.ghostnet.engine.model.GhostNetModel} (one prepared kernel per layer), the runtime's execution
 * plan (about one step per layer, tensors placed in shared slabs by liveness), the parameter counts of the layer
 * table, and the tests' naive forward pass. A new variant is a new describer plus the ops and kernels it
 * needs: {@code Op} is sealed, so every consumer's switch fails to compile until it handles a new op.
 * GhostNet v2 is the second describer: its DFC attention adds an average pool, 1x5 and 5x1 depthwise windows
 * (compiled to the kernels' {@code WindowDepthwiseConv}; square "same" windows keep the tiled {@code DepthwiseConv})
 * and a sigmoid gate.
 */
package dev.ghostnet.engine.model;
