package dev.ghostnet.engine.cli;

/** The little JSON the CLI writes: string literals. Numbers and booleans are written with Java's own toString. */
final class Json {
    private Json() {}

    /** {@code value} as a JSON string literal (RFC 8259): quotes, backslashes and control characters escaped. */
    static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        // Other characters, surrogate pairs included, are valid JSON as they are in UTF-8 output.
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
