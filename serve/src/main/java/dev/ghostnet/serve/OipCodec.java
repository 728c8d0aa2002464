package dev.ghostnet.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads and writes the JSON of the Open Inference Protocol v2 (KServe, Triton) for this model: its one input
 * is {@code FP32 [N, 3, S, S]} (preprocessed, normalised NCHW) or {@code BYTES [N]} (each element an encoded
 * PNG or JPEG in base64); its one output is {@code logits}, {@code FP32 [N, classes]}.
 *
 * <p>The request is parsed as a stream: tensor data, flat or nested as the protocol allows, goes straight
 * into a float array instead of a tree of boxed numbers.
 */
final class OipCodec {
    static final String INPUT = "input";
    static final String OUTPUT = "logits";

    private final int size;
    private final JsonFactory json;

    /** A codec for inputs of {@code size x size} pixels and bodies of at most {@code maxJsonBytes}. */
    OipCodec(int size, int maxJsonBytes) {
        this.size = size;
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(16)
                        .maxStringLength(maxJsonBytes)
                        .build())
                .build();
    }

    /**
     * Parses and validates an inference request.
     *
     * @throws ApiException 400 naming the problem: malformed JSON, a missing field, an unsupported datatype,
     *                      a shape that is not this model's, data that does not match its shape
     */
    OipRequest parse(byte[] body) throws ApiException {
        try (JsonParser p = json.createParser(body)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "the request");
            String id = null;
            List<RawInput> inputs = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id" -> id = string(p, value, "\"id\"");
                    case "inputs" -> inputs = inputs(p, value);
                    case "outputs" -> outputs(p, value);
                    default -> p.skipChildren(); // "parameters" and extensions this server does not use
                }
            }
            if (p.nextToken() != null) {
                throw ApiException.badRequest("malformed JSON: content after the request object");
            }
            if (inputs == null) {
                throw ApiException.badRequest("the request has no \"inputs\"");
            }
            if (inputs.size() != 1) {
                throw ApiException.badRequest("this model has one input, the request has " + inputs.size());
            }
            return inputs.getFirst().validate(id, size);
        } catch (JsonProcessingException e) {
            // Limits (nesting, string length) are reported without a location.
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ApiException.badRequest("malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<RawInput> inputs(JsonParser p, JsonToken token) throws IOException, ApiException {
        expect(p, token, JsonToken.START_ARRAY, "\"inputs\"");
        List<RawInput> inputs = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            inputs.add(input(p, p.currentToken(), inputs.size()));
        }
        return inputs;
    }

    private static RawInput input(JsonParser p, JsonToken token, int index) throws IOException, ApiException {
        String where = "input " + index;
        expect(p, token, JsonToken.START_OBJECT, where);
        RawInput input = new RawInput();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "name" -> input.name = string(p, value, where + " \"name\"");
                case "datatype" -> input.datatype = string(p, value, where + " \"datatype\"");
                case "shape" -> input.shape = shape(p, value, where);
                case "data" -> {
                    expect(p, value, JsonToken.START_ARRAY, where + " \"data\"");
                    input.data(p, where);
                }
                default -> p.skipChildren();
            }
        }
        if (input.name == null || input.datatype == null || input.shape == null || !input.hasData) {
            throw ApiException.badRequest(where + " needs \"name\", \"shape\", \"datatype\" and \"data\"");
        }
        return input;
    }

    private static long[] shape(JsonParser p, JsonToken token, String where) throws IOException, ApiException {
        expect(p, token, JsonToken.START_ARRAY, where + " \"shape\"");
        long[] dims = new long[8];
        int rank = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || rank == dims.length) {
                throw ApiException.badRequest(where + " \"shape\" must be at most " + dims.length
                        + " non-negative integers");
            }
            long dim = p.getLongValue();
            if (dim < 0) {
                throw ApiException.badRequest(where + " \"shape\" has the negative dimension " + dim);
            }
            dims[rank++] = dim;
        }
        return Arrays.copyOf(dims, rank);
    }

    private static void outputs(JsonParser p, JsonToken token) throws IOException, ApiException {
        expect(p, token, JsonToken.START_ARRAY, "\"outputs\"");
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(p, p.currentToken(), JsonToken.START_OBJECT, "each requested output");
            String name = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("name")) {
                    name = string(p, value, "an output's \"name\"");
                } else {
                    p.skipChildren();
                }
            }
            if (!OUTPUT.equals(name)) {
                throw ApiException.badRequest("unknown output " + (name == null ? "(no name)" : "'" + name + "'")
                        + ": this model has one output, '" + OUTPUT + "'");
            }
        }
    }

    private static String string(JsonParser p, JsonToken token, String what) throws IOException, ApiException {
        expect(p, token, JsonToken.VALUE_STRING, what);
        return p.getText();
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String what) throws ApiException {
        if (actual != expected) {
            throw ApiException.badRequest(what + " must be " + describe(expected) + ", found " + describe(actual)
                    + " at line " + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr());
        }
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "the end of the body";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
        };
    }

    /** The response of {@code POST /v2/models/{name}/infer}: the logits of every image. */
    byte[] inferResponse(String model, String version, String id, float[] logits, int batch, int classes) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("model_name", model);
            g.writeStringField("model_version", version);
            if (id != null) {
                g.writeStringField("id", id);
            }
            g.writeArrayFieldStart("outputs");
            g.writeStartObject();
            g.writeStringField("name", OUTPUT);
            g.writeStringField("datatype", "FP32");
            g.writeArrayFieldStart("shape");
            g.writeNumber(batch);
            g.writeNumber(classes);
            g.writeEndArray();
            g.writeArrayFieldStart("data");
            for (float v : logits) {
                g.writeNumber(v);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** The response of {@code GET /v2/models/{name}}. */
    byte[] modelMetadata(String model, String version, int classes) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("name", model);
            g.writeArrayFieldStart("versions");
            g.writeString(version);
            g.writeEndArray();
            g.writeStringField("platform", "ghostnet_java");
            g.writeArrayFieldStart("inputs");
            tensor(g, INPUT, "FP32", -1, 3, size, size);
            g.writeEndArray();
            g.writeArrayFieldStart("outputs");
            tensor(g, OUTPUT, "FP32", -1, classes);
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void tensor(JsonGenerator g, String name, String datatype, long... shape) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("datatype", datatype);
        g.writeArrayFieldStart("shape");
        for (long d : shape) {
            g.writeNumber(d);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private byte[] write(Writer writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = json.createGenerator(out)) {
            writer.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An input as sent, before its shape and datatype are checked against the model. */
    private static final class RawInput {
        String name;
        String datatype;
        long[] shape;
        boolean hasData;
        float[] numbers = new float[1024];
        int count;
        final List<String> strings = new ArrayList<>();

        /** Flattens nested arrays in row-major order, as the protocol allows. */
        void data(JsonParser p, String where) throws IOException, ApiException {
            hasData = true;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                switch (t) {
                    case START_ARRAY -> data(p, where);
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                        if (count == numbers.length) {
                            numbers = Arrays.copyOf(numbers, numbers.length * 2);
                        }
                        numbers[count++] = p.getFloatValue();
                    }
                    case VALUE_STRING -> strings.add(p.getText());
                    default -> throw ApiException.badRequest(where + " \"data\" holds " + describe(t)
                            + ": expected numbers (FP32) or strings (BYTES)");
                }
            }
        }

        OipRequest validate(String id, int size) throws ApiException {
            String what = "input '" + name + "'";
            if (count > 0 && !strings.isEmpty()) {
                throw ApiException.badRequest(what + " mixes numbers and strings in \"data\"");
            }
            return switch (datatype) {
                case "FP32" -> tensor(id, size, what);
                case "BYTES" -> images(id, what);
                default -> throw ApiException.badRequest(what + " has datatype " + datatype + ": this model takes"
                        + " FP32 [N, 3, " + size + ", " + size + "] (preprocessed images) or BYTES [N] (encoded"
                        + " images in base64)");
            };
        }

        private OipRequest tensor(String id, int size, String what) throws ApiException {
            if (shape.length != 4 || shape[0] < 1 || shape[1] != 3 || shape[2] != size || shape[3] != size) {
                throw ApiException.badRequest(what + " has shape " + Arrays.toString(shape) + ": expected [N, 3, "
                        + size + ", " + size + "] with N >= 1 (NCHW, normalised like ImageNet)");
            }
            long expected = shape[0] * 3 * size * size;
            if (!strings.isEmpty() || count != expected) {
                throw ApiException.badRequest(what + " has " + (strings.isEmpty() ? count + " numbers" : "strings")
                        + " in \"data\" but its shape " + Arrays.toString(shape) + " needs " + expected + " numbers");
            }
            for (int i = 0; i < count; i++) {
                if (!Float.isFinite(numbers[i])) {
                    throw ApiException.badRequest(what + " element " + i + " is " + numbers[i]
                            + " in FP32: out of range");
                }
            }
            return new OipRequest(id, count == numbers.length ? numbers : Arrays.copyOf(numbers, count), null,
                    (int) shape[0]);
        }

        private OipRequest images(String id, String what) throws ApiException {
            boolean vector = shape.length == 1 || (shape.length == 2 && shape[1] == 1);
            if (!vector || shape[0] < 1) {
                throw ApiException.badRequest(what + " has shape " + Arrays.toString(shape)
                        + ": BYTES input is [N] (or [N, 1]) encoded images, N >= 1");
            }
            if (count > 0 || strings.size() != shape[0]) {
                throw ApiException.badRequest(what + " has " + (count > 0 ? "numbers" : strings.size() + " strings")
                        + " in \"data\" but its shape " + Arrays.toString(shape) + " needs " + shape[0] + " strings");
            }
            List<byte[]> images = new ArrayList<>(strings.size());
            for (int i = 0; i < strings.size(); i++) {
                try {
                    images.add(Base64.getDecoder().decode(strings.get(i)));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest(what + " element " + i + " is not base64: " + e.getMessage());
                }
            }
            return new OipRequest(id, null, images, images.size());
        }
    }
}
