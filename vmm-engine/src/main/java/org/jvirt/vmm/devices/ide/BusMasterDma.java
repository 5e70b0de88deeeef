package org.jvirt.vmm.devices.ide;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.jvirt.vmm.memory.GuestMemory;

/**
 * The bus-master IDE registers of one PIIX3 channel (8 ports of BAR4: the primary's at 0, the
 * secondary's at 8) and its DMA engine, as the PIIX3 datasheet and SFF-8038i give them and QEMU's
 * hw/ide (pci.c, piix.c) behaves:
 * <ul>
 * <li>+0 command: bit 0 starts the engine (ACTIVE set), bit 3 the direction (kept, unused: the
 * command decides it, as in QEMU);
 * <li>+2 status: bit 0 ACTIVE (read-only), bit 1 ERROR and bit 2 INTERRUPT (write 1 to clear),
 * bits 5-6 the drives' DMA-capable flags (read/write), simplex bit 7 always 0;
 * <li>+4 the physical region descriptor table's address, dword aligned.
 * </ul>
 * A table entry is 8 bytes: the region's address, then its byte count in bits 15:1 (0 meaning
 * 64 KiB) and end-of-table in bit 31; QEMU reads at most one page of entries, so does this.
 *
 * <p>The channel calls {@link #transfer} once the selected device has a DMA block pending and the
 * engine is started, whichever comes first; it moves the command's blocks at once on the
 * calling thread. Every entry and region is checked against guest RAM before it is touched, and
 * nothing is touched while the PCI function's Bus Master Enable is clear.
 */
final class BusMasterDma {
    static final int COMMAND = 0, STATUS = 2, PRDT_ADDRESS = 4, PORTS = 8;
    static final int CMD_START = 0x01, CMD_TO_MEMORY = 0x08;
    static final int ACTIVE = 0x01, ERROR = 0x02, INTERRUPT = 0x04, DRIVES_CAPABLE = 0x60;
    static final int ENTRY_SIZE = 8, TABLE_LIMIT = 4096;

    private final GuestMemory memory;
    /** The PCI function's Bus Master Enable: without it the engine reaches no memory (a master abort: ERROR). */
    private volatile java.util.function.BooleanSupplier enabled = () -> true;
    private int command, status;
    private int prdtAddress;

    BusMasterDma(GuestMemory memory) {
        this.memory = memory;
    }

    void enableWhen(java.util.function.BooleanSupplier busMasterEnable) {
        this.enabled = busMasterEnable;
    }

    void reset() {
        command = status = prdtAddress = 0;
    }

    /** Byte accesses to command and status, any width to the table address; other widths read all ones (QEMU's piix.c). */
    long read(int offset, int size) {
        if (offset >= PRDT_ADDRESS) {
            return (Integer.toUnsignedLong(prdtAddress) >>> (offset - PRDT_ADDRESS) * 8) & allOnes(size);
        }
        if (size != 1) return allOnes(size);
        return switch (offset) {
            case COMMAND -> command;
            case STATUS -> status;
            default -> 0xFF;
        };
    }

    /** Returns true when the write started the engine (the channel then looks for a pending transfer). */
    boolean write(int offset, int size, long value) {
        if (offset >= PRDT_ADDRESS) {
            int shift = (offset - PRDT_ADDRESS) * 8;
            long mask = allOnes(size) << shift;
            long v = (Integer.toUnsignedLong(prdtAddress) & ~mask) | ((value << shift) & mask);
            prdtAddress = (int) v & ~3;
            return false;
        }
        if (size != 1) return false;
        int v = (int) value & 0xFF;
        if (offset == STATUS) {
            status = (v & DRIVES_CAPABLE) | (status & ACTIVE) | (status & ~v & (ERROR | INTERRUPT));
            return false;
        }
        if (offset != COMMAND) return false;
        boolean wasStarted = (command & CMD_START) != 0, start = (v & CMD_START) != 0;
        command = v & (CMD_START | CMD_TO_MEMORY);
        if (start == wasStarted) return false;
        if (!start) { // stopping: a transfer is never left half done (it ran whole when it started)
            status &= ~ACTIVE;
            return false;
        }
        status |= ACTIVE;
        return true;
    }

    /** An access of size bytes with every bit set (at most the 32-bit register). */
    private static long allOnes(int size) {
        return size >= 4 ? 0xFFFF_FFFFL : (1L << (size * 8)) - 1;
    }

    /** Started and not yet finished: a DMA command may move its data now. */
    boolean active() {
        return (command & CMD_START) != 0 && (status & ACTIVE) != 0;
    }

    /** The channel's interrupt line rose (any command's interrupt, as QEMU's bmdma_irq). */
    void interruptRaised() {
        status |= INTERRUPT;
    }

    /**
     * Moves every DMA block of the command in progress on device d through the table. Ends with
     * ACTIVE clear, or still set when the table describes more than the command moved (an ATA
     * command; QEMU keeps it so). A table too short for the command ends the command without an
     * interrupt (QEMU's ide_dma_cb); an entry or region outside RAM also sets ERROR.
     */
    void transfer(IdeDevice d) {
        Cursor table = new Cursor();
        table.outsideRam = !enabled.getAsBoolean(); // nothing reachable: the first block falls short
        while (d.dma && (d.dataInPending() || d.dataOutPending())) {
            boolean toMemory = d.dataInPending();
            int n = d.bufferEnd;
            int moved = table.copy(d.buffer, n, toMemory);
            if (moved < n) {
                if (table.outsideRam) status |= ERROR;
                d.dmaTableShort();
                status &= ~ACTIVE;
                return;
            }
            d.blockTransferred();
        }
        if (d.packetDevice() || !table.describesMore()) status &= ~ACTIVE;
    }

    /** Walks the table of one transfer: the current entry's address and bytes left. */
    private final class Cursor {
        private int next; // byte offset of the next entry in the table
        private long regionAddress, regionLeft;
        private boolean last, outsideRam;

        /** Copies up to n bytes between buf and the regions; returns how many were moved. */
        int copy(byte[] buf, int n, boolean toMemory) {
            if (outsideRam) return 0;
            int done = 0;
            while (done < n) {
                if (regionLeft == 0 && !nextEntry()) return done;
                int len = (int) Math.min(n - done, regionLeft);
                if (!memory.isValidRange(regionAddress, len)) {
                    outsideRam = true;
                    return done;
                }
                if (toMemory) memory.write(regionAddress, buf, done, len);
                else memory.read(regionAddress, buf, done, len);
                regionAddress += len;
                regionLeft -= len;
                done += len;
            }
            return done;
        }

        /** True when the table has bytes past what was moved (the current region's rest, or entries before end-of-table). */
        boolean describesMore() {
            if (regionLeft > 0) return true;
            while (nextEntry()) if (regionLeft > 0) return true;
            return false;
        }

        private boolean nextEntry() {
            if (last || next >= TABLE_LIMIT) return false;
            long at = Integer.toUnsignedLong(prdtAddress) + next;
            if (!memory.isValidRange(at, ENTRY_SIZE)) {
                outsideRam = true;
                return false;
            }
            next += ENTRY_SIZE;
            regionAddress = Integer.toUnsignedLong(memory.readInt(at));
            int count = memory.readInt(at + 4);
            regionLeft = (count & 0xFFFE) == 0 ? 0x10000 : count & 0xFFFE;
            last = (count & 0x8000_0000) != 0;
            return true;
        }
    }

    void saveState(DataOutput out) throws IOException {
        out.writeByte(command);
        out.writeByte(status);
        out.writeInt(prdtAddress);
    }

    void loadState(DataInput in) throws IOException {
        command = in.readUnsignedByte() & (CMD_START | CMD_TO_MEMORY);
        status = in.readUnsignedByte() & (ACTIVE | ERROR | INTERRUPT | DRIVES_CAPABLE);
        prdtAddress = in.readInt() & ~3;
    }
}
