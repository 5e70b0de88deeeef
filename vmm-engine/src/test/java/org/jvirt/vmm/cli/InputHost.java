package org.jvirt.vmm.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.jvirt.vmm.cli.VirtioInputQemuDifferentialTest.Rfb;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.testing.QemuQmp;

/**
 * The host's side of the input differential tests, the same under both VMMs: RFB pointer events
 * to the VMM's VNC server, send-key (jvirt's control socket, QEMU's QMP) with a hold time of
 * 1 ms, and the guest's serial output so far.
 */
interface InputHost {
    void pointer(int x, int y, int mask) throws IOException;

    void keys(int... qnums) throws Exception;

    String out();

    /** jvirt-vmm: send-key on its control socket c, its serial output from vmm. */
    static InputHost jvirt(ControlClient c, Rfb rfb, VmmProcessFixture vmm) {
        return new InputHost() {
            @Override public void pointer(int x, int y, int mask) throws IOException { rfb.pointer(x, y, mask); }

            @Override public void keys(int... qnums) throws Exception {
                List<Command.SendKey.KeyValue> keys = new ArrayList<>();
                for (int q : qnums) keys.add(Command.SendKey.KeyValue.number(q));
                c.call(new Command.SendKey(keys, 1));
            }

            @Override public String out() {
                try {
                    return vmm.serial();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }

    /** QEMU: send-key over QMP, its serial output without carriage returns. */
    static InputHost qemu(QemuQmp q, Rfb rfb) {
        return new InputHost() {
            @Override public void pointer(int x, int y, int mask) throws IOException { rfb.pointer(x, y, mask); }

            @Override public void keys(int... qnums) throws Exception {
                StringBuilder keys = new StringBuilder();
                for (int x : qnums) keys.append(keys.length() == 0 ? "" : ",").append("{\"type\":\"number\",\"data\":").append(x).append('}');
                String r = q.command("send-key", "{\"keys\":[" + keys + "],\"hold-time\":1}");
                assertTrue(r.contains("\"return\""), r);
            }

            @Override public String out() { return q.output().replace("\r", ""); }
        };
    }

    /** A free TCP port on the loopback address, for a VNC listener. */
    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
