package org.jvirt.vmm.devices.ahci;

import static org.jvirt.vmm.devices.ahci.Ahci.*;

import org.jvirt.vmm.devices.ide.AtaLink;
import org.jvirt.vmm.memory.GuestMemory;
import org.jvirt.vmm.memory.GuestMemoryException;

/**
 * One AHCI port: its registers (PxCLB..PxCI), the command list and received-FIS areas in guest
 * memory, and the device behind it (null: no device, DET 0).
 *
 * <p>Registers are guarded by the controller's monitor (vCPU threads read and write them). A
 * command runs on the controller's I/O thread in three steps: under the controller's monitor
 * the lowest issued slot is picked; under the device's lock (never both) its header and table
 * are read, the command is run and its data moved through the PRDT; under the controller's
 * monitor again the FISes are posted, PxTFD, PxCI and PxIS updated and the interrupt raised. A
 * port reset meanwhile (COMRESET, HBA reset) makes the result void (the generation changed).
 */
final class AhciPort {

    private final AhciController hba;
    private final GuestMemory mem;
    private final AtaLink link;

    // Registers, guarded by hba.
    private int clb, clbu, fb, fbu, is, ie, cmd, tfd, sig, sctl, serr, sact, ci;
    private boolean initD2hSent;
    /** A control FIS set SRST; the next one clearing it resets the port (QEMU's STATE_RESET). */
    private boolean softReset;
    /** Issued slots to run: the bits of PxCI when it or PxCMD was written (a failed command stays issued but waits for the next write, as on QEMU's). */
    private int toRun;
    /** Counts port resets: a command that started before one is dropped. */
    private int generation;
    /** The device's own reset waits for the I/O thread (the vCPU never takes the device's lock). */
    private volatile boolean deviceResetPending;

    AhciPort(AhciController hba, GuestMemory mem, AtaLink link) {
        this.hba = hba;
        this.mem = mem;
        this.link = link;
    }

    boolean present() { return link != null; }

    AtaLink link() { return link; }

    /** Pending and enabled interrupt causes (the HBA's IS bit for this port). Under hba. */
    boolean interruptRequested() { return (is & ie) != 0; }

    // ---- Registers (under hba).

    /** Whether the guest started this port's command list or FIS receive engine (called holding the HBA's lock). */
    boolean started() {
        return (cmd & (CMD_ST | CMD_FRE)) != 0;
    }

    int read(int reg) {
        return switch (reg) {
            case PxCLB -> clb;
            case PxCLBU -> clbu;
            case PxFB -> fb;
            case PxFBU -> fbu;
            case PxIS -> is;
            case PxIE -> ie;
            case PxCMD -> cmd;
            case PxTFD -> tfd;
            case PxSIG -> sig;
            case PxSSTS -> present() ? SSTS_DEVICE : 0;
            case PxSCTL -> sctl;
            case PxSERR -> serr;
            case PxSACT -> sact;
            case PxCI -> ci;
            default -> 0;
        };
    }

    /** A guest write; true when the I/O thread has work (commands issued or the engine started). */
    boolean write(int reg, int v) {
        switch (reg) {
            case PxCLB -> clb = v;
            case PxCLBU -> clbu = v;
            case PxFB -> fb = v;
            case PxFBU -> fbu = v;
            case PxIS -> {
                is &= ~v;
                hba.updateInterrupt();
            }
            case PxIE -> {
                ie = v & IE_MASK;
                hba.updateInterrupt();
            }
            case PxCMD -> {
                boolean stopped = (cmd & CMD_ST) != 0 && (v & CMD_ST) == 0;
                cmd = (cmd & CMD_RO_MASK) | (v & ~(CMD_RO_MASK | CMD_ICC_MASK));
                if (stopped) ci = sact = 0; // AHCI 1.3 3.3.14: clearing ST clears PxCI (how software recovers from an error)
                startOrStopEngines();
                toRun |= ci;
                if ((cmd & CMD_FR) != 0 && !initD2hSent) initialD2h();
                return commandsWaiting();
            }
            case PxSCTL -> {
                if ((sctl & SCTL_DET) == 1 && (v & SCTL_DET) == 0) reset(); // COMRESET ends
                sctl = v;
            }
            case PxSERR -> serr &= ~v;
            case PxSACT -> sact |= v;
            case PxCI -> {
                ci |= v;
                toRun |= ci;
                return commandsWaiting();
            }
            default -> { } // read-only (TFD, SIG, SSTS) or not implemented
        }
        return false;
    }

    private boolean commandsWaiting() {
        return present() && (ci & toRun) != 0 && (cmd & CMD_CR) != 0;
    }

    /**
     * ST and FRE start the command list and FIS receive engines (CR, FR) when their areas lie in
     * guest RAM; otherwise the start bit falls back to 0, as QEMU's does.
     */
    private void startOrStopEngines() {
        if ((cmd & CMD_ST) != 0) {
            if (mem.isValidRange(clbAddress(), COMMAND_LIST_SIZE)) cmd |= CMD_CR;
            else cmd &= ~(CMD_ST | CMD_CR);
        } else {
            cmd &= ~CMD_CR;
        }
        if ((cmd & CMD_FRE) != 0) {
            if (mem.isValidRange(fbAddress(), RFIS_SIZE)) cmd |= CMD_FR;
            else cmd &= ~(CMD_FRE | CMD_FR);
        } else {
            cmd &= ~CMD_FR;
        }
    }

    private long clbAddress() { return clb & 0xFFFF_FFFFL | (long) clbu << 32; }

    private long fbAddress() { return fb & 0xFFFF_FFFFL | (long) fbu << 32; }

    /** HBA reset (GHC.HR) or machine reset: interrupts off, engines stopped, then a port reset. */
    void hbaReset(boolean powerOn) {
        is = ie = sctl = 0;
        cmd = CMD_SUD | CMD_POD;
        ci = toRun = 0;
        if (powerOn) clb = clbu = fb = fbu = 0;
        reset();
    }

    /**
     * A port reset (COMRESET, or a control FIS releasing SRST): no device status until its first
     * D2H FIS, which carries the signature and goes out at once when FIS receive is on.
     */
    private void reset() {
        generation++;
        serr = sact = 0;
        tfd = TFD_RESET;
        sig = SIG_RESET;
        initD2hSent = false;
        softReset = false;
        if (!present()) return;
        deviceResetPending = true;
        initialD2h();
    }

    /**
     * The D2H FIS a device sends after a reset, as QEMU's: error 1 (diagnostics passed), status
     * 0x30 for a disk (DSC and the old DF/WRERR bit) and 0x70 for a CD-ROM (DRDY too), the
     * signature in the registers and so in PxSIG. QEMU sends one for an empty port too: the
     * registers of its absent drive (status 0x50, error 0, no known signature).
     */
    private void initialD2h() {
        if ((cmd & CMD_FR) == 0) return;
        byte[] fis = new byte[FIS_D2H_SIZE];
        int signature = present() ? link.signature() : ABSENT_SIGNATURE;
        fis[4] = (byte) (signature >>> 8);   // LBA low
        fis[5] = (byte) (signature >>> 16);  // LBA mid
        fis[6] = (byte) (signature >>> 24);  // LBA high
        fis[7] = (byte) 0xA0;                // device: the obsolete bits set, device 0
        fis[12] = (byte) signature;          // count
        if (!present()) postD2h(fis, 0x50, 0x00);
        else postD2h(fis, link.packetDevice() ? 0x70 : 0x30, 0x01);
        initD2hSent = true;
        sig = signature;
    }

    // ---- FISes to the received-FIS area (under hba).

    /** Posts a Register D2H FIS; PxTFD takes its status and error; DHRS (and TFES on ERR). */
    private void postD2h(byte[] fis, int status, int error) {
        fis[0] = (byte) FIS_REGISTER_D2H;
        fis[1] = (byte) (hba.interruptStatus() != 0 ? FIS_INTERRUPT : 0); // QEMU's I bit: the HBA's IS before this one
        fis[2] = (byte) status;
        fis[3] = (byte) error;
        post(RFIS_D2H, fis);
        tfd = error << 8 | status;
        if ((status & 0x01) != 0) trigger(IS_TFES);
        trigger(IS_DHRS);
    }

    /** Posts a PIO Setup FIS: the status and registers as the device offered a block of count bytes. */
    private void postPioSetup(byte[] regs, int status, int error, int count) {
        byte[] fis = regs.clone();
        fis[0] = (byte) FIS_PIO_SETUP;
        fis[1] = (byte) (hba.interruptStatus() != 0 ? FIS_INTERRUPT : 0);
        fis[2] = (byte) status;
        fis[3] = (byte) error;
        fis[15] = (byte) status;             // E_Status: the status after the transfer
        fis[16] = (byte) count;
        fis[17] = (byte) (count >>> 8);
        fis[18] = fis[19] = 0;
        post(RFIS_PIO_SETUP, fis);
        tfd = error << 8 | status;
        if ((status & 0x01) != 0) trigger(IS_TFES);
        trigger(IS_PSS);
    }

    private void post(int offset, byte[] fis) {
        if ((cmd & CMD_FR) == 0) return; // FIS receive off: nothing is written to memory
        long at = fbAddress() + offset;
        if (mem.isValidRange(at, fis.length)) mem.write(at, fis, 0, fis.length); // FB may have moved since FRE
    }

    private void trigger(int bit) {
        is |= bit;
        hba.updateInterrupt();
    }

    // ---- Commands (the I/O thread).

    /**
     * What running one command slot came to: the final status, error and registers; for a PIO
     * command the PIO Setup FIS of its last block (status, length, registers at that block).
     */
    private record Outcome(Kind kind, int status, int error, byte[] regs, long transferred, int control,
                           byte[] pioRegs, int pioStatus, int pioLength) {
        enum Kind { DONE, CONTROL, IGNORED, HOST_BUS_FATAL }
        static Outcome of(Kind k) { return new Outcome(k, 0, 0, null, 0, 0, null, 0, 0); }
    }

    /** Runs the issued commands, lowest slot first, until none is left or the list engine stops. */
    void runIssued() {
        if (!present()) return;
        while (true) {
            int slot, gen;
            long list;
            synchronized (hba) {
                if ((cmd & CMD_CR) == 0 || (ci & toRun) == 0) return;
                slot = Integer.numberOfTrailingZeros(ci & toRun);
                toRun &= ~(1 << slot);
                list = clbAddress();
                gen = generation;
            }
            Outcome o;
            synchronized (link.lock()) {
                if (deviceResetPending) {
                    deviceResetPending = false;
                    link.hardReset();
                }
                try {
                    o = execute(list + (long) slot * HEADER_SIZE);
                } catch (GuestMemoryException e) { // a second line of defence: every access is checked first
                    o = Outcome.of(Outcome.Kind.HOST_BUS_FATAL);
                }
            }
            synchronized (hba) {
                if (gen != generation) { // reset while it ran: the command is gone
                    ci &= ~(1 << slot);
                    continue;
                }
                complete(list + (long) slot * HEADER_SIZE, slot, o);
            }
        }
    }

    /** Reads the command header at header, its table and PRDT, and runs it on the device. */
    private Outcome execute(long header) {
        if (header < 0 || !mem.isValidRange(header, HEADER_SIZE)) return Outcome.of(Outcome.Kind.HOST_BUS_FATAL);
        int flags = mem.readInt(header);
        long table = mem.readInt(header + 8) & 0xFFFF_FFFFL | (long) mem.readInt(header + 12) << 32;
        if (table < 0 || !mem.isValidRange(table, TABLE_PRDT)) return Outcome.of(Outcome.Kind.HOST_BUS_FATAL);
        byte[] cfis = new byte[TABLE_PRDT];
        mem.read(table, cfis, 0, TABLE_PRDT);
        if ((cfis[0] & 0xFF) != FIS_REGISTER_H2D) return Outcome.of(Outcome.Kind.IGNORED);
        int fisFlags = cfis[1] & 0xFF;
        if ((fisFlags & 0x7F) != 0) return Outcome.of(Outcome.Kind.IGNORED); // a port multiplier port or reserved bits
        if ((fisFlags & FIS_H2D_COMMAND) == 0) {
            return new Outcome(Outcome.Kind.CONTROL, 0, 0, null, 0, cfis[15] & 0xFF, null, 0, 0);
        }
        Prdt prdt = new Prdt(mem, table + TABLE_PRDT, flags >>> 16);
        link.loadRegisters(cfis);
        link.execute(cfis[2] & 0xFF);
        long moved = 0;
        byte[] pioRegs = null;
        int pioStatus = 0, pioLength = 0;
        while (link.dataIn() || link.dataOut()) {
            byte[] buf = link.buffer();
            int n = link.blockLength();
            if (link.awaitingPacket()) { // the CDB comes from the table's ATAPI command area
                System.arraycopy(cfis, TABLE_ACMD, buf, 0, Math.min(n, ACMD_SIZE));
                link.blockTransferred();
                continue;
            }
            boolean ok = link.dataIn() ? prdt.toGuest(moved, buf, n) : prdt.fromGuest(moved, buf, n);
            if (!ok) { // the PRDT is too short or leaves RAM
                link.abortTransfer();
                break;
            }
            if (!link.dmaCommand()) {
                pioRegs = new byte[FIS_D2H_SIZE];
                link.storeRegisters(pioRegs);
                pioStatus = link.status();
                pioLength = n;
            }
            moved += n;
            link.blockTransferred();
        }
        byte[] regs = new byte[FIS_D2H_SIZE];
        link.storeRegisters(regs);
        return new Outcome(Outcome.Kind.DONE, link.status(), link.error(), regs, moved, 0, pioRegs, pioStatus, pioLength);
    }

    /**
     * Posts the outcome. A command that failed (ERR) stays issued, as AHCI 1.3 6.2.2 and QEMU's
     * HBA have it (software clears PxCMD.ST to recover); so does a control FIS setting SRST,
     * until the one that clears it resets the port.
     */
    private void complete(long header, int slot, Outcome o) {
        ci &= ~(1 << slot);
        switch (o.kind()) {
            case DONE -> {
                if (mem.isValidRange(header, HEADER_SIZE)) mem.writeInt(header + 4, (int) o.transferred()); // PRDBC
                if (o.pioRegs() != null) postPioSetup(o.pioRegs(), o.pioStatus(), 0, o.pioLength());
                postD2h(o.regs(), o.status(), o.error());
                if ((o.status() & 0x01) != 0) ci |= 1 << slot;
            }
            case CONTROL -> {
                boolean srst = (o.control() & CONTROL_SRST) != 0;
                if (srst) ci |= 1 << slot;
                if (!softReset && srst) softReset = true;
                else if (softReset && !srst) reset();
            }
            case HOST_BUS_FATAL -> trigger(IS_HBFS);
            case IGNORED -> { }
        }
    }
}
