package org.jvirt.virsh.interactive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jvirt.virsh.shell.Completion;

/**
 * Command lines from a terminal through JLine: line editing, history kept in a file and
 * completion of commands, options and domain names. Only this class touches JLine, so
 * non-interactive runs never load it.
 */
public final class EditorLines implements InteractiveShell.LineSource {

    private final Terminal terminal;
    private final LineReader reader;

    public EditorLines(Completion completion, Path historyFile, int historySize) throws IOException {
        terminal = TerminalBuilder.builder().system(true).build();
        Files.createDirectories(historyFile.getParent());
        reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("jvirsh")
                .completer((r, line, candidates) -> {
                    String before = line.line().substring(0, line.cursor());
                    for (String c : completion.complete(Completion.wordsBeforeCursor(before))) {
                        candidates.add(new Candidate(c, c, null, null, null, null, true));
                    }
                })
                .variable(LineReader.HISTORY_FILE, historyFile)
                .variable(LineReader.HISTORY_SIZE, historySize)
                .variable(LineReader.HISTORY_FILE_SIZE, historySize)
                // '!' and '^' are ordinary characters in virsh command lines
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                .build();
    }

    /**
     * virsh keeps its history under the user's cache directory; ours goes to the XDG state
     * directory, where the XDG spec puts history: $XDG_STATE_HOME/jvirt/jvirsh_history.
     */
    public static Path historyFile(Map<String, String> env) {
        String state = env.get("XDG_STATE_HOME");
        Path base = state != null && !state.isEmpty() ? Path.of(state)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("jvirt").resolve("jvirsh_history");
    }

    /** virsh's VIRSH_HISTSIZE as JVIRSH_HISTSIZE: 500 lines unless set (0..100000). */
    public static int historySize(Map<String, String> env) {
        try {
            int n = Integer.parseInt(env.getOrDefault("JVIRSH_HISTSIZE", "500"));
            return n < 0 || n > 100_000 ? 500 : n;
        } catch (NumberFormatException e) {
            return 500;
        }
    }

    @Override
    public String readLine(String prompt) {
        while (true) {
            try {
                return reader.readLine(prompt);
            } catch (UserInterruptException e) {
                // Ctrl-C drops the line being typed, as in virsh
            } catch (EndOfFileException e) {
                return null;
            }
        }
    }

    @Override
    public void close() {
        try {
            reader.getHistory().save();
            terminal.close();
        } catch (IOException e) {
            // the history is a convenience: losing it is no failure of the session
        }
    }
}
