package dev.ghostnet.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBarTest {
    @Test
    void drawsInPlaceAndClearsBeforeOtherOutput() {
        StringWriter err = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(err), 10, true);
        bar.advance(4);
        assertTrue(err.toString().startsWith("\r[############..................] 4/10"), err.toString());
        bar.hide();
        assertTrue(err.toString().endsWith("\r"), "the line is blanked and the cursor back at its start");
        bar.advance(6);
        bar.finish();
        assertTrue(err.toString().contains("[##############################] 10/10"), err.toString());
        assertTrue(err.toString().endsWith(System.lineSeparator()), err.toString());
    }

    @Test
    void aDisabledBarPrintsNothing() {
        StringWriter err = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(err), 10, false);
        bar.advance(5);
        bar.hide();
        bar.finish();
        assertEquals("", err.toString());
    }
}
