package org.jvirt.vmm.testutil;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A stopped QEMU (-S) driven through its qtest protocol on stdin/stdout (-qtest stdio): port I/O,
 * memory-mapped reads and writes and guest memory, as a guest would do them, so a device model
 * can be compared with QEMU's register by register. Each command waits for QEMU's OK.
 */
public final class QemuQtest implements AutoCloseable {

    private final Process process;
    private final Writer in;
    private final BufferedReader out;

    /** qemu-system-x86_64 -M MACHINE -S -accel tcg -qtest stdio -nodefaults -display none, then args. */
    public QemuQtest(String machine, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-M", machine, "-S", "-accel", "tcg", "-qtest", "stdio",
                "-nodefaults", "-display", "none"));
        cmd.addAll(List.of(args));
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    }

    /** Sends one qtest command and returns QEMU's "OK ..." line (events in between are skipped). */
    public String call(String line) {
        try {
            in.write(line + "\n");
            in.flush();
            while (true) {
                String r = out.readLine();
                if (r == null) throw new IllegalStateException("qemu ended");
                if (r.startsWith("OK")) return r;
                if (r.startsWith("FAIL") || r.startsWith("ERR")) throw new IllegalStateException(line + ": " + r);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The number a reading command answers ("OK 0x..."). */
    public long value(String line) {
        return Long.decode(call(line).substring(3).trim());
    }

    public long in(int size, int port) { return value(String.format("in%s 0x%x", suffix(size), port)); }

    public void out(int size, int port, long v) { call(String.format("out%s 0x%x 0x%x", suffix(size), port, v)); }

    public long readl(long addr) { return value(String.format("readl 0x%x", addr)); }

    public void writel(long addr, long v) { call(String.format("writel 0x%x 0x%x", addr, v & 0xFFFF_FFFFL)); }

    public void memWrite(long gpa, byte[] data) {
        call(String.format("write 0x%x 0x%x 0x%s", gpa, data.length, HexFormat.of().formatHex(data)));
    }

    public byte[] memRead(long gpa, int len) {
        String hex = call(String.format("read 0x%x 0x%x", gpa, len)).substring(3).trim();
        return HexFormat.of().parseHex(hex.substring(2));
    }

    /** A configuration register of bus 0 through CF8/CFC. */
    public long cfgRead(int slot, int fn, int reg, int size) {
        out(4, 0xCF8, 0x8000_0000L | slot << 11 | fn << 8 | (reg & 0xFC));
        return in(size, 0xCFC + (reg & 3));
    }

    public void cfgWrite(int slot, int fn, int reg, int size, long v) {
        out(4, 0xCF8, 0x8000_0000L | slot << 11 | fn << 8 | (reg & 0xFC));
        out(size, 0xCFC + (reg & 3), v);
    }

    /** A configuration register of any bus through CF8/CFC (behind a bridge once its bus numbers are set). */
    public long cfgRead(int bus, int slot, int fn, int reg, int size) {
        out(4, 0xCF8, 0x8000_0000L | bus << 16 | slot << 11 | fn << 8 | (reg & 0xFC));
        return in(size, 0xCFC + (reg & 3));
    }

    public void cfgWrite(int bus, int slot, int fn, int reg, int size, long v) {
        out(4, 0xCF8, 0x8000_0000L | bus << 16 | slot << 11 | fn << 8 | (reg & 0xFC));
        out(size, 0xCFC + (reg & 3), v);
    }

    private static String suffix(int size) {
        return switch (size) {
            case 1 -> "b";
            case 2 -> "w";
            case 4 -> "l";
            default -> throw new IllegalArgumentException("size " + size);
        };
    }

    @Override
    public void close() {
        process.destroy();
    }
}
