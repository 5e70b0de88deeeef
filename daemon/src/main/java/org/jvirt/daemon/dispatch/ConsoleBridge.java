package org.jvirt.daemon.dispatch;

import static org.jvirt.rpc.RemoteProcedure.DOMAIN_OPEN_CONSOLE;

import java.io.IOException;
import java.io.InputStream;
import org.jvirt.daemon.session.ClientSession;
import org.jvirt.daemon.session.StreamSink;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.spi.ConsoleStream;
import org.jvirt.rpc.Limits;
import org.jvirt.rpc.MessageHeader;

/**
 * A console opened by DOMAIN_OPEN_CONSOLE, carried as a stream (spec §6): the reply first,
 * then the guest's output as STREAM CONTINUE frames of at most libvirtd's chunk, one pump
 * thread per console that waits while the client is behind; the client's keystrokes go to the
 * guest; a finish or an abort from the client closes the console, the guest goes on.
 */
final class ConsoleBridge implements StreamSink {
    private final ClientSession session;
    private final MessageHeader call;
    private final ConsoleStream console;
    private final SessionState state;
    private volatile boolean closed;

    private ConsoleBridge(ClientSession session, MessageHeader call, ConsoleStream console, SessionState state) {
        this.session = session;
        this.call = call;
        this.console = console;
        this.state = state;
    }

    static void register(ProcedureTable t) {
        t.add(DOMAIN_OPEN_CONSOLE, "virDomainOpenConsole", Access.WRITE, c -> {
            Domain d = c.domain();
            String dev = c.readOptionalString("dev_name");
            int flags = c.readInt();
            ConsoleStream console = d.openConsole(dev, flags);
            ConsoleBridge b = new ConsoleBridge(c.session, c.header, console, c.state);
            c.state.consoles.add(b);
            c.session.openStream(c.header, b);
            c.session.reply(c.header, c.ret);
            c.replied = true;
            Thread pump = new Thread(b::pump, "jvirtd-console " + d.getName());
            pump.setDaemon(true);
            pump.start();
        });
    }

    private void pump() {
        byte[] buf = new byte[Limits.STREAM_CHUNK];
        try (InputStream in = console.input()) {
            while (!closed) {
                int n = in.read(buf);
                if (n < 0) {
                    session.streamData(call, buf, 0, 0); // end of data: an empty CONTINUE
                    break;
                }
                if (n > 0 && !session.streamData(call, buf, 0, n)) break;
            }
        } catch (IOException e) {
            if (!closed) session.streamError(call, WireErrors.internal("console closed: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    @Override
    public void data(byte[] bytes) {
        try {
            console.output().write(bytes);
            console.output().flush();
        } catch (IOException e) {
            session.streamError(call, WireErrors.internal("cannot write to the console: " + e.getMessage()));
            close();
        }
    }

    @Override
    public void end(boolean aborted) {
        close();
    }

    void close() {
        if (closed) return;
        closed = true;
        state.consoles.remove(this);
        console.close();
    }
}
