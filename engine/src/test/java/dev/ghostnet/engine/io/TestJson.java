package dev.ghostnet.engine.io;

/** The engine's strict JSON parser, opened up for tests in other packages that check JSON output. */
public final class TestJson {
    private TestJson() {}

    public static Object parse(String text) {
        try {
            return JsonParser.parse(text);
        } catch (JsonParser.JsonException e) {
            throw new AssertionError("not JSON (" + e.getMessage() + "): " + text, e);
        }
    }
}
