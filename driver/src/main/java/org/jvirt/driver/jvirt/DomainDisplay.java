package org.jvirt.driver.jvirt;

import static org.jvirt.driver.jvirt.DomainStore.requireActive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.keycode.Keycodes;
import org.jvirt.driver.spi.CheckFlags;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.Screenshot;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.xml.domain.devices.Devices;

/**
 * The display calls of a running domain, as libvirt's qemu driver makes them:
 * qemuDomainScreenshot (the VMM's screendump into a private temporary file, opened, unlinked,
 * and streamed back as image/x-portable-pixmap) and qemuDomainSendKey (every codeset
 * translated to QEMU's key numbers, then send-key).
 */
final class DomainDisplay {

    /** The VMM's control socket: one command, its reply (a fake in tests). */
    interface Control {
        <R> R call(Path monitor, Command<R> command) throws IOException;
    }

    static final Control SOCKET = new Control() {
        @Override
        public <R> R call(Path monitor, Command<R> command) throws IOException {
            try (ControlClient c = ControlClient.connect(monitor, Duration.ofSeconds(30))) {
                return c.call(command);
            }
        }
    };

    static final String PPM = "image/x-portable-pixmap";

    private final DomainStore store;
    private final Path tempDir;
    private final Control control;

    DomainDisplay(DomainStore store, Path tempDir, Control control) {
        this.store = store;
        this.tempDir = tempDir;
        this.control = control;
    }

    Screenshot screenshot(DomainRef d, int screen, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "qemuDomainScreenshot");
        StoredDomain o;
        try (DomainLocks.Held h = store.locks().domain(d.name())) {
            o = requireActive(store.obj(d));
        }
        Devices devices = o.liveDef().model().getDevices();
        int heads = devices == null ? 0 : devices.getVideos().size(); // one head each: jvirt's VGA has one
        if (heads == 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU, "no screens to take screenshot from");
        }
        if (Integer.compareUnsigned(screen, heads) >= 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                    "no such screen ID: " + Integer.toUnsignedString(screen));
        }
        Path tmp = null;
        try {
            Files.createDirectories(tempDir);
            tmp = Files.createTempFile(tempDir, "qemu.screendump.", "");  // 0600, as g_mkstemp_full's
            monitor(o, new Command.Screendump(tmp.toString()), "screendump");
            return new Screenshot(PPM, Files.newInputStream(tmp));
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "cannot take a screenshot of domain '" + o.name() + "': " + e.getMessage());
        } finally {
            // the open stream keeps the data; the name goes at once, as libvirt unlinks it
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // left in the private run directory
                }
            }
        }
    }

    void sendKey(DomainRef d, int codeset, int holdtime, int[] keycodes, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "qemuDomainSendKey");
        int[] qnums = toQnum(codeset, keycodes);
        try (DomainLocks.Held h = store.locks().domain(d.name())) {
            StoredDomain o = requireActive(store.obj(d));
            List<Command.SendKey.KeyValue> keys = new ArrayList<>();
            for (int q : qnums) keys.add(Command.SendKey.KeyValue.number(q));
            // libvirt passes hold-time only when one is given; QEMU 7.2's default is 10 ms
            monitor(o, new Command.SendKey(keys, holdtime == 0 ? null : holdtime), "send-key");
        }
    }

    /** qemuDomainSendKey's translation: keycodes of any codeset to QEMU's numbers (qnum as it is). */
    static int[] toQnum(int codeset, int[] keycodes) throws LibvirtException {
        if (codeset == Keycodes.QNUM) return keycodes.clone();
        int[] out = new int[keycodes.length];
        for (int i = 0; i < keycodes.length; i++) {
            int q = Keycodes.codesetName(codeset) == null ? -1 : Keycodes.translate(codeset, Keycodes.QNUM, Integer.toUnsignedLong(keycodes[i]));
            if (q < 0) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_QEMU,
                        "cannot translate keycode " + Integer.toUnsignedString(keycodes[i]) + " of "
                                + Keycodes.codesetName(codeset) + " codeset to qnum keycode");
            }
            out[i] = q;
        }
        return out;
    }

    private <R> R monitor(StoredDomain o, Command<R> command, String name) throws LibvirtException {
        try {
            return control.call(Path.of(o.status().monitor()), command);
        } catch (ControlClient.CommandFailed e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_QEMU,
                    "unable to execute QEMU command '" + name + "': " + e.getMessage());
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "cannot run '" + name + "' on domain '" + o.name() + "': " + e.getMessage());
        }
    }
}
