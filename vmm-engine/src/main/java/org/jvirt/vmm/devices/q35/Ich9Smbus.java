package org.jvirt.vmm.devices.q35;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.Snapshottable;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.devices.pci.PciDevice;
import org.jvirt.vmm.devices.pci.PciHostBridge;

/**
 * The ICH9 SMBus controller at 00:1f.3 (8086:2930 rev 2, class 0c05, INTA), which QEMU's q35
 * always has and SeaBIOS enables (SMB_BASE, HOSTC.HST_EN). Its 64-port I/O BAR (SMB_BASE, BAR 4)
 * is sized and placed, but nothing answers there yet (no SMBus devices: reads are all ones, which
 * Linux's i2c-i801 takes for a busy controller and leaves alone). HOSTC (0x40) bit 3 is read-only
 * as in QEMU; like QEMU's, its header type has the multi-function bit.
 */
public final class Ich9Smbus implements PciDevice, Snapshottable {
    public static final int SMB_BASE_BAR = 4, SMB_BASE_SIZE = 64, HOSTC = 0x40;

    private final PciConfigSpace config = new PciConfigSpace(0x8086, 0x2930, 0x0c0500, 0x02);

    public Ich9Smbus() {
        config.setSubsystem(0x1af4, 0x1100);
        config.allowWrites(0x40, PciHostBridge.CONFIG_SIZE - 0x40);
        config.setWriteMask(HOSTC, 1, 0xF7);
        config.defineBar(SMB_BASE_BAR, PciConfigSpace.BarType.IO, SMB_BASE_SIZE);
        config.declareInterruptPin(1);
        config.put16(PciConfigSpace.HEADER_TYPE, 0x80); // QEMU marks every function of its multi-function slot 31
    }

    @Override public PciConfigSpace config() { return config; }
    @Override public IoDevice bar(int index) { return null; }

    @Override
    public void saveState(DataOutput out) throws IOException {
        config.saveState(out);
    }

    @Override
    public void loadState(DataInput in) throws IOException {
        config.loadState(in);
    }
}
