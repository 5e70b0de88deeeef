package org.jvirt.virsh.interactive;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Command lines from a stream that is not a terminal: virsh (readline) prints the prompt and
 * echoes each line it reads, so a transcript of `jvirsh < script` shows what ran.
 */
public final class PlainLines implements InteractiveShell.LineSource {

    private final BufferedReader in;
    private final PrintStream out;

    public PlainLines(BufferedReader in, PrintStream out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public String readLine(String prompt) throws IOException {
        out.print(prompt);
        out.flush();
        String line = in.readLine();
        if (line != null) out.print(line + "\n");
        return line;
    }
}
