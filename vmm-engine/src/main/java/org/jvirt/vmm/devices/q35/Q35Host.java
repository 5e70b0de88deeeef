package org.jvirt.vmm.devices.q35;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.bus.MovableRange;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.devices.pci.PciDevice;
import org.jvirt.vmm.devices.pci.PciHostBridge;

/**
 * The Q35 MCH's host bridge function at 00:00.0 (8086:29c0, subsystem 1af4:1100 as QEMU's), with
 * the registers QEMU 7.2's {@code q35,smm=off} shows at reset:
 * <ul>
 * <li>PCIEXBAR (0x60, 64 bits): the ECAM window, mapped on the MMIO bus while its enable bit is
 *     set, at the programmed base with the programmed length (bits 2:1: 256, 128 or 64 MiB, for
 *     256, 128 or 64 buses). Reset value 0xB0000000, disabled; SeaBIOS enables it there.</li>
 * <li>PAM0-6 (0x90-0x96): stored; RAM under 1 MiB stays RAM (see firmware.FirmwareLoader).</li>
 * <li>SMRAM (0x9d, reset 0x02, writable 0x38) and ESMRAMC (0x9e, reset 0x38, writable 0x87):
 *     stored, with SMRAM's D_LCK freezing both as QEMU does; there is no SMRAM to open (no SMM).</li>
 * <li>EXT_TSEG_MBYTES (0x50, 16 bits): 16 at reset; writable, and writing 0xffff (QEMU's query)
 *     reads 16 again. F_SMBASE (0x9c) reads 0 (QEMU's SMBASE negotiation, for OVMF, is not there).</li>
 * </ul>
 * Other bytes from 0x40 are plain storage, as QEMU leaves them writable.
 */
public final class Q35Host implements PciDevice {
    public static final int PCIEXBAR = 0x60, PAM0 = 0x90, PAM_COUNT = 7, EXT_TSEG_MBYTES = 0x50;
    public static final int F_SMBASE = 0x9c, SMRAM = 0x9d, ESMRAMC = 0x9e;
    public static final long PCIEXBAR_DEFAULT = 0xB000_0000L;
    static final int EXT_TSEG_SIZE_MB = 16, EXT_TSEG_QUERY = 0xFFFF;
    public static final int PCIEXBAR_ENABLE = 1;
    static final int SMRAM_DEFAULT = 0x02, SMRAM_WMASK = 0x38, SMRAM_D_LCK = 0x10, SMRAM_D_OPEN = 0x40, SMRAM_WMASK_LOCKED = 0x20;
    static final int ESMRAMC_DEFAULT = 0x38, ESMRAMC_WMASK = 0x87;
    /** ECAM window lengths by PCIEXBAR bits 2:1 (3 is reserved: no window). */
    static final long[] ECAM_LENGTHS = {256L << 20, 128L << 20, 64L << 20};

    private final PciConfigSpace config = new PciConfigSpace(0x8086, 0x29c0, 0x060000, 0x00);
    private final EcamWindow ecam = new EcamWindow();
    private final MovableRange[] ecamRanges = new MovableRange[ECAM_LENGTHS.length];

    public Q35Host(IoBus mmio) {
        config.setSubsystem(0x1af4, 0x1100);
        config.allowWrites(0x40, PciHostBridge.CONFIG_SIZE - 0x40);
        config.put16(EXT_TSEG_MBYTES, EXT_TSEG_SIZE_MB);
        config.put32(PCIEXBAR, (int) PCIEXBAR_DEFAULT);
        config.setWriteMask(F_SMBASE, 1, 0);
        unlockSmram();
        config.put16(SMRAM, SMRAM_DEFAULT | ESMRAMC_DEFAULT << 8);
        for (int i = 0; i < ecamRanges.length; i++) ecamRanges[i] = new MovableRange(mmio, ECAM_LENGTHS[i], ecam);
    }

    /** Gives the ECAM window the bus it reaches (done once, when the host bridge exists). */
    public void connect(PciHostBridge pci) {
        ecam.connect(pci);
    }

    @Override public PciConfigSpace config() { return config; }
    @Override public IoDevice bar(int index) { return null; }

    @Override
    public void configWritten(int offset, int size) {
        if (offset < PCIEXBAR + 8 && offset + size > PCIEXBAR) updateEcam();
        if (offset <= SMRAM && offset + size > SMRAM) updateSmramLock();
        if (offset < EXT_TSEG_MBYTES + 2 && offset + size > EXT_TSEG_MBYTES && config.get16(EXT_TSEG_MBYTES) == EXT_TSEG_QUERY)
            config.put16(EXT_TSEG_MBYTES, EXT_TSEG_SIZE_MB);
    }

    @Override
    public void configReplaced() {
        if ((config.read(SMRAM, 1) & SMRAM_D_LCK) == 0) unlockSmram(); // a reset unlocks; a loaded state may be locked
        updateSmramLock();
        updateEcam();
    }

    private void unlockSmram() {
        config.setWriteMask(SMRAM, 1, SMRAM_WMASK);
        config.setWriteMask(ESMRAMC, 1, ESMRAMC_WMASK);
    }

    /** Once D_LCK is set, only D_CLS stays writable and D_OPEN is cleared, until a reset. */
    private void updateSmramLock() {
        int smram = config.read(SMRAM, 1);
        if ((smram & SMRAM_D_LCK) == 0) return;
        config.put16(SMRAM, (smram & ~SMRAM_D_OPEN) | config.read(ESMRAMC, 1) << 8);
        config.setWriteMask(SMRAM, 1, SMRAM_WMASK_LOCKED);
        config.setWriteMask(ESMRAMC, 1, 0);
    }

    /** The ECAM base PCIEXBAR places, or -1 when the window is off. */
    public long ecamBase() {
        long bar = pciexbar();
        int length = (int) (bar >>> 1) & 3;
        if ((bar & PCIEXBAR_ENABLE) == 0 || length >= ECAM_LENGTHS.length) return -1;
        return bar & 0xF_FFFF_FFFFL & -ECAM_LENGTHS[length]; // address bits 35:26..28, by the length
    }

    /** The ECAM window's length as PCIEXBAR sets it (even while disabled), or 0 for the reserved encoding. */
    public long ecamLength() {
        int length = (int) (pciexbar() >>> 1) & 3;
        return length < ECAM_LENGTHS.length ? ECAM_LENGTHS[length] : 0;
    }

    private long pciexbar() {
        return (config.get32(PCIEXBAR) & 0xFFFF_FFFFL) | (long) config.get32(PCIEXBAR + 4) << 32;
    }

    private void updateEcam() {
        long base = ecamBase();
        long length = ecamLength();
        for (int i = 0; i < ecamRanges.length; i++) if (ECAM_LENGTHS[i] != length || base < 0) ecamRanges[i].moveTo(-1);
        for (int i = 0; i < ecamRanges.length; i++) if (ECAM_LENGTHS[i] == length && base >= 0) ecamRanges[i].moveTo(base);
    }

    /** Where the ECAM window is mapped now, or -1. */
    public long mappedEcamBase() {
        for (MovableRange r : ecamRanges) if (r.base() >= 0) return r.base();
        return -1;
    }
}
