package org.jvirt.driver.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jvirt.driver.spi.ConsoleStream;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.DriverConnection;
import org.jvirt.rpc.Frame;
import org.jvirt.rpc.MessageHeader;
import org.jvirt.rpc.MessageType;
import org.jvirt.rpc.RemoteError;
import org.jvirt.rpc.RemoteProcedure;
import org.jvirt.rpc.XdrWriter;
import org.junit.jupiter.api.Test;

/**
 * The console stream on the wire as spec §6 describes libvirtd's (libvirtd's test driver has
 * no console to show it): REPLY first, data as STREAM CONTINUE frames with the call's serial,
 * an empty CONTINUE for the end, STREAM ERROR with remote_error for a failure, and the
 * client's abort as an empty STREAM ERROR, confirmed with STREAM OK.
 */
class ConsoleStreamTest {
    private static final DomainRef VM = new DomainRef("vm", "6695eb01-f6a4-8304-79aa-97f2502e193f", 1);

    private static DriverConnection open(FakeDaemon d) throws Exception {
        return RemoteDriver.open(RemoteUri.parse(d.uri(), URI.create(d.uri())), false, 0, 0);
    }

    private static String read(InputStream in, int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.US_ASCII);
    }

    @Test
    void guestOutputKeystrokesAndTheClientsAbort() throws Exception {
        LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
        FakeDaemon.Script echo = (f, d) -> {
            MessageHeader h = f.header();
            if (h.type() == MessageType.CALL && h.procedure() == RemoteProcedure.DOMAIN_OPEN_CONSOLE) {
                d.send(h.answer(MessageType.REPLY, MessageType.STATUS_OK), null);
                d.sendRaw(h.answer(MessageType.STREAM, MessageType.STATUS_CONTINUE), "login: ".getBytes(StandardCharsets.US_ASCII));
                seen.add("open serial " + h.serial());
            } else if (h.type() == MessageType.STREAM && h.status() == MessageType.STATUS_CONTINUE) {
                String keys = new String(f.payload(), StandardCharsets.US_ASCII);
                d.sendRaw(h.answer(MessageType.STREAM, MessageType.STATUS_CONTINUE), keys.toUpperCase().getBytes(StandardCharsets.US_ASCII));
            } else if (h.type() == MessageType.STREAM) {
                seen.add("stream status " + h.status() + " proc " + h.procedure() + " serial " + h.serial() + " bytes " + f.payload().length);
                d.send(h.answer(MessageType.STREAM, MessageType.STATUS_OK), null);
            } else if (h.type() == MessageType.CALL && h.procedure() == RemoteProcedure.CONNECT_GET_TYPE) {
                d.send(h.answer(MessageType.REPLY, MessageType.STATUS_OK), new XdrWriter().writeString("TEST"));
            }
        };
        try (FakeDaemon daemon = new FakeDaemon(echo)) {
            DriverConnection c = open(daemon);
            ConsoleStream console = c.openConsole(VM, null, 0);
            String open = seen.poll(5, TimeUnit.SECONDS);
            assertEquals("login: ", read(console.input(), 7));
            console.output().write("root\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("ROOT\n", read(console.input(), 5));
            console.close();
            String serial = open.substring("open serial ".length());
            assertEquals("stream status 1 proc 201 serial " + serial + " bytes 0", seen.poll(5, TimeUnit.SECONDS),
                    "closing aborts: STREAM ERROR with no payload on the call's proc and serial");
            assertEquals("TEST", c.getType(), "the connection outlives the stream");
        }
    }

    @Test
    void theDaemonsEndAndFailureReachTheReader() throws Exception {
        FakeDaemon.Script script = (f, d) -> {
            MessageHeader h = f.header();
            if (h.type() == MessageType.CALL && h.procedure() == RemoteProcedure.DOMAIN_OPEN_CONSOLE) {
                d.send(h.answer(MessageType.REPLY, MessageType.STATUS_OK), null);
                d.sendRaw(h.answer(MessageType.STREAM, MessageType.STATUS_CONTINUE), "bye".getBytes(StandardCharsets.US_ASCII));
                if (h.serial() % 2 == 0) {
                    d.sendRaw(h.answer(MessageType.STREAM, MessageType.STATUS_CONTINUE), new byte[0]); // end of data
                } else {
                    XdrWriter err = new XdrWriter();
                    RemoteError.of(1, 10, "internal error: character device console0 is not using a PTY").encode(err);
                    d.send(h.answer(MessageType.STREAM, MessageType.STATUS_ERROR), err);
                }
            } else if (h.type() == MessageType.CALL && h.procedure() == RemoteProcedure.CONNECT_GET_TYPE) {
                d.send(h.answer(MessageType.REPLY, MessageType.STATUS_OK), new XdrWriter().writeString("TEST"));
            }
        };
        try (FakeDaemon daemon = new FakeDaemon(script)) {
            DriverConnection c = open(daemon);
            java.util.List<String> endings = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ConsoleStream console = c.openConsole(VM, null, 0);
                assertEquals("bye", read(console.input(), 3));
                // the serial decides which ending the daemon sends
                int[] next = new int[1];
                try {
                    next[0] = console.input().read();
                    assertEquals(-1, next[0], "an empty CONTINUE ends the data");
                    endings.add("eof");
                } catch (IOException e) {
                    assertEquals("internal error: character device console0 is not using a PTY", e.getMessage());
                    IOException again = assertThrows(IOException.class, () -> console.input().read());
                    assertEquals(e.getMessage(), again.getMessage());
                    endings.add("error");
                }
                console.close();
            }
            endings.sort(null);
            assertEquals(java.util.List.of("eof", "error"), endings, "two consecutive serials: one of each ending");
            assertEquals("TEST", c.getType(), "the connection outlives both streams");
        }
    }
}
