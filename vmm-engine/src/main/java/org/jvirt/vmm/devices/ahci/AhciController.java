package org.jvirt.vmm.devices.ahci;

import static org.jvirt.vmm.devices.ahci.Ahci.*;

import java.util.Objects;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.Resettable;
import org.jvirt.vmm.devices.ide.AtaLink;
import org.jvirt.vmm.devices.ide.IdeDevice;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.devices.pci.PciConfigSpace.BarType;
import org.jvirt.vmm.devices.pci.PciDevice;
import org.jvirt.vmm.irq.MsiSink;
import org.jvirt.vmm.memory.GuestMemory;

/**
 * QEMU's ich9-ahci: an AHCI 1.0 HBA as PCI function 8086:2922 rev 2, class 01:06:01, the HBA
 * registers (ABAR) in memory BAR5 (4 KiB), the index/data pair in I/O BAR4, INTA and an MSI
 * capability (one vector, 64-bit). Six ports, each with a hard disk, a CD-ROM or nothing.
 *
 * <p>CAP says what QEMU's does: 6 ports, 32 command slots, Gen1, AHCI only, 64-bit addressing
 * and NCQ (the devices do not offer NCQ in IDENTIFY, so a driver does not use it). The interrupt
 * is the OR of the ports' enabled PxIS bits, gated by GHC.IE; with MSI enabled every raise sends
 * the message, else INTA follows the level.
 *
 * <p>Guest register accesses come on vCPU threads; the commands they issue run on the I/O
 * thread attached with {@link #attachIoThread} (or, without one, when {@link #runIssued} is
 * called). All register state is guarded by this object.
 */
public final class AhciController implements PciDevice, Resettable {

    public static final int VENDOR_ID = 0x8086, DEVICE_ID = 0x2922, CLASS_CODE = 0x01_06_01, REVISION = 0x02;
    public static final int PORTS = 6;
    public static final int ABAR = 5, ABAR_SIZE = 0x1000, IDP_BAR = 4, IDP_SIZE = 0x20;
    /** The index/data pair in BAR4: index at 0x10, data at 0x14 (ICH9). */
    static final int IDP_INDEX = 0x10, IDP_DATA = 0x14;
    static final int CAP_VALUE = (PORTS - 1) | (SLOTS - 1) << 8 | 1 << 20 /* Gen1 */ | 1 << 18 /* AHCI only */
            | 1 << 30 /* NCQ */ | 1 << 31 /* 64-bit */;
    static final int MSI_CAP_ID = 0x05, MSI_ENABLE = 0x0001, MSI_64BIT = 0x0080;

    private final PciConfigSpace config = new PciConfigSpace(VENDOR_ID, DEVICE_ID, CLASS_CODE, REVISION);
    private final int msiCap;
    private final MsiSink msi;
    private final AhciPort[] ports = new AhciPort[PORTS];
    private int ghc, is;
    private int idpIndex;
    private Runnable doorbell;

    private final IoDevice abar = new IoDevice() {
        @Override public long read(long offset, int size) { return readMemory((int) offset, size); }
        @Override public void write(long offset, int size, long value) { writeMemory((int) offset, (int) value); }
    };

    private final IoDevice idp = new IoDevice() {
        @Override public long read(long offset, int size) { return readIdp((int) offset, size); }
        @Override public void write(long offset, int size, long value) { writeIdp((int) offset, (int) value); }
    };

    /**
     * @param memory guest RAM, the only memory the ports read and write (every access checked)
     * @param msi    where MSI messages go
     * @param drives the device of each port 0..5 (a {@link org.jvirt.vmm.devices.ide.AtaDisk} or
     *               {@link org.jvirt.vmm.devices.ide.AtapiCdrom}), null for an empty port; shorter
     *               arrays leave the remaining ports empty
     */
    public AhciController(GuestMemory memory, MsiSink msi, IdeDevice[] drives) {
        Objects.requireNonNull(memory, "memory");
        this.msi = Objects.requireNonNull(msi, "msi");
        if (drives.length > PORTS) throw new IllegalArgumentException("AHCI has " + PORTS + " ports");
        for (int i = 0; i < PORTS; i++) {
            IdeDevice d = i < drives.length ? drives[i] : null;
            ports[i] = new AhciPort(this, memory, d == null ? null : new AtaLink(d));
        }
        config.defineBar(IDP_BAR, BarType.IO, IDP_SIZE);
        config.defineBar(ABAR, BarType.MEMORY32, ABAR_SIZE);
        config.declareInterruptPin(1);
        byte[] body = new byte[12]; // control, address low, address high, data, reserved
        body[0] = (byte) MSI_64BIT;
        byte[] mask = {0x01, 0, (byte) 0xFC, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0};
        msiCap = config.addCapability(MSI_CAP_ID, body, java.util.Arrays.copyOf(mask, body.length));
        powerOn();
    }

    @Override public PciConfigSpace config() { return config; }

    @Override
    public IoDevice bar(int index) {
        return index == ABAR ? abar : index == IDP_BAR ? idp : null;
    }

    /** The device link of port 0..5, or null when it is empty. */
    public AtaLink port(int index) { return ports[index].link(); }

    /** The I/O thread's doorbell: rung (on a vCPU thread) when commands were issued. */
    synchronized void attachIoThread(Runnable bell) { doorbell = bell; }

    synchronized void detachIoThread() { doorbell = null; }

    /** Runs every port's issued commands (the I/O thread's work; tests without a thread call it directly). */
    public void runIssued() {
        for (AhciPort p : ports) p.runIssued();
    }

    /** Machine reset: the devices' power-on state, then an HBA reset with the memory areas' addresses cleared. */
    @Override
    public void reset() {
        for (AhciPort p : ports) { // the device's lock alone (a command in progress finishes first)
            if (p.present()) {
                synchronized (p.link().lock()) {
                    p.link().powerOnReset();
                }
            }
        }
        synchronized (this) {
            powerOn();
        }
    }

    private void powerOn() {
        idpIndex = 0;
        hbaReset(true);
    }

    private void hbaReset(boolean powerOn) {
        is = 0;
        ghc = GHC_AE;
        for (AhciPort p : ports) p.hbaReset(powerOn);
        updateInterrupt();
    }

    /** The HBA's IS: one bit per port with an enabled cause pending. Under this. */
    int interruptStatus() { return is; }

    /** Recomputes IS and drives the interrupt (QEMU's ahci_check_irq). Under this. */
    void updateInterrupt() {
        is = 0;
        for (int i = 0; i < PORTS; i++) if (ports[i].interruptRequested()) is |= 1 << i;
        boolean level = is != 0 && (ghc & GHC_IE) != 0;
        int control = config.get16(msiCap + 2);
        if ((control & MSI_ENABLE) != 0) {
            config.setIntx(false);
            if (level) {
                long address = config.get32(msiCap + 4) & 0xFFFF_FFFFL | (long) config.get32(msiCap + 8) << 32;
                msi.signalMsi(address, config.get16(msiCap + 12));
            }
        } else {
            config.setIntx(level);
        }
    }

    // ---- ABAR.

    private synchronized long readMemory(int offset, int size) {
        int aligned = offset & ~3, shift = (offset & 3) * 8;
        long v = readRegister(aligned) & 0xFFFF_FFFFL;
        if ((offset & 3) + size > 4) v |= (readRegister(aligned + 4) & 0xFFFF_FFFFL) << 32;
        v >>>= shift;
        return size >= 8 ? v : v & ((1L << (size * 8)) - 1);
    }

    private int readRegister(int offset) {
        if (offset < HOST_REGS_END) {
            return switch (offset) {
                case CAP -> CAP_VALUE;
                case GHC -> ghc;
                case IS -> is;
                case PI -> (1 << PORTS) - 1;
                case VS -> VERSION_1_0;
                default -> 0; // CCC, enclosure management, CAP2, BOHC: not implemented, as QEMU's
            };
        }
        int port = (offset - PORTS_BASE) / PORT_STRIDE;
        if (offset < PORTS_BASE || port >= PORTS) return 0;
        return ports[port].read(offset & (PORT_STRIDE - 1));
    }

    /** Only aligned writes reach a register (QEMU drops the others); a narrow one writes its bytes as the dword. */
    private void writeMemory(int offset, int value) {
        if ((offset & 3) != 0) return;
        boolean work;
        synchronized (this) {
            work = writeRegister(offset, value);
        }
        Runnable bell;
        synchronized (this) {
            bell = doorbell;
        }
        if (work && bell != null) bell.run();
    }

    private boolean writeRegister(int offset, int v) {
        if (offset < HOST_REGS_END) {
            switch (offset) {
                case GHC -> {
                    if ((v & GHC_HR) != 0) {
                        hbaReset(false);
                    } else {
                        ghc = (v & (GHC_HR | GHC_IE)) | GHC_AE;
                        updateInterrupt();
                    }
                }
                case IS -> updateInterrupt(); // write-1-to-clear of bits that are recomputed from the ports
                default -> { } // CAP, PI, VS are read-only
            }
            return false;
        }
        int port = (offset - PORTS_BASE) / PORT_STRIDE;
        if (offset < PORTS_BASE || port >= PORTS) return false;
        return ports[port].write(offset & (PORT_STRIDE - 1), v);
    }

    // ---- The index/data pair (BAR4): the ABAR through an index register.

    private long readIdp(int offset, int size) {
        if (offset == IDP_INDEX) return idpIndex;
        if (offset == IDP_DATA) return readMemory(idpIndex, size);
        return 0;
    }

    private void writeIdp(int offset, int value) {
        if (offset == IDP_INDEX) idpIndex = value & (ABAR_SIZE - 1) & ~3;
        else if (offset == IDP_DATA) writeMemory(idpIndex, value);
    }

    /** Whether the guest runs any port (a started command list or FIS engine): state it holds that no state file carries yet. */
    public synchronized boolean inUse() {
        for (AhciPort p : ports) if (p.started()) return true;
        return false;
    }
}
