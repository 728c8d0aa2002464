package dev.ghostnet.serve;

import java.util.List;

/**
 * A validated inference request of the Open Inference Protocol v2: one input, either preprocessed FP32
 * images or encoded images carried as BYTES.
 *
 * @param id     the request's "id", echoed in the response, or null
 * @param tensor dense NCHW floats ({@code batch x 3 x size x size}) for an FP32 input, else null
 * @param images encoded PNG/JPEG images for a BYTES input, else null
 * @param batch  images in the request (N)
 */
record OipRequest(String id, float[] tensor, List<byte[]> images, int batch) {}
