package org.jvirt.vmm.devices.pcie;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.Snapshottable;
import org.jvirt.vmm.devices.pci.MsixCapability;
import org.jvirt.vmm.devices.pci.PciBridge;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.irq.MsiSink;

/**
 * QEMU's pcie-root-port (hw/pci-bridge/gen_pcie_root_port.c): a PCI-to-PCI bridge function
 * 1b36:000c, class 0604, with a type-1 header and the capabilities QEMU 7.2 gives it, at QEMU's
 * offsets and in its list order: PCI Express (0x54, version 2, root port, slot implemented;
 * the link capability carries the port number, the slot capability hot-plug bits), MSI-X (0x48,
 * one vector, table and PBA in a 4 KiB BAR 0) and the bridge subsystem ID (0x40, 1b36:0000).
 * Extended configuration space (AER at 0x100) is not provided: past 0xFF reads as all ones,
 * which a guest takes for no extended capabilities. The link and slot status show whether a
 * device is plugged behind it, as QEMU's do; writes to the slot control set Command Completed
 * and the Electromechanical Interlock Control toggles its status bit, as in QEMU, but no power
 * or hot-plug event has any effect (devices are cold-plugged). The chassis number is kept for
 * the caller only (QEMU shows it in no register of this port).
 *
 * <p>The bus numbers and windows are plain registers; the host bridge reads the secondary bus
 * number to forward configuration cycles ({@link PciBridge}). Windows are stored and read back,
 * not enforced: BARs are decoded globally.
 */
public final class PcieRootPort implements PciBridge, Snapshottable {
    public static final int VENDOR = 0x1b36, DEVICE = 0x000c;
    /** Where QEMU puts the capabilities. */
    public static final int SSVID_CAP = 0x40, MSIX_CAP = 0x48, EXP_CAP = 0x54;
    static final int LINK_CAP = EXP_CAP + 0x0C, LINK_STATUS = EXP_CAP + 0x12, SLOT_CONTROL = EXP_CAP + 0x18, SLOT_STATUS = EXP_CAP + 0x1A;
    static final int SLTCTL_EIC = 0x0800, SLTSTA_EIS = 0x0080, SLTSTA_CC = 0x0010;
    static final int MSIX_BAR_SIZE = 0x1000, PBA_OFFSET = 0x800;

    private final PciConfigSpace cfg = new PciConfigSpace(VENDOR, DEVICE, 0x060400, 0);
    private final MsixCapability msix;
    private final int chassis, port;
    private final IoDevice bar0 = new IoDevice() {
        @Override public long read(long offset, int size) {
            return offset < PBA_OFFSET ? msix.readTable(offset, size) : msix.readPba(offset - PBA_OFFSET, size);
        }

        @Override public void write(long offset, int size, long value) {
            if (offset < PBA_OFFSET) msix.writeTable(offset, size, value);
        }
    };

    /** chassis and port as libvirt's {@code <target chassis= port=/>} (port: the link capability's port number, 0-255). */
    public PcieRootPort(int chassis, int port, MsiSink msi) {
        if (chassis < 0 || chassis > 255) throw new IllegalArgumentException("chassis " + chassis + " (0..255)");
        if (port < 0 || port > 255) throw new IllegalArgumentException("port " + port + " (0..255)");
        this.chassis = chassis;
        this.port = port;
        cfg.put16(PciConfigSpace.HEADER_TYPE, 0x01);
        cfg.setHeaderWriteMask(0x0D, 1, 0);                  // no latency timer on PCIe
        cfg.defineBar(0, PciConfigSpace.BarType.MEMORY32, MSIX_BAR_SIZE);
        cfg.setHeaderWriteMask(PRIMARY_BUS, 4, 0xFFFF_FFFF);  // primary, secondary, subordinate, secondary latency
        cfg.put16(IO_BASE, 0x00F0);                          // QEMU's reset values: every window closed (base > limit)
        cfg.setHeaderWriteMask(IO_BASE, 2, 0xF0F0);          // 16-bit I/O decoding
        cfg.setW1cMask(SECONDARY_STATUS, 2, 0xF900);
        cfg.put32(MEMORY_BASE, 0x0000_FFF0);
        cfg.setHeaderWriteMask(MEMORY_BASE, 4, 0xFFF0_FFF0);
        cfg.put32(PREF_MEMORY_BASE, 0x0001_FFF1);            // 64-bit prefetchable window
        cfg.setHeaderWriteMask(PREF_MEMORY_BASE, 4, 0xFFF0_FFF0);
        cfg.setHeaderWriteMask(PREF_BASE_UPPER, 4, 0xFFFF_FFFF);
        cfg.setHeaderWriteMask(PREF_LIMIT_UPPER, 4, 0xFFFF_FFFF);
        cfg.declareInterruptPin(1);
        cfg.setHeaderWriteMask(BRIDGE_CONTROL, 2, 0x005F);
        cfg.allowWrites(EXP_CAP + 60, 0x100 - (EXP_CAP + 60)); // QEMU leaves config space past its capabilities writable

        byte[] ssvid = {0, 0, (byte) VENDOR, (byte) (VENDOR >> 8), 0, 0};
        cfg.insertCapability(SSVID_CAP, 0x0d, ssvid, new byte[ssvid.length]);
        msix = new MsixCapability(cfg, msi, 1, 0, 0, PBA_OFFSET, MSIX_CAP);
        cfg.insertCapability(EXP_CAP, 0x10, expressBody(), expressWriteMask());
        cfg.setW1cMask(EXP_CAP + 0x0A, 2, 0x000F);               // device status: error bits
        cfg.setW1cMask(SLOT_STATUS, 2, 0x011F);                  // slot status: ABP, PFD, MRLSC, PDC, CC, DLLSC
        cfg.setW1cMask(EXP_CAP + 0x20, 4, 0x0001_0000);          // root status: PME status
        cfg.capturePowerOnState();
    }

    /** The PCI Express capability after its id and next bytes (QEMU 7.2's values, x32 at 16 GT/s, an empty slot). */
    private byte[] expressBody() {
        byte[] b = new byte[58];
        put(b, 0x02, 2, 0x0142);                    // version 2, root port, slot implemented
        put(b, 0x04, 4, 0x0000_8000);               // device capabilities: role-based error reporting
        put(b, 0x0C, 4, port << 24 | 0x0030_0604);  // link capabilities: port number, DLLLA and bandwidth notification reporting, x32, 16 GT/s
        put(b, 0x12, 2, 0x0204);                    // link status: x32, 16 GT/s
        put(b, 0x14, 4, 0x0002_007b);               // slot capabilities: attention button, power controller, indicators, surprise, hot-plug capable
        put(b, 0x18, 2, 0x07c0);                    // slot control: indicators off, power off (empty)
        put(b, 0x24, 4, 0x0030_0020);               // device capabilities 2: ARI forwarding
        put(b, 0x2C, 4, 0x0000_001e);               // link capabilities 2: 2.5-16 GT/s
        put(b, 0x30, 2, 0x0004);                    // link control 2: target 16 GT/s
        return b;
    }

    private static byte[] expressWriteMask() {
        byte[] m = new byte[58];
        put(m, 0x08, 2, 0x000F);                    // device control: error reporting enables
        put(m, 0x18, 2, 0x07F9 | SLTCTL_EIC);       // slot control (EIC only toggles, see configWritten)
        put(m, 0x1C, 2, 0x0007);                    // root control: system error enables
        put(m, 0x28, 2, 0x8020);                    // device control 2: ARI forwarding, end-end TLP prefix blocking
        return m;
    }

    private static void put(byte[] b, int capOffset, int len, int v) {
        for (int i = 0; i < len; i++) b[capOffset - 2 + i] = (byte) (v >>> (8 * i));
    }

    public int chassis() { return chassis; }

    public int port() { return port; }

    @Override public PciConfigSpace config() { return cfg; }

    @Override public IoDevice bar(int index) { return index == 0 ? bar0 : null; }

    @Override public int secondarySlots() { return 1; }

    /** A device behind the port: the link trained at x1, 2.5 GT/s, the slot powered with its power indicator on, as QEMU shows a populated port. */
    @Override
    public void secondaryPopulated() {
        cfg.put16(LINK_STATUS, 0x0011);
        cfg.put16(SLOT_CONTROL, 0x01c0);
    }

    @Override
    public void configWritten(int offset, int size) {
        msix.configWritten(offset, size);
        if (offset < SLOT_CONTROL + 2 && offset + size > SLOT_CONTROL) {
            int ctl = cfg.get16(SLOT_CONTROL), sta = cfg.get16(SLOT_STATUS);
            if ((ctl & SLTCTL_EIC) != 0) {
                sta ^= SLTSTA_EIS; // the interlock toggles; the control bit reads 0
                cfg.put16(SLOT_CONTROL, ctl & ~SLTCTL_EIC);
            }
            cfg.put16(SLOT_STATUS, sta | SLTSTA_CC); // every slot command completes at once
        }
    }

    @Override
    public void reset() {
        msix.reset();
    }

    @Override
    public void saveState(DataOutput out) throws IOException {
        cfg.saveState(out);
        msix.saveState(out);
    }

    @Override
    public void loadState(DataInput in) throws IOException {
        cfg.loadState(in);
        msix.loadState(in);
    }
}
