package org.jvirt.vmm.access;

import java.nio.file.Path;
import org.jvirt.vmm.control.ControlServer;
import org.jvirt.vmm.devices.serial.UnixSocketSerialBackend;

/** Run under another umask by the tests: serves a control socket and a console socket until stdin closes. */
public final class UmaskProbe {
    public static void main(String[] args) throws Exception {
        try (ControlServer server = ControlServer.start(Path.of(args[0]), new SocketAccessTest.RecordingVm());
             UnixSocketSerialBackend console = new UnixSocketSerialBackend(Path.of(args[1]))) {
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) { /* until the test closes our stdin */ }
        }
    }
}
