package org.jvirt.vmm.devices.q35;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.bus.MovableRange;
import org.jvirt.vmm.devices.Snapshottable;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.devices.pci.PciDevice;
import org.jvirt.vmm.devices.pci.PciHostBridge;

/**
 * The ICH9 LPC bridge at 00:1f.0 (8086:2918 rev 2, class 0601, subsystem 1af4:1100 as QEMU's),
 * with QEMU 7.2's reset values:
 * <ul>
 * <li>PMBASE (0x40): the ACPI PM I/O block's base (bits 15:7, 128-byte aligned; bit 0 reads 1);
 *     reset 0x00000001.</li>
 * <li>ACPI_CNTL (0x44): bit 7 ACPI_EN decodes the PM block at PMBASE; reset 0 (not decoded).
 *     The SCI select bits are stored; the SCI stays IRQ 9 (their reset value, SeaBIOS's choice).</li>
 * <li>PIRQA-D_ROUT (0x60-0x63), PIRQE-H_ROUT (0x68-0x6B): reset 0x80 (IRQEN: not routed to the
 *     8259s); stored. In APIC mode PIRQ A-H reach GSI 16-23 whatever they say ({@link Ich9IrqRouting}).</li>
 * <li>RCBA (0xF0): stored; the chipset configuration registers behind it are not mapped (their
 *     DnnIR routing is fixed at its reset value).</li>
 * </ul>
 * While decoded, the PM block is jvirt's ACPI PM registers (PM1a event/control, PM timer at
 * PMBASE+0, +4, +8) and the SMI registers at PMBASE+0x30 ({@link Ich9SmiRegisters}). Other bytes
 * from 0x40 are plain storage, as QEMU leaves them writable.
 */
public final class Ich9Lpc implements PciDevice, Snapshottable {
    public static final int PMBASE = 0x40, ACPI_CNTL = 0x44, PIRQA_ROUT = 0x60, PIRQE_ROUT = 0x68, RCBA = 0xF0;
    public static final int PMBASE_RTE = 1, PMBASE_MASK = 0xFF80, ACPI_EN = 0x80, PIRQ_ROUT_DISABLED = 0x80;
    /** The bits of PMBASE QEMU lets a guest write (its mask: the base and bits 2:1). */
    static final int PMBASE_WMASK = 0xFF86;

    private final PciConfigSpace config = new PciConfigSpace(0x8086, 0x2918, 0x060100, 0x02);
    private final MovableRange pm;
    private final MovableRange smi;

    /**
     * @param pm  the ACPI PM registers' range, placed at PMBASE while ACPI_EN is set
     * @param smi the SMI registers' range, placed at PMBASE + {@link Ich9SmiRegisters#OFFSET}
     */
    public Ich9Lpc(MovableRange pm, MovableRange smi) {
        this.pm = pm;
        this.smi = smi;
        config.setSubsystem(0x1af4, 0x1100);
        config.allowWrites(0x40, PciHostBridge.CONFIG_SIZE - 0x40);
        config.put32(PMBASE, PMBASE_RTE);
        config.setWriteMask(PMBASE, 4, PMBASE_WMASK);
        config.put32(PIRQA_ROUT, 0x8080_8080);
        config.put32(PIRQE_ROUT, 0x8080_8080);
    }

    @Override public PciConfigSpace config() { return config; }
    @Override public IoDevice bar(int index) { return null; }

    @Override
    public void configWritten(int offset, int size) {
        if (offset < ACPI_CNTL + 1 && offset + size > PMBASE) updatePm();
    }

    @Override
    public void configReplaced() {
        updatePm();
    }

    /** Where PMBASE places the PM block, or -1 while ACPI_CNTL does not decode it. */
    public int pmBase() {
        if ((config.read(ACPI_CNTL, 1) & ACPI_EN) == 0) return -1;
        return config.get16(PMBASE) & PMBASE_MASK;
    }

    private void updatePm() {
        int base = pmBase();
        pm.moveTo(base);
        smi.moveTo(base < 0 ? -1 : base + Ich9SmiRegisters.OFFSET);
    }

    @Override
    public void saveState(DataOutput out) throws IOException {
        config.saveState(out);
    }

    /** The bytes only; the host bridge's refreshMappings (configReplaced) places the PM block again. */
    @Override
    public void loadState(DataInput in) throws IOException {
        config.loadState(in);
    }
}
