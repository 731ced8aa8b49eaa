package io.visionfleet.frameprocessor.sam2;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A reusable direct float buffer that grows to the largest size asked of it and is never shrunk: graph inputs and
 * pinned outputs live in these, so a steady stream allocates nothing per frame but the small tensor handles.
 */
final class Floats {
    private FloatBuffer buffer = allocate(0);

    static FloatBuffer allocate(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** The first {@code floats} floats, positioned at 0; earlier contents are kept when it grows. */
    FloatBuffer view(int floats) {
        if (buffer.capacity() < floats) {
            FloatBuffer grown = allocate(Math.max(floats, buffer.capacity() * 2));
            grown.put(buffer.clear());
            buffer = grown;
        }
        return slice(buffer, 0, floats);
    }

    /** A tensor of {@code shape} over the first floats of this buffer (ONNX Runtime reads and writes them in place). */
    OnnxTensor tensor(OrtEnvironment env, long... shape) throws OrtException {
        return tensor(env, view(count(shape)), shape);
    }

    static OnnxTensor tensor(OrtEnvironment env, FloatBuffer floats, long... shape) throws OrtException {
        return OnnxTensor.createTensor(env, floats, shape);
    }

    static FloatBuffer slice(FloatBuffer buffer, int offset, int floats) {
        return buffer.duplicate().clear().position(offset).limit(offset + floats).slice();
    }

    static int count(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    /**
     * Rounds every value of {@code buffer} (position 0 to limit) to bfloat16 precision (8 significant bits,
     * round-to-nearest-even, as {@code Tensor.to(torch.bfloat16)}), keeping it as a float: the reference video
     * predictor stores spatial memories in bfloat16, so the memories the engine attends must carry the same rounding.
     */
    static void roundToBfloat16(FloatBuffer buffer) {
        for (int i = 0, n = buffer.limit(); i < n; i++) {
            buffer.put(i, bfloat16(buffer.get(i)));
        }
    }

    static float bfloat16(float v) {
        if (Float.isNaN(v)) {
            return v;
        }
        int bits = Float.floatToRawIntBits(v);
        bits += 0x7FFF + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(bits & 0xFFFF0000);
    }
}
