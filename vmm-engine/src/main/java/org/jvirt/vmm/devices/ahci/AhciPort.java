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
                cmd = (cmd & CMD_RO_MASK) | (v & ~(CMD_RO_MASK | CMD_ICC_MASK));
                startOrStopEngines();
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
                return commandsWaiting();
            }
            default -> { } // read-only (TFD, SIG, SSTS) or not implemented
        }
        return false;
    }

    private boolean commandsWaiting() {
        return present() && ci != 0 && (cmd & CMD_CR) != 0;
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
        ci = 0;
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

    /** The D2H FIS a device sends after a reset: status 0x30 (DSC and the old DF/WRERR bit, as QEMU's), error 1, its signature. */
    private void initialD2h() {
        if (!present() || (cmd & CMD_FR) == 0) return;
        byte[] fis = new byte[FIS_D2H_SIZE];
        int signature = link.signature();
        fis[4] = (byte) (signature >>> 8);   // LBA low
        fis[5] = (byte) (signature >>> 16);  // LBA mid
        fis[6] = (byte) (signature >>> 24);  // LBA high
        fis[12] = (byte) signature;          // count
        postD2h(fis, 0x30, 0x01);
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

    /** Posts a PIO Setup FIS of a command that moved its data by PIO: transfer count, final status. */
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

    /** What running one command slot came to. */
    private record Outcome(Kind kind, int status, int error, byte[] regs, boolean pio, long transferred, int control) {
        enum Kind { DONE, CONTROL, IGNORED, HOST_BUS_FATAL }
        static Outcome of(Kind k) { return new Outcome(k, 0, 0, null, false, 0, 0); }
    }

    /** Runs the issued commands, lowest slot first, until none is left or the list engine stops. */
    void runIssued() {
        if (!present()) return;
        while (true) {
            int slot, gen;
            long list;
            synchronized (hba) {
                if ((cmd & CMD_CR) == 0 || ci == 0) return;
                slot = Integer.numberOfTrailingZeros(ci);
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
            return new Outcome(Outcome.Kind.CONTROL, 0, 0, null, false, 0, cfis[15] & 0xFF);
        }
        Prdt prdt = new Prdt(mem, table + TABLE_PRDT, flags >>> 16);
        link.loadRegisters(cfis);
        link.execute(cfis[2] & 0xFF);
        long moved = 0;
        boolean pio = false;
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
            moved += n;
            pio |= !link.dmaCommand();
            link.blockTransferred();
        }
        byte[] regs = new byte[FIS_D2H_SIZE];
        link.storeRegisters(regs);
        return new Outcome(Outcome.Kind.DONE, link.status(), link.error(), regs, pio, moved, 0);
    }

    private void complete(long header, int slot, Outcome o) {
        ci &= ~(1 << slot);
        switch (o.kind()) {
            case DONE -> {
                if (mem.isValidRange(header, HEADER_SIZE)) mem.writeInt(header + 4, (int) o.transferred()); // PRDBC
                // QEMU posts the D2H FIS first, then the PIO Setup FIS of a PIO command
                postD2h(o.regs(), o.status(), o.error());
                if (o.pio()) postPioSetup(o.regs(), o.status(), o.error(), (int) o.transferred());
            }
            case CONTROL -> {
                boolean srst = (o.control() & CONTROL_SRST) != 0;
                if (!softReset && srst) softReset = true;
                else if (softReset && !srst) reset();
            }
            case HOST_BUS_FATAL -> trigger(IS_HBFS);
            case IGNORED -> { }
        }
    }
}
