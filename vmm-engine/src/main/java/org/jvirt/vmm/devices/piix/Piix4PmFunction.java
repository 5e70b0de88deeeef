package org.jvirt.vmm.devices.piix;

import org.jvirt.vmm.acpi.AcpiConfig;
import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.bus.MovableRange;
import org.jvirt.vmm.devices.pci.ConfigSpaceState;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.devices.pci.PciHostBridge;

/**
 * QEMU's PIIX4 power-management function at 00:01.3 (8086:7113, class 06:80, revision 3). The
 * guest places the ACPI PM block (PM1 event/control, PM timer) with PMBA (0x40: base in bits
 * 15:6, bit 0 reads 1) and turns its decoding on with PMREGMISC bit 0 (0x80, PMIOSE), as OVMF's
 * PlatformPei and AcpiTimerLib do (PMBA 0xB000); the block is unmapped at power-on and after a
 * reset until then, as in QEMU's piix4_pm (pm_io_space_update).
 */
public final class Piix4PmFunction implements ConfigSpaceState {
    public static final int VENDOR_ID = 0x8086, DEVICE_ID = 0x7113, CLASS_CODE = 0x06_80_00, REVISION = 0x03;
    public static final int PMBA = 0x40, PMREGMISC = 0x80, PMIOSE = 0x01, PMBA_RTE = 0x01, PMBA_MASK = 0xffc0, DEVACTB = 0x58;

    /**
     * Where OVMF programs PMBA on QEMU's pc (OvmfPlatforms.h, PIIX4_PMBA_VALUE); QEMU's FADT
     * follows the register, jvirt's tables are built once, so they say this base.
     */
    public static final int OVMF_PMBA = 0xB000;

    private final PciConfigSpace config = new PciConfigSpace(VENDOR_ID, DEVICE_ID, CLASS_CODE, REVISION);
    private final MovableRange pmBlock;

    /** pmBlock: the ACPI PM block's range on the port bus; this function decides where it is mapped. */
    public Piix4PmFunction(MovableRange pmBlock) {
        this.pmBlock = pmBlock;
        config.setSubsystem(0x1af4, 0x1100);
        config.allowWrites(0x40, PciHostBridge.CONFIG_SIZE - 0x40);
        config.put32(PMBA, PMBA_RTE);
        // DEVACTB's APMC_EN set, as QEMU's pm_reset does without SMM ("SMM already initialised"):
        // SeaBIOS then skips its SMM relocation, whose SMI nothing here would answer
        config.put32(DEVACTB, 0x02 << 24);
        pmBlock.moveTo(-1);
    }

    @Override public PciConfigSpace config() { return config; }

    @Override public IoDevice bar(int index) { return null; }

    @Override
    public void configWritten(int offset, int size) {
        if (offset < PMBA + 4 && offset + size > PMBA) config.put32(PMBA, config.get32(PMBA) | PMBA_RTE);
        apply();
    }

    /** Config space restored (a reset, a state restore): the PM block where the restored PMBA says. */
    @Override
    public void configReplaced() {
        apply();
    }

        /** Power-on: PMIOSE clear, the block unmapped (the bridge restores config space after this). */
    @Override
    public void reset() {
        pmBlock.moveTo(-1);
    }

    /** Maps the PM block where PMBA says when PMIOSE is set (also after a state restore), else nowhere. */
    public void apply() {
        int base = config.get32(PMBA) & PMBA_MASK;
        boolean enabled = (config.read(PMREGMISC, 1) & PMIOSE) != 0;
        pmBlock.moveTo(enabled && base != 0 ? base : -1);
    }

    /** The ACPI layout of a UEFI boot: base's, with the PM block at {@link #OVMF_PMBA}. */
    public static AcpiConfig acpiConfig(AcpiConfig base) {
        return new AcpiConfig(base.vcpuCount(), OVMF_PMBA, base.sciIrq(), base.pciMmio32Base(), base.pciMmio32Size(),
                base.pciMmio64Base(), base.pciMmio64Size());
    }

    /** Where the PM block is mapped, or -1. */
    public long pmBase() { return pmBlock.base(); }
}
