package org.jvirt.vmm.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.vmm.control.ControlServer;
import org.jvirt.vmm.control.ControlTarget;
import org.jvirt.vmm.devices.serial.UnixSocketSerialBackend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The VMM's control and console sockets: owner-only files, and SO_PEERCRED refusing every uid
 * but the VMM's own and root even when the file mode would let the client in.
 */
class SocketAccessTest {

    /** A VM that records what it was asked. */
    static final class RecordingVm implements ControlTarget {
        final List<String> calls = new CopyOnWriteArrayList<>();
        public org.jvirt.vmm.protocol.RunState status() { calls.add("status"); return org.jvirt.vmm.protocol.RunState.RUNNING; }
        public void pause() { calls.add("pause"); }
        public void resume() { calls.add("resume"); }
        public void powerdown() { calls.add("powerdown"); }
        public void reset() { calls.add("reset"); }
        public void quit() { calls.add("quit"); }
    }

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theControlSocketIsOwnerOnlyAndNoPrivateDirectoryIsLeft(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("vm.monitor");
        Files.writeString(sock, "stale"); // replaced, as a stale socket from an earlier run is
        try (ControlServer server = ControlServer.start(sock, new RecordingVm())) {
            assertEquals("rw-------", mode(sock));
            assertEquals(List.of(sock), Files.list(dir).toList());
        }
    }

    @Test
    void anotherUidIsRefusedOnTheControlSocketEvenWhenTheModeAllowsIt(@TempDir Path dir) throws Exception {
        OtherUser.assumeCanSwitchUser();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x")); // nobody may reach the socket
        Path sock = dir.resolve("vm.monitor");
        RecordingVm vm = new RecordingVm();
        List<String> log = new CopyOnWriteArrayList<>();
        try (ControlServer server = ControlServer.start(sock, vm, log::add)) {
            Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-")); // the mode lets anyone connect
            assertEquals("EOF", OtherUser.connect(sock, OtherUser.NOBODY), "nobody is closed on without a greeting");
            assertEquals(List.of("control socket " + sock + ": refused a connection from user nobody: only uid 0 may connect"), log);
            assertTrue(OtherUser.connect(sock, null).startsWith("{\"QMP\""), "root (the VMM's own uid here) is greeted");
            assertEquals(1, log.size());
            assertEquals(List.of(), vm.calls);
        }
    }

    @Test
    void theConsoleSocketIsOwnerOnlyAndRefusesAnotherUid(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("console.sock");
        try (UnixSocketSerialBackend console = new UnixSocketSerialBackend(sock)) {
            assertEquals("rw-------", mode(sock));
            assertEquals(List.of(sock), Files.list(dir).toList());
            OtherUser.assumeCanSwitchUser();
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
            for (char c : "login: ".toCharArray()) console.write(c);
            assertEquals("EOF", OtherUser.connect(sock, OtherUser.NOBODY), "nobody sees no console output");
            assertEquals("login:", OtherUser.connect(sock, null));
        }
    }
}
