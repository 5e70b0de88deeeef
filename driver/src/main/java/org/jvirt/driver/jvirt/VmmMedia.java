package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.xml.domain.devices.Disk;

/**
 * A running domain's cdrom medium changed in its VMM (qemuDomainChangeEjectableMedia): the
 * drive, named as libvirt names IDE and SATA drives ("ide0-BUS-UNIT", "sata0-0-UNIT"), ejected or given the new image;
 * a refusal of the VMM reported as libvirt reports a failed QEMU command.
 */
final class VmmMedia {

    private VmmMedia() { }

    static void change(StoredDomain o, DomainDefinition live, Disk drive, String newSource, boolean force) throws LibvirtException {
        boolean sata = "sata".equals(DeviceChecks.busOf(drive));
        int position = sata ? IdePosition.sataPort(drive) : IdePosition.of(drive);
        if (position < 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                    "disk source can be changed only in removable drives");
        }
        if (newSource != null && !java.nio.file.Files.exists(Path.of(newSource))) { // libvirt checks the file before QEMU sees it
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_STORAGE,
                    "Cannot access storage file '" + newSource + "': No such file or directory");
        }
        String device = sata ? "sata0-0-" + position : "ide0-" + position / 2 + "-" + position % 2;
        String format = drive.getDriver() != null && "qcow2".equals(drive.getDriver().getType()) ? "qcow2" : "raw";
        Command<?> command = newSource == null ? new Command.Eject(device, force)
                : new Command.BlockdevChangeMedium(device, Path.of(newSource).toAbsolutePath().toString(), format, force);
        try (ControlClient c = ControlClient.connect(Path.of(o.status().monitor()), Duration.ofSeconds(30))) {
            c.call(command);
        } catch (ControlClient.CommandFailed e) {
            // libvirt changes media with blockdev-open-tray, -remove-medium, -insert-medium: a tray the guest keeps shut fails the removal
            String failed = e.getMessage().startsWith("Tray of device") ? "blockdev-remove-medium" : command.execute();
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_QEMU,
                    "unable to execute QEMU command '" + failed + "': " + e.getMessage());
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "cannot change the medium of domain '" + o.name() + "': " + e.getMessage());
        }
    }
}
