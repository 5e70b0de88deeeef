package org.jvirt.vmm.devices.usb.xhci;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.Snapshottable;
import org.jvirt.vmm.devices.pci.MsixCapability;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.devices.pci.PciDevice;
import org.jvirt.vmm.devices.pci.PcieEndpointCapability;
import org.jvirt.vmm.devices.usb.UsbDevice;
import org.jvirt.vmm.irq.MsiSink;
import org.jvirt.vmm.memory.GuestMemory;

/**
 * QEMU 7.2's qemu-xhci (hw/usb/hcd-xhci.c, hcd-xhci-pci.c): PCI 1b36:000d revision 1, class
 * 0x0c0330, a 16 KiB 64-bit BAR0 with the capability registers at 0, the operational registers
 * at 0x40 (ports at 0x440), runtime at 0x1000, doorbells at 0x2000 and the MSI-X table and PBA
 * at 0x3000/0x3800; MSI-X (16 vectors) at 0x90 and, on a PCI Express bus, the PCIe capability at
 * 0xa0; no MSI (qemu-xhci's msi=off default); INTA otherwise. 64 slots, 16 interrupters.
 * <p>Ports: USB 3 ports 1..p3 first, then USB 2 ports p3+1..p3+p2 (QEMU's XHCI_FLAG_SS_FIRST);
 * the high-speed HID devices sit on the USB 2 ports in order. Commands: Enable/Disable Slot,
 * Address Device, Configure Endpoint, Evaluate Context, Reset/Stop Endpoint, Set TR Dequeue,
 * Reset Device, Get Port Bandwidth, No-Op; others complete with a TRB error. Transfers: control
 * on EP0, interrupt IN on the device's endpoint (a NAK keeps the transfer until the device has
 * data). Events go to one-segment event rings as QEMU's, with its ring-full behaviour.
 * <p>Every guest address is checked before use: a ring, context or event ring outside guest RAM,
 * or DMA while bus mastering is off, puts the controller in Host Controller Error (QEMU's
 * xhci_die) or fails the command with a TRB error where QEMU does; nothing throws out of here.
 * Lock: this object (guest register accesses, device wakeups from host threads).
 */
public final class XhciController implements PciDevice, IoDevice, Snapshottable {
    public static final int VENDOR = 0x1b36, DEVICE = 0x000d, CLASS = 0x0c0330, REVISION = 1;
    public static final int STATE_VERSION = 1;
    public static final int MAX_PORTS = 15, DEFAULT_PORTS = 4;
    static final int SLOTS = 64, INTRS = 16, BAR_SIZE = 0x4000;
    static final int OPER = 0x40, PORTS_OFF = 0x440, RUNTIME = 0x1000, DOORBELL = 0x2000, MSIX_TABLE = 0x3000, MSIX_PBA = 0x3800;
    static final int MSIX_CAP = 0x90, EXPRESS_CAP = 0xa0;
    static final int CMD_RS = 1, CMD_HCRST = 2, CMD_INTE = 4, CMD_CSS = 1 << 8, CMD_CRS = 1 << 9;
    static final int STS_HCH = 1, STS_HSE = 4, STS_EINT = 8, STS_PCD = 16, STS_SRE = 1 << 10, STS_HCE = 1 << 12;
    static final int CRCR_RCS = 1, CRCR_CS = 2, CRCR_CA = 4, CRCR_CRR = 8;
    /** QEMU's limits on work per kick (COMMAND_LIMIT, TRANSFER_LIMIT, TRB_LINK_LIMIT). */
    static final int COMMAND_LIMIT = 256, TRANSFER_LIMIT = 256, LINK_LIMIT = 32;
    private static final int CONTROL_BUFFER = 4096;

    private final PciConfigSpace config = new PciConfigSpace(VENDOR, DEVICE, CLASS, REVISION);
    private final MsixCapability msix;
    private final GuestMemory memory;
    private final int ports2, ports3;
    private final Port[] ports;
    private final Interrupter[] intr = new Interrupter[INTRS];
    private final Slot[] slots = new Slot[SLOTS];
    private int usbcmd, usbsts = STS_HCH, dnctrl, crcrLow, crcrHigh, dcbaapLow, dcbaapHigh, configReg;
    private long cmdDequeue;
    private boolean cmdCcs = true;
    private long mfindexStart = System.nanoTime();
    /** Failures QEMU logs (guest errors): counted for tests. */
    private int guestErrors;

    /** A root hub port: PORTSC and the device on it (USB 2 ports only), its number 1.. */
    static final class Port {
        final int number;
        final boolean usb3;
        UsbDevice device;
        int portsc;

        Port(int number, boolean usb3) {
            this.number = number;
            this.usb3 = usb3;
        }
    }

    /** A device slot (QEMU's XHCISlot). */
    static final class Slot {
        boolean enabled, addressed;
        long context;
        int port, intr; // port: index+1 into ports, 0 for none
        final Endpoint[] eps = new Endpoint[31];
    }

    /** ports: the number of USB 2 and of USB 3 ports (QEMU's p2 and p3, 1..15); express: a PCIe capability. */
    public XhciController(GuestMemory memory, MsiSink msi, int ports, boolean express) {
        if (ports < 1 || ports > MAX_PORTS) throw new IllegalArgumentException("ports " + ports);
        this.memory = memory;
        ports2 = ports3 = ports;
        this.ports = new Port[ports2 + ports3];
        for (int i = 0; i < this.ports.length; i++) this.ports[i] = new Port(i + 1, i < ports3);
        for (int i = 0; i < INTRS; i++) intr[i] = new Interrupter();
        for (int i = 0; i < SLOTS; i++) slots[i] = new Slot();
        config.setSubsystem(0x1af4, 0x1100);
        // (QEMU's realize sets the cache line size to 0x10, but its PCI reset clears it before the guest runs)
        config.put16(0x60, 0x30);          // serial bus release number 3.0
        config.declareInterruptPin(1);
        config.defineBar(0, PciConfigSpace.BarType.MEMORY64, BAR_SIZE);
        if (express) PcieEndpointCapability.add(config, EXPRESS_CAP);
        msix = new MsixCapability(config, msi, INTRS, 0, MSIX_TABLE, MSIX_PBA, MSIX_CAP);
        resetController();
    }

    /** Plugs a device into USB 2 port n (1..p2, QEMU's port path). */
    public synchronized void attach(int usb2Port, UsbDevice device) {
        if (usb2Port < 1 || usb2Port > ports2) throw new IllegalArgumentException("USB port " + usb2Port);
        Port p = ports[ports3 + usb2Port - 1];
        if (p.device != null) throw new IllegalArgumentException("USB port " + usb2Port + " is taken");
        p.device = device;
        device.setWakeup(() -> wakeup(device));
        portUpdate(p);
    }

    public int usb2Ports() { return ports2; }

    @Override public PciConfigSpace config() { return config; }
    @Override public IoDevice bar(int index) { return index == 0 ? this : null; }
    @Override public void configWritten(int offset, int size) { msix.configWritten(offset, size); }

    @Override
    public synchronized void reset() {
        msix.reset();
        resetController();
        for (Port p : ports) if (p.device != null) p.device.reset();
    }

    /** Whether a DMA failure or bad ring put the controller in Host Controller Error. */
    public synchronized boolean hostControllerError() { return (usbsts & STS_HCE) != 0; }

    synchronized int guestErrors() { return guestErrors; }

    // ---- registers ----

    @Override
    public synchronized long read(long offset, int size) {
        if (offset >= MSIX_TABLE && offset < MSIX_TABLE + msix.tableSize()) return msix.readTable(offset - MSIX_TABLE, size);
        if (offset >= MSIX_PBA && offset < MSIX_PBA + msix.pbaSize()) return msix.readPba(offset - MSIX_PBA, size);
        if (size == 8 && offset >= OPER) return read32(offset) & 0xFFFF_FFFFL | (read32(offset + 4) & 0xFFFF_FFFFL) << 32;
        if (offset < OPER) { // capabilities: any size, read as dwords
            long v = capRead((int) offset & ~3) & 0xFFFF_FFFFL;
            v >>>= 8 * (offset & 3);
            return size >= 4 ? v : v & ((1L << (8 * size)) - 1);
        }
        if (size != 4 || (offset & 3) != 0) return 0;
        return read32(offset) & 0xFFFF_FFFFL;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        if (offset >= MSIX_TABLE && offset < MSIX_TABLE + msix.tableSize()) {
            msix.writeTable(offset - MSIX_TABLE, size, value);
            return;
        }
        if (offset < OPER || offset >= BAR_SIZE) return;
        if (size == 8 && (offset < PORTS_OFF || offset >= RUNTIME) && offset < DOORBELL) {
            write32(offset, (int) value);
            write32(offset + 4, (int) (value >>> 32));
            return;
        }
        if (size != 4 || (offset & 3) != 0) return;
        write32(offset, (int) value);
    }

    private int read32(long offset) {
        if (offset >= PORTS_OFF && offset < PORTS_OFF + 0x10L * ports.length) {
            return (offset & 0xf) == 0 ? ports[(int) (offset - PORTS_OFF) >> 4].portsc : 0;
        }
        if (offset >= OPER && offset < OPER + 0x400) return operRead((int) offset - OPER);
        if (offset >= RUNTIME && offset < RUNTIME + 0x20 * (INTRS + 1)) return runtimeRead((int) offset - RUNTIME);
        return 0; // doorbells and holes read 0
    }

    private void write32(long offset, int v) {
        if (offset >= PORTS_OFF && offset < PORTS_OFF + 0x10L * ports.length) {
            if ((offset & 0xf) == 0) portWrite(ports[(int) (offset - PORTS_OFF) >> 4], v);
            return;
        }
        if (offset >= OPER && offset < OPER + 0x400) operWrite((int) offset - OPER, v);
        else if (offset >= RUNTIME && offset < RUNTIME + 0x20 * (INTRS + 1)) runtimeWrite((int) offset - RUNTIME, v);
        else if (offset >= DOORBELL && offset < DOORBELL + 4 * (SLOTS + 1)) doorbell((int) (offset - DOORBELL) >> 2, v);
    }

    private int capRead(int reg) {
        return switch (reg) {
            case 0x00 -> 0x0100_0000 | OPER;
            case 0x04 -> (ports2 + ports3) << 24 | INTRS << 8 | SLOTS;
            case 0x08 -> 0x0000_000f;
            case 0x10 -> 0x0008_7001; // AC64, 256 primary streams, extended capabilities at 0x20
            case 0x14 -> DOORBELL;
            case 0x18 -> RUNTIME;
            case 0x20 -> 0x0200_0402; // supported protocol USB 2.0, next at 0x30
            case 0x24, 0x34 -> 0x2042_5355; // "USB "
            case 0x28 -> ports2 << 8 | (ports3 + 1);
            case 0x30 -> 0x0300_0002;
            case 0x38 -> ports3 << 8 | 1;
            default -> 0;
        };
    }

    private int operRead(int reg) {
        return switch (reg) {
            case 0x00 -> usbcmd;
            case 0x04 -> usbsts;
            case 0x08 -> 1; // 4 KiB pages
            case 0x14 -> dnctrl;
            case 0x18 -> crcrLow & ~0xe;
            case 0x1c -> crcrHigh;
            case 0x30 -> dcbaapLow;
            case 0x34 -> dcbaapHigh;
            case 0x38 -> configReg;
            default -> 0;
        };
    }

    private void operWrite(int reg, int v) {
        switch (reg) {
            case 0x00 -> {
                if ((v & CMD_RS) != 0 && (usbcmd & CMD_RS) == 0) {
                    usbsts &= ~STS_HCH;
                    mfindexStart = System.nanoTime();
                } else if ((v & CMD_RS) == 0 && (usbcmd & CMD_RS) != 0) {
                    usbsts |= STS_HCH;
                    crcrLow &= ~CRCR_CRR;
                }
                if ((v & CMD_CSS) != 0) usbsts &= ~STS_SRE;
                if ((v & CMD_CRS) != 0) usbsts |= STS_SRE;
                usbcmd = v & 0xc0f;
                if ((v & CMD_HCRST) != 0) resetController();
                intrUpdate(0);
            }
            case 0x04 -> {
                usbsts &= ~(v & (STS_HSE | STS_EINT | STS_PCD | STS_SRE));
                intrUpdate(0);
            }
            case 0x14 -> dnctrl = v & 0xffff;
            case 0x18 -> crcrLow = (v & 0xffffffcf) | (crcrLow & CRCR_CRR);
            case 0x1c -> {
                crcrHigh = v;
                if ((crcrLow & (CRCR_CA | CRCR_CS)) != 0 && (crcrLow & CRCR_CRR) != 0) {
                    crcrLow &= ~CRCR_CRR;
                    event(0, new Event(Trb.COMMAND_COMPLETE, Trb.CC_COMMAND_RING_STOPPED, 0, 0, 0, 0, 0));
                } else {
                    cmdDequeue = (crcrLow & ~0x3fL & 0xFFFF_FFFFL) | (long) v << 32;
                    cmdCcs = true;
                }
                crcrLow &= ~(CRCR_CA | CRCR_CS);
            }
            case 0x30 -> dcbaapLow = v & 0xffffffc0;
            case 0x34 -> dcbaapHigh = v;
            case 0x38 -> configReg = v & 0xff;
            default -> { }
        }
    }

    private int runtimeRead(int reg) {
        if (reg < 0x20) return reg == 0 ? (int) (((System.nanoTime() - mfindexStart) / 125_000) & 0x3fff) : 0;
        Interrupter i = intr[(reg - 0x20) / 0x20];
        return switch (reg & 0x1f) {
            case 0x00 -> i.iman;
            case 0x04 -> i.imod;
            case 0x08 -> i.erstsz;
            case 0x10 -> i.erstbaLow;
            case 0x14 -> i.erstbaHigh;
            case 0x18 -> i.erdpLow;
            case 0x1c -> i.erdpHigh;
            default -> 0;
        };
    }

    private void runtimeWrite(int reg, int v) {
        if (reg < 0x20) return;
        int n = (reg - 0x20) / 0x20;
        Interrupter i = intr[n];
        switch (reg & 0x1f) {
            case 0x00 -> {
                if ((v & Interrupter.IMAN_IP) != 0) i.iman &= ~Interrupter.IMAN_IP;
                i.iman = (i.iman & ~Interrupter.IMAN_IE) | (v & Interrupter.IMAN_IE);
                intrUpdate(n);
            }
            case 0x04 -> i.imod = v;
            case 0x08 -> i.erstsz = v & 0xffff;
            case 0x10 -> i.erstbaLow = v & 0xffffffc0;
            case 0x14 -> {
                i.erstbaHigh = v;
                eventRingReset(i);
            }
            case 0x18 -> {
                if ((v & Interrupter.ERDP_EHB) != 0) i.erdpLow &= ~Interrupter.ERDP_EHB;
                i.erdpLow = (v & ~Interrupter.ERDP_EHB) | (i.erdpLow & Interrupter.ERDP_EHB);
                if ((v & Interrupter.ERDP_EHB) != 0) {
                    long erdp = i.erdp();
                    if (erdp >= i.erStart && erdp < i.erStart + (long) Trb.SIZE * i.erSize && (erdp - i.erStart) / Trb.SIZE != i.enqueue) {
                        intrRaise(n);
                    }
                }
            }
            case 0x1c -> i.erdpHigh = v;
            default -> { }
        }
    }

    // ---- ports ----

    private boolean hasDevice(Port p) {
        return p.device != null && !p.usb3;
    }

    /** QEMU's xhci_port_update: connection state, then CSC. */
    private void portUpdate(Port p) {
        int pls = 5; // RxDetect
        p.portsc = 1 << 9; // PP
        if (hasDevice(p)) {
            p.portsc |= 1 | p.device.speed() << 10;
            pls = 7; // Polling
        }
        p.portsc = (p.portsc & ~(0xf << 5)) | pls << 5;
        portNotify(p, 1 << 17);
    }

    private void portNotify(Port p, int bits) {
        if ((p.portsc & bits) == bits) return;
        p.portsc |= bits;
        if ((usbsts & STS_HCH) != 0) return;
        event(0, new Event(Trb.PORT_STATUS_CHANGE, Trb.CC_SUCCESS, (long) p.number << 24, 0, 0, 0, 0));
    }

    private void portReset(Port p) {
        if (!hasDevice(p)) return;
        p.device.reset();
        p.portsc = (p.portsc & ~(0xf << 5)) | 2; // U0, enabled
        p.portsc &= ~(1 << 4);
        portNotify(p, 1 << 21);
    }

    private void portWrite(Port p, int v) {
        if ((v & (1 << 31)) != 0 || (v & (1 << 4)) != 0) {
            portReset(p);
            return;
        }
        int portsc = p.portsc;
        int notify = 0;
        portsc &= ~(v & ((1 << 17) | (1 << 18) | (1 << 19) | (1 << 20) | (1 << 21) | (1 << 22) | (1 << 23)));
        if ((v & (1 << 16)) != 0) { // LWS: a link state write
            int oldPls = (p.portsc >> 5) & 0xf, newPls = (v >> 5) & 0xf;
            if (newPls == 0 && oldPls != 0) {
                portsc = (portsc & ~(0xf << 5));
                notify = 1 << 22;
            } else if (newPls == 3 && oldPls < 3) {
                portsc = (portsc & ~(0xf << 5)) | 3 << 5;
            }
        }
        int rw = (1 << 9) | (1 << 25) | (1 << 26) | (1 << 27);
        p.portsc = (portsc & ~rw) | (v & rw);
        if (notify != 0) portNotify(p, notify);
    }

    // ---- controller reset ----

    private void resetController() {
        usbcmd = 0;
        usbsts = STS_HCH;
        dnctrl = crcrLow = crcrHigh = 0;
        dcbaapLow = dcbaapHigh = 0;
        configReg = 0;
        for (int s = 1; s <= SLOTS; s++) disableSlot(s);
        for (Port p : ports) portUpdate(p);
        for (Interrupter i : intr) i.reset();
        cmdDequeue = 0;
        cmdCcs = true;
        mfindexStart = System.nanoTime();
        config.setIntx(false);
    }

    /** QEMU's xhci_die: the guest handed the controller something unusable. */
    private void die() {
        usbsts |= STS_HCE;
        guestErrors++;
    }

    // ---- DMA ----

    private boolean dmaOk(long addr, long len) {
        return (config.command() & PciConfigSpace.CMD_BUS_MASTER) != 0 && addr >= 0 && len >= 0 && memory.isValidRange(addr, len);
    }

    /** Reads n dwords at addr, or null (the caller fails as QEMU does). */
    private int[] readDwords(long addr, int n) {
        if (!dmaOk(addr, 4L * n)) {
            guestErrors++;
            return null;
        }
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = memory.readInt(addr + 4L * i);
        return v;
    }

    private boolean writeDwords(long addr, int[] v) {
        if (!dmaOk(addr, 4L * v.length)) {
            die();
            return false;
        }
        for (int i = 0; i < v.length; i++) memory.writeInt(addr + 4L * i, v[i]);
        return true;
    }

    private Trb readTrb(long addr, boolean ccs) {
        if (!dmaOk(addr, Trb.SIZE)) {
            guestErrors++;
            return null;
        }
        return new Trb(memory.readLong(addr), memory.readInt(addr + 8), memory.readInt(addr + 12), addr, ccs);
    }

    // ---- events and interrupts ----

    record Event(int type, int ccode, long ptr, int length, int slot, int epid, int flags) { }

    private void event(int v, Event e) {
        if (v >= INTRS) return;
        Interrupter i = intr[v];
        long erdp = i.erdp();
        if (erdp < i.erStart || erdp >= i.erStart + (long) Trb.SIZE * i.erSize) {
            die();
            return;
        }
        int dp = (int) ((erdp - i.erStart) / Trb.SIZE);
        if ((i.enqueue + 2) % i.erSize == dp) writeEvent(i, new Event(37, Trb.CC_EVENT_RING_FULL, 0, 0, 0, 0, 0));
        else if ((i.enqueue + 1) % i.erSize != dp) writeEvent(i, e); // else: full, the event is dropped
        intrRaise(v);
    }

    private void writeEvent(Interrupter i, Event e) {
        long addr = i.erStart + (long) Trb.SIZE * i.enqueue;
        if (!dmaOk(addr, Trb.SIZE)) {
            die();
        } else {
            memory.writeLong(addr, e.ptr());
            memory.writeInt(addr + 8, e.length() | e.ccode() << 24);
            memory.writeInt(addr + 12, e.slot() << 24 | e.epid() << 16 | e.flags() | e.type() << 10 | (i.pcs ? 1 : 0));
        }
        if (++i.enqueue >= i.erSize) {
            i.enqueue = 0;
            i.pcs = !i.pcs;
        }
    }

    private void eventRingReset(Interrupter i) {
        long erstba = i.erstba();
        if (i.erstsz == 0 || erstba == 0) {
            i.erStart = 0;
            i.erSize = 0;
            return;
        }
        if (i.erstsz != 1) {
            die();
            return;
        }
        int[] seg = readDwords(erstba, 4);
        if (seg == null) {
            die();
            return;
        }
        if (seg[2] < 16 || seg[2] > 4096) {
            die();
            return;
        }
        i.erStart = (seg[0] & 0xFFFF_FFFFL) | (long) seg[1] << 32;
        i.erSize = seg[2];
        i.enqueue = 0;
        i.pcs = true;
    }

    private void intrRaise(int v) {
        Interrupter i = intr[v];
        boolean pending = (i.erdpLow & Interrupter.ERDP_EHB) != 0;
        i.erdpLow |= Interrupter.ERDP_EHB;
        i.iman |= Interrupter.IMAN_IP;
        usbsts |= STS_EINT;
        if (pending || (i.iman & Interrupter.IMAN_IE) == 0 || (usbcmd & CMD_INTE) == 0) return;
        if (signal(v, true)) i.iman &= ~Interrupter.IMAN_IP;
    }

    private void intrUpdate(int v) {
        if (v != 0) return;
        Interrupter i = intr[0];
        boolean level = (i.iman & Interrupter.IMAN_IP) != 0 && (i.iman & Interrupter.IMAN_IE) != 0 && (usbcmd & CMD_INTE) != 0;
        if (signal(0, level)) i.iman &= ~Interrupter.IMAN_IP;
    }

    /** QEMU's xhci_pci_intr_raise: INTA for interrupter 0 without MSI-X; an MSI-X message when enabled and raised. */
    private boolean signal(int v, boolean level) {
        if (v == 0 && !msix.enabled()) config.setIntx(level);
        if (msix.enabled() && level) {
            msix.signal(v);
            return true;
        }
        return false;
    }

    // ---- doorbells and commands ----

    private void doorbell(int reg, int v) {
        if ((usbsts & STS_HCH) != 0) return;
        if (reg == 0) {
            if (v == 0) processCommands();
            return;
        }
        int epid = v & 0xff;
        if (reg > SLOTS || epid == 0 || epid > 31) return;
        kick(reg, epid);
    }

    /** QEMU's xhci_ring_fetch: the next non-link TRB (following links), or null when the ring is empty or unreadable. */
    private Trb fetch(long[] dequeue, boolean[] ccs) {
        for (int links = 0; links <= LINK_LIMIT; links++) {
            Trb t = readTrb(dequeue[0], ccs[0]);
            if (t == null || ((t.control() & Trb.C) != 0) != ccs[0]) return null;
            if (t.type() != Trb.LINK) {
                dequeue[0] += Trb.SIZE;
                return t;
            }
            dequeue[0] = t.parameter() & ~0xfL;
            if ((t.control() & Trb.LINK_TC) != 0) ccs[0] = !ccs[0];
        }
        return null;
    }

    private void processCommands() {
        if ((usbsts & STS_HCH) != 0) return;
        crcrLow |= CRCR_CRR;
        long[] deq = {cmdDequeue};
        boolean[] ccs = {cmdCcs};
        for (int count = 0; ; count++) {
            Trb t = fetch(deq, ccs);
            cmdDequeue = deq[0];
            cmdCcs = ccs[0];
            if (t == null) return;
            int slot = 0, cc;
            switch (t.type()) {
                case Trb.ENABLE_SLOT -> {
                    int free = 0;
                    while (free < SLOTS && slots[free].enabled) free++;
                    if (free == SLOTS) cc = Trb.CC_NO_SLOTS;
                    else {
                        slot = free + 1;
                        Slot s = slots[free];
                        s.enabled = true;
                        s.port = 0;
                        java.util.Arrays.fill(s.eps, null);
                        cc = Trb.CC_SUCCESS;
                    }
                }
                case Trb.DISABLE_SLOT, Trb.ADDRESS_DEVICE, Trb.CONFIGURE_ENDPOINT, Trb.EVALUATE_CONTEXT, Trb.STOP_ENDPOINT,
                        Trb.RESET_ENDPOINT, Trb.SET_TR_DEQUEUE, Trb.RESET_DEVICE -> {
                    int id = t.slotId();
                    if (id < 1 || id > SLOTS) cc = Trb.CC_TRB_ERROR;
                    else if (!slots[id - 1].enabled) cc = Trb.CC_SLOT_NOT_ENABLED;
                    else {
                        slot = id;
                        cc = slotCommand(t, id);
                    }
                }
                case Trb.GET_PORT_BANDWIDTH -> cc = portBandwidth(t.parameter() & ~0xfL);
                case Trb.NOOP -> cc = Trb.CC_SUCCESS;
                default -> cc = Trb.CC_TRB_ERROR;
            }
            event(0, new Event(Trb.COMMAND_COMPLETE, cc, t.address(), 0, slot, 0, 0));
            if (count > COMMAND_LIMIT) return;
        }
    }

    private int slotCommand(Trb t, int id) {
        int epid = t.endpointId();
        return switch (t.type()) {
            case Trb.DISABLE_SLOT -> { disableSlot(id); yield Trb.CC_SUCCESS; }
            case Trb.ADDRESS_DEVICE -> addressSlot(id, t.parameter() & ~0xfL, (t.control() & Trb.BSR_DC) != 0);
            case Trb.CONFIGURE_ENDPOINT -> configureSlot(id, t.parameter() & ~0xfL, (t.control() & Trb.BSR_DC) != 0);
            case Trb.EVALUATE_CONTEXT -> evaluateSlot(id, t.parameter() & ~0xfL);
            case Trb.STOP_ENDPOINT -> stopEndpoint(id, epid);
            case Trb.RESET_ENDPOINT -> resetEndpoint(id, epid);
            case Trb.SET_TR_DEQUEUE -> setDequeue(id, epid, t.parameter());
            default -> resetSlot(id);
        };
    }

    private int portBandwidth(long ctx) {
        if (!dmaOk(ctx, 1 + ports.length)) return Trb.CC_TRB_ERROR;
        memory.writeByte(ctx, (byte) 0);
        for (int i = 0; i < ports.length; i++) memory.writeByte(ctx + 1 + i, (byte) 80);
        return Trb.CC_SUCCESS;
    }

    private long dcbaap() { return (dcbaapLow & 0xFFFF_FFFFL) | (long) dcbaapHigh << 32; }

    private void disableSlot(int id) {
        Slot s = slots[id - 1];
        for (int e = 1; e <= 31; e++) if (s.eps[e - 1] != null) disableEndpoint(id, e);
        s.enabled = s.addressed = false;
        s.port = 0;
        s.intr = 0;
    }

    private void disableEndpoint(int id, int epid) {
        Slot s = slots[id - 1];
        Endpoint ep = s.eps[epid - 1];
        if (ep == null) return;
        ep.retry = null;
        if (dcbaapLow != 0 || dcbaapHigh != 0) setEpState(ep, Endpoint.DISABLED);
        s.eps[epid - 1] = null;
    }

    /** QEMU's xhci_set_ep_state: the context's state and dequeue pointer written back. */
    private void setEpState(Endpoint ep, int state) {
        int[] ctx = readDwords(ep.context, 5);
        if (ctx == null) {
            die();
            return;
        }
        ctx[0] = (ctx[0] & ~7) | state;
        ctx[2] = (int) ep.dequeue | (ep.ccs ? 1 : 0);
        ctx[3] = (int) (ep.dequeue >>> 32);
        writeDwords(ep.context, ctx);
        ep.state = state;
    }

    private Endpoint enableEndpoint(int id, int epid, long pctx, int[] ctx) {
        Slot s = slots[id - 1];
        if (s.eps[epid - 1] != null) disableEndpoint(id, epid);
        Endpoint ep = new Endpoint(epid);
        ep.type = (ctx[1] >> 3) & 7;
        ep.context = pctx;
        ep.maxPacket = (ctx[1] >>> 16) * (1 + ((ctx[1] >> 8) & 0xff));
        ep.dequeue = (ctx[2] & ~0xfL & 0xFFFF_FFFFL) | (long) ctx[3] << 32;
        ep.ccs = (ctx[2] & 1) != 0;
        ep.state = Endpoint.RUNNING;
        ctx[0] = (ctx[0] & ~7) | Endpoint.RUNNING;
        s.eps[epid - 1] = ep;
        return ep;
    }

    /** The root port a slot context names (its route string must be empty: no hubs here), or -1. */
    private int lookupPort(int[] slotCtx) {
        int port = (slotCtx[1] >>> 16) & 0xff;
        if (port < 1 || port > ports.length || (slotCtx[0] & 0xfffff) != 0) return -1;
        return port;
    }

    private int addressSlot(int id, long ictx, boolean bsr) {
        long dcbaa = dcbaap();
        if (!dmaOk(dcbaa + 8L * id, 8)) {
            guestErrors++;
            return Trb.CC_TRB_ERROR;
        }
        long octx = memory.readLong(dcbaa + 8L * id) & ~0xfL;
        int[] ictl = readDwords(ictx, 2);
        if (ictl == null || ictl[0] != 0 || ictl[1] != 3) return Trb.CC_TRB_ERROR;
        int[] slotCtx = readDwords(ictx + 32, 4), ep0 = readDwords(ictx + 64, 5);
        if (slotCtx == null || ep0 == null) return Trb.CC_TRB_ERROR;
        int portNo = lookupPort(slotCtx);
        // the lookup is by the USB port's path, which only ports with a device have in QEMU's bus
        if (portNo < 0 || !hasDevice(ports[portNo - 1])) return portNo < 0 || ports[portNo - 1].usb3 ? Trb.CC_TRB_ERROR : Trb.CC_TRB_ERROR;
        Port p = ports[portNo - 1];
        for (int i = 0; i < SLOTS; i++) if (i != id - 1 && slots[i].port == portNo) return Trb.CC_TRB_ERROR;
        if (!dmaOk(octx, 64) ) {
            guestErrors++;
            return Trb.CC_TRB_ERROR;
        }
        Slot s = slots[id - 1];
        s.port = portNo;
        s.context = octx;
        s.intr = (slotCtx[2] >>> 22) & 0x3ff;
        p.device.reset();
        if (bsr) slotCtx[3] = 1 << 27;
        else {
            slotCtx[3] = 2 << 27 | id;
            p.device.control(0, 5, id, 0, 0, new byte[1]);
        }
        enableEndpoint(id, 1, octx + 32, ep0);
        writeDwords(octx, slotCtx);
        writeDwords(octx + 32, ep0);
        s.addressed = true;
        return Trb.CC_SUCCESS;
    }

    private int configureSlot(int id, long ictx, boolean dc) {
        Slot s = slots[id - 1];
        long octx = s.context;
        if (dc) {
            for (int e = 2; e <= 31; e++) if (s.eps[e - 1] != null) disableEndpoint(id, e);
            int[] sc = readDwords(octx, 4);
            if (sc == null) return Trb.CC_TRB_ERROR;
            sc[3] = (sc[3] & ~(0x1f << 27)) | 2 << 27;
            writeDwords(octx, sc);
            return Trb.CC_SUCCESS;
        }
        int[] ictl = readDwords(ictx, 2);
        if (ictl == null || (ictl[0] & 3) != 0 || (ictl[1] & 3) != 1) return Trb.CC_TRB_ERROR;
        int[] islot = readDwords(ictx + 32, 4), sc = readDwords(octx, 4);
        if (islot == null || sc == null) return Trb.CC_TRB_ERROR;
        if (((sc[3] >>> 27) & 0x1f) < 2) return Trb.CC_CONTEXT_STATE;
        for (int e = 2; e <= 31; e++) {
            if ((ictl[0] & (1 << e)) != 0) disableEndpoint(id, e);
            if ((ictl[1] & (1 << e)) != 0) {
                int[] ctx = readDwords(ictx + 32 + 32L * e, 5);
                if (ctx == null || !dmaOk(octx + 32L * e, 20)) return Trb.CC_TRB_ERROR;
                disableEndpoint(id, e);
                enableEndpoint(id, e, octx + 32L * e, ctx);
                writeDwords(octx + 32L * e, ctx);
            }
        }
        sc[3] = (sc[3] & ~(0x1f << 27)) | 3 << 27;
        sc[0] = (sc[0] & ~(0x1f << 27)) | (islot[0] & (0x1f << 27));
        writeDwords(octx, sc);
        return Trb.CC_SUCCESS;
    }

    private int evaluateSlot(int id, long ictx) {
        Slot s = slots[id - 1];
        long octx = s.context;
        int[] ictl = readDwords(ictx, 2);
        if (ictl == null || ictl[0] != 0 || (ictl[1] & ~3) != 0) return Trb.CC_TRB_ERROR;
        if ((ictl[1] & 1) != 0) {
            int[] islot = readDwords(ictx + 32, 4), sc = readDwords(octx, 4);
            if (islot == null || sc == null) return Trb.CC_TRB_ERROR;
            sc[1] = (sc[1] & ~0xffff) | (islot[1] & 0xffff);
            s.intr = (islot[2] >>> 22) & 0x3ff;
            sc[2] = (sc[2] & ~(0x3ff << 22)) | s.intr << 22;
            writeDwords(octx, sc);
        }
        if ((ictl[1] & 2) != 0) {
            int[] iep = readDwords(ictx + 64, 5), ep0 = readDwords(octx + 32, 5);
            if (iep == null || ep0 == null) return Trb.CC_TRB_ERROR;
            ep0[1] = (ep0[1] & 0xffff) | (iep[1] & 0xffff0000);
            writeDwords(octx + 32, ep0);
        }
        return Trb.CC_SUCCESS;
    }

    private int stopEndpoint(int id, int epid) {
        if (epid < 1 || epid > 31) return Trb.CC_TRB_ERROR;
        Endpoint ep = slots[id - 1].eps[epid - 1];
        if (ep == null) return Trb.CC_EP_NOT_ENABLED;
        if (ep.retry != null) { // QEMU reports the cancelled transfer as stopped
            List<Trb> x = ep.retry;
            ep.retry = null;
            report(id, ep, x, 0, Trb.CC_STOPPED);
        }
        setEpState(ep, Endpoint.STOPPED);
        return Trb.CC_SUCCESS;
    }

    private int resetEndpoint(int id, int epid) {
        if (epid < 1 || epid > 31) return Trb.CC_TRB_ERROR;
        Slot s = slots[id - 1];
        Endpoint ep = s.eps[epid - 1];
        if (ep == null) return Trb.CC_EP_NOT_ENABLED;
        if (ep.state != Endpoint.HALTED) return Trb.CC_CONTEXT_STATE;
        ep.retry = null;
        if (s.port == 0 || !hasDevice(ports[s.port - 1])) return Trb.CC_TRANSACTION_ERROR;
        setEpState(ep, Endpoint.STOPPED);
        return Trb.CC_SUCCESS;
    }

    private int setDequeue(int id, int epid, long param) {
        if (epid < 1 || epid > 31) return Trb.CC_TRB_ERROR;
        Endpoint ep = slots[id - 1].eps[epid - 1];
        if (ep == null) return Trb.CC_EP_NOT_ENABLED;
        if (ep.state != Endpoint.STOPPED) return Trb.CC_CONTEXT_STATE;
        ep.dequeue = param & ~0xfL;
        ep.ccs = (param & 1) != 0;
        setEpState(ep, Endpoint.STOPPED);
        return Trb.CC_SUCCESS;
    }

    private int resetSlot(int id) {
        Slot s = slots[id - 1];
        for (int e = 2; e <= 31; e++) if (s.eps[e - 1] != null) disableEndpoint(id, e);
        int[] sc = readDwords(s.context, 4);
        if (sc == null) return Trb.CC_TRB_ERROR;
        sc[3] = (sc[3] & ~(0x1f << 27)) | 1 << 27;
        writeDwords(s.context, sc);
        return Trb.CC_SUCCESS;
    }

    // ---- transfers ----

    private void wakeup(UsbDevice device) {
        synchronized (this) {
            int id = device.address();
            if (id < 1 || id > SLOTS || !slots[id - 1].enabled) return;
            if ((usbsts & STS_HCH) != 0) return;
            kick(id, device.interruptEndpoint() * 2 + 1);
        }
    }

    private UsbDevice slotDevice(Slot s) {
        return s.port == 0 ? null : ports[s.port - 1].device;
    }

    /** QEMU's xhci_kick_epctx without streams or timed (interval) scheduling: every posted TD runs now. */
    private void kick(int id, int epid) {
        Slot s = slots[id - 1];
        if (!s.enabled) return;
        Endpoint ep = s.eps[epid - 1];
        if (ep == null) return;
        UsbDevice dev = slotDevice(s);
        if (dev == null) return;
        if (ep.retry != null) {
            List<Trb> x = ep.retry;
            int r = runTransfer(id, ep, dev, x);
            if (r == UsbDevice.NAK) return;
            ep.retry = null;
            if (ep.state != Endpoint.HALTED) setEpState(ep, ep.state);
        }
        if (ep.state == Endpoint.HALTED) return;
        setEpState(ep, Endpoint.RUNNING);
        if (ep.dequeue == 0) return;
        for (int count = 0; count <= TRANSFER_LIMIT; count++) {
            List<Trb> td = fetchTd(ep);
            if (td == null) return;
            int r = epid == 1 ? controlTransfer(id, ep, dev, td) : runTransfer(id, ep, dev, td);
            if (r == UsbDevice.NAK) {
                ep.retry = td;
                return;
            }
            if (ep.state != Endpoint.HALTED) setEpState(ep, ep.state);
            if (ep.state == Endpoint.HALTED || (usbsts & STS_HCE) != 0) return;
        }
    }

    /** The next TD (QEMU's xhci_ring_chain_length, then the fetches), or null when none is complete on the ring. */
    private List<Trb> fetchTd(Endpoint ep) {
        long[] deq = {ep.dequeue};
        boolean[] ccs = {ep.ccs};
        List<Trb> td = new ArrayList<>();
        boolean controlSet = false;
        while (td.size() < LINK_LIMIT * 65536 / Trb.SIZE) {
            Trb t = fetch(deq, ccs);
            if (t == null) return null;
            td.add(t);
            if (t.type() == Trb.SETUP) controlSet = true;
            else if (t.type() == Trb.STATUS) controlSet = false;
            if (!controlSet && (t.control() & Trb.CH) == 0) {
                ep.dequeue = deq[0];
                ep.ccs = ccs[0];
                return td;
            }
        }
        die();
        return null;
    }

    /** The data TRBs' buffers (immediate data: the TRB itself), or null when one is bad (QEMU: xhci_die). */
    private List<long[]> buffers(List<Trb> td, boolean in) {
        List<long[]> out = new ArrayList<>();
        for (Trb t : td) {
            int type = t.type();
            if (type == Trb.DATA && ((t.control() & Trb.DIR_IN) != 0) != in) return null;
            if (type == Trb.DATA || type == Trb.NORMAL || type == Trb.ISOCH) {
                long len = t.length();
                if ((t.control() & Trb.IDT) != 0) {
                    if (len > 8 || in) return null;
                    out.add(new long[] {t.address(), len});
                } else {
                    long addr = t.parameter();
                    if (!dmaOk(addr, len)) return null;
                    out.add(new long[] {addr, len});
                }
            }
        }
        return out;
    }

    private static int total(List<long[]> bufs) {
        long n = 0;
        for (long[] b : bufs) n += b[1];
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    private void copyOut(List<long[]> bufs, byte[] data, int len) {
        int done = 0;
        for (long[] b : bufs) {
            int n = (int) Math.min(b[1], len - done);
            if (n <= 0) break;
            memory.write(b[0], data, done, n);
            done += n;
        }
    }

    private void copyIn(List<long[]> bufs, byte[] data, int len) {
        int done = 0;
        for (long[] b : bufs) {
            int n = (int) Math.min(b[1], len - done);
            if (n <= 0) break;
            memory.read(b[0], data, done, n);
            done += n;
        }
    }

    /** QEMU's xhci_fire_ctl_transfer through the device's do_parameter. */
    private int controlTransfer(int id, Endpoint ep, UsbDevice dev, List<Trb> td) {
        Trb setup = td.get(0), status = td.get(td.size() - 1);
        if (status.type() == Trb.EVENT_DATA && td.size() > 2) status = td.get(td.size() - 2);
        if (setup.type() != Trb.SETUP || status.type() != Trb.STATUS || (setup.control() & Trb.IDT) == 0 || setup.length() != 8) {
            guestErrors++;
            return 0; // QEMU drops the TD
        }
        long p = setup.parameter();
        int type = (int) p & 0xff, req = (int) (p >> 8) & 0xff, value = (int) (p >> 16) & 0xffff, index = (int) (p >> 32) & 0xffff;
        int length = (int) (p >>> 48) & 0xffff;
        boolean in = (type & 0x80) != 0;
        List<long[]> bufs = buffers(td, in);
        if (bufs == null) {
            die();
            return 0;
        }
        int actual;
        int cc;
        if (length > CONTROL_BUFFER) {
            cc = Trb.CC_STALL;
            actual = 0;
        } else {
            byte[] data = new byte[CONTROL_BUFFER];
            int room = Math.min(length, total(bufs));
            if (!in) copyIn(bufs, data, room);
            int r = dev.control(type, req, value, index, length, data);
            if (r == UsbDevice.STALL) {
                cc = Trb.CC_STALL;
                actual = in ? 0 : room; // QEMU has copied the OUT data into the packet before the device refuses it
            } else {
                cc = Trb.CC_SUCCESS;
                actual = in ? Math.min(Math.min(r, length), total(bufs)) : (r < 0 ? room : Math.min(r, room));
                if (in) copyOut(bufs, data, actual);
            }
        }
        complete(id, ep, td, actual, cc);
        return 0;
    }

    /** An interrupt IN transfer (other endpoint types stall: the HID devices have none). */
    private int runTransfer(int id, Endpoint ep, UsbDevice dev, List<Trb> td) {
        boolean in = (ep.type >> 2) != 0;
        List<long[]> bufs = buffers(td, in);
        if (bufs == null) {
            die();
            return 0;
        }
        if (ep.type != Endpoint.TYPE_INTR_IN || ep.epid != dev.interruptEndpoint() * 2 + 1) {
            complete(id, ep, td, 0, Trb.CC_STALL);
            return 0;
        }
        int size = Math.min(total(bufs), CONTROL_BUFFER);
        byte[] buf = new byte[size];
        int r = dev.dataIn(dev.interruptEndpoint(), buf, size);
        if (r == UsbDevice.NAK) return r;
        if (r == UsbDevice.STALL) complete(id, ep, td, 0, Trb.CC_STALL);
        else {
            copyOut(bufs, buf, r);
            complete(id, ep, td, r, Trb.CC_SUCCESS);
        }
        return 0;
    }

    /** Events for a finished TD, and a halt after an error (QEMU's xhci_try_complete_packet and xhci_stall_ep). */
    private void complete(int id, Endpoint ep, List<Trb> td, int actual, int status) {
        report(id, ep, td, actual, status);
        if (status != Trb.CC_SUCCESS) {
            ep.dequeue = td.get(0).address();
            ep.ccs = td.get(0).ccs();
            setEpState(ep, Endpoint.HALTED);
        }
    }

    /** QEMU's xhci_xfer_report: an event for each TRB with IOC, a short one with ISP, or the error. */
    private void report(int id, Endpoint ep, List<Trb> td, int actual, int status) {
        long left = actual, edtla = 0;
        boolean reported = false, shortPacket = false;
        for (Trb t : td) {
            long chunk = 0;
            switch (t.type()) {
                case Trb.SETUP -> chunk = Math.min(8, t.length());
                case Trb.DATA, Trb.NORMAL, Trb.ISOCH -> {
                    chunk = t.length();
                    if (chunk > left) {
                        chunk = left;
                        if (status == Trb.CC_SUCCESS) shortPacket = true;
                    }
                    left -= chunk;
                    edtla += chunk;
                }
                case Trb.STATUS -> {
                    reported = false;
                    shortPacket = false;
                }
                default -> { }
            }
            if (!reported && ((t.control() & Trb.IOC) != 0 || (shortPacket && (t.control() & Trb.ISP) != 0)
                    || (status != Trb.CC_SUCCESS && left == 0))) {
                int cc = status == Trb.CC_SUCCESS ? (shortPacket ? Trb.CC_SHORT_PACKET : Trb.CC_SUCCESS) : status;
                long ptr = t.address();
                int length = (int) (t.length() - chunk), flags = 0;
                if (t.type() == Trb.EVENT_DATA) {
                    ptr = t.parameter();
                    flags = 1 << 2;
                    length = (int) (edtla & 0xffffff);
                    edtla = 0;
                }
                event(t.interrupter(), new Event(Trb.TRANSFER_EVENT, cc, ptr, length, id, ep.epid, flags));
                reported = true;
                if (status != Trb.CC_SUCCESS) return;
            }
            if (t.type() == Trb.SETUP) {
                reported = false;
                shortPacket = false;
            }
        }
    }

    // ---- state ----

    @Override
    public synchronized void saveState(DataOutput out) throws IOException {
        config.saveState(out);
        msix.saveState(out);
        out.writeByte(ports2);
        for (int v : new int[] {usbcmd, usbsts, dnctrl, crcrLow, crcrHigh, dcbaapLow, dcbaapHigh, configReg}) out.writeInt(v);
        out.writeLong(cmdDequeue);
        out.writeBoolean(cmdCcs);
        for (Port p : ports) out.writeInt(p.portsc);
        for (Interrupter i : intr) i.save(out);
        for (Slot s : slots) {
            out.writeBoolean(s.enabled);
            out.writeBoolean(s.addressed);
            out.writeLong(s.context);
            out.writeByte(s.port);
            out.writeShort(s.intr);
            int n = 0;
            for (Endpoint e : s.eps) if (e != null) n++;
            out.writeByte(n);
            for (Endpoint e : s.eps) if (e != null) e.save(out);
        }
        for (Port p : ports) if (p.device != null) p.device.saveState(out);
    }

    @Override
    public synchronized void loadState(DataInput in) throws IOException {
        config.loadState(in);
        msix.loadState(in);
        int p2 = in.readUnsignedByte();
        if (p2 != ports2) throw new IOException("xhci: state of a controller with " + p2 + " ports, this one has " + ports2);
        usbcmd = in.readInt();
        usbsts = in.readInt();
        dnctrl = in.readInt();
        crcrLow = in.readInt();
        crcrHigh = in.readInt();
        dcbaapLow = in.readInt();
        dcbaapHigh = in.readInt();
        configReg = in.readInt();
        cmdDequeue = in.readLong();
        cmdCcs = in.readBoolean();
        for (Port p : ports) p.portsc = in.readInt();
        for (Interrupter i : intr) i.load(in);
        for (Slot s : slots) {
            s.enabled = in.readBoolean();
            s.addressed = in.readBoolean();
            s.context = in.readLong();
            int port = in.readUnsignedByte();
            if (port > ports.length) throw new IOException("xhci: slot on port " + port);
            s.port = port;
            s.intr = in.readUnsignedShort() & 0x3ff;
            java.util.Arrays.fill(s.eps, null);
            int n = in.readUnsignedByte();
            if (n > 31) throw new IOException("xhci: " + n + " endpoints");
            for (int k = 0; k < n; k++) {
                Endpoint e = Endpoint.load(in);
                s.eps[e.epid - 1] = e;
            }
        }
        for (Port p : ports) if (p.device != null) p.device.loadState(in);
        mfindexStart = System.nanoTime();
    }
}
