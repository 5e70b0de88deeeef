package org.jvirt.vmm.cpu;

/** A snapshot of the main x86 registers. */
public record CpuRegisters(long rax, long rbx, long rcx, long rdx, long rsi, long rdi, long rsp, long rbp,
                           long rip, long rflags, long cr0, long cr3, long cr4, long efer, int cs, long csBase) {

    @Override
    public String toString() {
        return String.format("RIP=%016x RFLAGS=%08x CS=%04x(base %x) CR0=%x CR3=%x CR4=%x EFER=%x "
                        + "RAX=%x RBX=%x RCX=%x RDX=%x RSI=%x RDI=%x RSP=%x RBP=%x",
                rip, rflags, cs, csBase, cr0, cr3, cr4, efer, rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp);
    }
}
