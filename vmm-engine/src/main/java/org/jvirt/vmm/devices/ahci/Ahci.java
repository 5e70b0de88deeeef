package org.jvirt.vmm.devices.ahci;

/** Register offsets and bits of AHCI 1.3, and the FIS and command structures it moves (SATA 1.0). */
final class Ahci {
    private Ahci() { }

    // Generic host control (ABAR offsets).
    static final int CAP = 0x00, GHC = 0x04, IS = 0x08, PI = 0x0C, VS = 0x10, CAP2 = 0x24;
    /** The generic host control block ends here (CAP..BOHC); the ports start at 0x100, 0x80 apart. */
    static final int HOST_REGS_END = 0x2C, PORTS_BASE = 0x100, PORT_STRIDE = 0x80;

    static final int GHC_HR = 1, GHC_IE = 2, GHC_AE = 1 << 31;
    static final int VERSION_1_0 = 0x0001_0000;

    // Port registers (offsets inside a port's 0x80 bytes).
    static final int PxCLB = 0x00, PxCLBU = 0x04, PxFB = 0x08, PxFBU = 0x0C, PxIS = 0x10, PxIE = 0x14, PxCMD = 0x18,
            PxTFD = 0x20, PxSIG = 0x24, PxSSTS = 0x28, PxSCTL = 0x2C, PxSERR = 0x30, PxSACT = 0x34, PxCI = 0x38;

    // PxCMD.
    static final int CMD_ST = 1, CMD_SUD = 1 << 1, CMD_POD = 1 << 2, CMD_FRE = 1 << 4, CMD_FR = 1 << 14, CMD_CR = 1 << 15;
    /** Read-only bits of PxCMD (QEMU's mask: CCS, MPSS, FR, CR, CPS and the capability bits). */
    static final int CMD_RO_MASK = 0x007D_FFE0;
    /** ICC: no interface power states, written bits read back as 0. */
    static final int CMD_ICC_MASK = 0xF000_0000;

    // PxIS / PxIE.
    static final int IS_DHRS = 1, IS_PSS = 1 << 1, IS_HBFS = 1 << 29, IS_TFES = 1 << 30;
    /** The interrupt enable bits that exist (QEMU's mask). */
    static final int IE_MASK = 0xFDC0_00FF;

    /** PxSSTS with a device: present, PHY up (DET 3), Gen1 speed, active. */
    static final int SSTS_DEVICE = 0x113;
    /** PxTFD and PxSIG after a port reset, before the device's first D2H FIS. */
    static final int TFD_RESET = 0x7F, SIG_RESET = 0xFFFF_FFFF;
    static final int SCTL_DET = 0x0F;
    /** The registers of an absent drive after a reset, as PxSIG: LBA high/mid 0xFF, low and count 1. */
    static final int ABSENT_SIGNATURE = 0xFFFF_0101;

    // Received-FIS area (256 bytes at PxFB).
    static final int RFIS_SIZE = 256, RFIS_PIO_SETUP = 0x20, RFIS_D2H = 0x40;
    // Command list (PxCLB): 32 headers of 32 bytes.
    static final int COMMAND_LIST_SIZE = 1024, HEADER_SIZE = 32, SLOTS = 32;
    static final int HEADER_ATAPI = 1 << 5;
    // Command table: the command FIS, the ATAPI command at 0x40, the PRDT at 0x80.
    static final int TABLE_ACMD = 0x40, TABLE_PRDT = 0x80, ACMD_SIZE = 16;

    static final int FIS_REGISTER_H2D = 0x27, FIS_REGISTER_D2H = 0x34, FIS_PIO_SETUP = 0x5F;
    static final int FIS_H2D_COMMAND = 0x80, FIS_INTERRUPT = 0x40;
    /** SRST in the device control byte (15) of a control FIS. */
    static final int CONTROL_SRST = 0x04;
    /** D2H FIS and PIO Setup FIS length in bytes. */
    static final int FIS_D2H_SIZE = 20;
}
