package dev.ghostnet.engine.io;

import java.io.Serial;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON parser for small headers. Objects are {@link LinkedHashMap}s in document order
 * (duplicate keys are an error), arrays {@link List}s, integers {@link Long} (or {@link BigInteger} when
 * too large), other numbers {@link BigDecimal}, plus String, Boolean and null. Nesting is capped so
 * hostile input cannot overflow the stack.
 */
public final class JsonParser {
    /** Thrown with the character offset where the text stops being JSON. */
    public static final class JsonException extends Exception {
        @Serial
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(message);
        }
    }

    private static final int MAX_DEPTH = 64;
    /** Keeps BigInteger/BigDecimal parsing linear; no header needs longer numbers. */
    private static final int MAX_NUMBER_LENGTH = 100;

    private final String text;
    private int pos;

    private JsonParser(String text) {
        this.text = text;
    }

    public static Object parse(String text) throws JsonException {
        JsonParser p = new JsonParser(text);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) throw p.error("trailing characters");
        return value;
    }

    private Object value(int depth) throws JsonException {
        if (depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH);
        if (pos >= text.length()) throw error("unexpected end");
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object(int depth) throws JsonException {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw error("expected a string key");
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth + 1);
            if (map.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            map.put(key, v);
            skipWhitespace();
            char c = next();
            if (c == '}') return map;
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws JsonException {
        List<Object> list = new ArrayList<>();
        pos++;
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth + 1));
            skipWhitespace();
            char c = next();
            if (c == ']') return list;
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() throws JsonException {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') return sb.toString();
            if (c < 0x20) {
                pos--;
                throw error("control character in string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char esc = next();
            switch (esc) {
                case '"', '\\', '/' -> sb.append(esc);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) throw error("truncated \\u escape");
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int digit = Character.digit(text.charAt(pos++), 16);
                        if (digit < 0) throw error("bad \\u escape");
                        code = code * 16 + digit;
                    }
                    sb.append((char) code);
                }
                default -> {
                    pos--;
                    throw error("bad escape '\\" + esc + "'");
                }
            }
        }
    }

    private Object number() throws JsonException {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
        } else if (digits() == 0) {
            throw error("expected a digit");
        }
        boolean integral = true;
        if (peek() == '.') {
            pos++;
            integral = false;
            if (digits() == 0) throw error("expected a digit after '.'");
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            integral = false;
            if (peek() == '+' || peek() == '-') pos++;
            if (digits() == 0) throw error("expected a digit in the exponent");
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            pos = start;
            throw error("number longer than " + MAX_NUMBER_LENGTH + " characters");
        }
        String token = text.substring(start, pos);
        if (!integral) {
            try {
                return new BigDecimal(token);
            } catch (NumberFormatException e) {
                pos = start;
                throw error("number out of range");
            }
        }
        BigInteger value = new BigInteger(token);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private int digits() {
        int n = 0;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
            n++;
        }
        return n;
    }

    private Object literal(String word, Object value) throws JsonException {
        if (!text.startsWith(word, pos)) throw error("unexpected character '" + text.charAt(pos) + "'");
        pos += word.length();
        return value;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next() throws JsonException {
        if (pos >= text.length()) throw error("unexpected end");
        return text.charAt(pos++);
    }

    private void expect(char c) throws JsonException {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    private JsonException error(String message) {
        return new JsonException(message + " at character " + pos);
    }
}
