package org.jvirt.virsh.commands;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.ConsoleStream;

/**
 * virsh console: copies the guest's console to stdout and stdin to the guest until the escape
 * character ^] (0x1d), end of input, or the console closes (the domain stopped). With a
 * terminal on stdin it is put in raw mode (stty on /dev/tty) and restored afterwards.
 */
final class ConsoleSession {

    static final int ESCAPE = 0x1d;

    private ConsoleSession() { }

    static void run(Domain d, String devName, InputStream stdin, PrintStream out, boolean quiet) throws LibvirtException {
        ConsoleStream console = d.openConsole(devName);
        if (!quiet) {
            out.print("Connected to domain '" + d.getName() + "'\nEscape character is ^] (Ctrl + ])\n");
        }
        out.flush();
        boolean tty = System.console() != null;
        String saved = tty ? stty("-g") : null;
        if (tty) stty("raw", "-echo");
        Object done = new Object();
        boolean[] finished = {false};
        Thread guestToOut = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                InputStream in = console.input();
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the console went away: the domain stopped
            }
            synchronized (done) {
                finished[0] = true;
                done.notifyAll();
            }
        }, "console-output");
        guestToOut.setDaemon(true);
        guestToOut.start();
        Thread inToGuest = new Thread(() -> {
            try {
                OutputStream o = console.output();
                int b;
                while ((b = stdin.read()) >= 0 && b != ESCAPE) {
                    o.write(b);
                    if (stdin.available() == 0) o.flush();
                }
                o.flush();
            } catch (IOException e) {
                // console closed
            }
            synchronized (done) {
                finished[0] = true;
                done.notifyAll();
            }
        }, "console-input");
        inToGuest.setDaemon(true);
        inToGuest.start();
        try {
            synchronized (done) {
                while (!finished[0]) done.wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (tty && saved != null) stty(saved.trim());
            console.close();
            out.print("\n");
            out.flush();
        }
    }

    /** Runs stty on the controlling terminal; returns its output (null on failure). */
    private static String stty(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? text : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
