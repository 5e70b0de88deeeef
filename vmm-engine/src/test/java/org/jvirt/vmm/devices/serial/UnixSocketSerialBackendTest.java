package org.jvirt.vmm.devices.serial;

import static org.junit.jupiter.api.Assertions.*;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jvirt.vmm.testutil.RecordingInterruptLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketSerialBackendTest {

    @TempDir Path dir;

    @Test
    void clientSeesBacklogAndTypesIntoGuest() throws Exception {
        Path sock = dir.resolve("console.sock");
        try (UnixSocketSerialBackend backend = new UnixSocketSerialBackend(sock)) {
            Uart16550 uart = new Uart16550(new RecordingInterruptLine(), backend);
            for (char c : "boot\n".toCharArray()) uart.write(0, 1, c); // before any client
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(sock));
                assertEquals("boot\n", readAtLeast(ch, 5));
                for (char c : "more".toCharArray()) uart.write(0, 1, c);
                assertEquals("more", readAtLeast(ch, 4));
                ch.write(ByteBuffer.wrap("ls\n".getBytes(StandardCharsets.US_ASCII)));
                long deadline = System.currentTimeMillis() + 5000;
                while (uart.pendingInput() < 3 && System.currentTimeMillis() < deadline) Thread.sleep(5);
                assertEquals('l', uart.read(0, 1));
                assertEquals('s', uart.read(0, 1));
                assertEquals('\n', uart.read(0, 1));
            }
        }
        assertFalse(Files.exists(sock), "socket file removed on close");
    }

    private static String readAtLeast(SocketChannel ch, int n) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(256);
        while (buf.position() < n) {
            if (ch.read(buf) < 0) break;
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
    }
}
