package dev.ghostnet.engine.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonTextQuoteTest {
    @Test
    void quotedStringsParseBackToThemselves() {
        for (String s : new String[] {"", "tabby", "a \"quoted\" name", "back\\slash", "tab\tnew\nline\r",
                "\u0000\u0001\u001f\u007f", "bell\b feed\f", "caf\u00e9 \u732b \uD83D\uDC08", "/slash/"}) {
            assertEquals(s, TestJson.parse(JsonText.quote(s)), "round trip of " + s);
        }
        assertEquals("\"\\u0001\"", JsonText.quote("\u0001"));
    }
}
