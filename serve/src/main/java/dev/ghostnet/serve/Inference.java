package dev.ghostnet.serve;

/**
 * What a worker hands back for one request.
 *
 * @param logits         {@code images x classes} floats, image-major
 * @param batchImages    images in the batch the request ran in (its own and the others')
 * @param queueNanos     from submission to the start of its batch
 * @param inferenceNanos the batch's run time
 */
record Inference(float[] logits, int batchImages, long queueNanos, long inferenceNanos) {}
