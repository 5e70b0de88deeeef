/*
 * PVH entry and the few CPL0 paths of every test guest.
 *
 * This machine's KVM emulates guest CPL0 code (~1.5 M instr/s) and cannot run
 * SSE/XSAVE/INT n there, so everything here is plain integer code, the page
 * tables are static data (no loop builds them) and the guest's work runs at CPL3.
 */
/* The GDT follows Linux's layout, which SYSRET and this host's KVM expect. */
#define KCODE32 0x08
#define KCODE64 0x10
#define KDATA   0x18
#define UCODE32 0x23
#define UDATA   0x2b
#define UCODE64 0x33
#define MSR_STAR 0xc0000081
#define STAR_VALUE_HI ((UCODE32 << 16) | KCODE64)

#define CR0_LONG 0x80000033   /* PG | NE | ET | MP | PE; clears CD/NW */
#define CR4_LONG 0x00000620   /* PAE | OSFXSR | OSXMMEXCPT */
#define MSR_EFER 0xc0000080
#define EFER_LME_SCE 0x101

#define KSTACK_SIZE 16384
#define USTACK_SIZE 65536

/* PVH: XEN_ELFNOTE_PHYS32_ENTRY (18): 32-bit physical entry point, like Linux. */
	.section .note.Xen, "a"
	.balign 4
	.long 4, 4, 18
	.asciz "Xen"
	.balign 4
	.long _start32

	.section .text.entry, "ax"
	.code32
	.globl _start32
_start32:
	/* EBX = struct hvm_start_info *, paging off, flat 32-bit segments */
	cli
	movl %ebx, pvh_start_info
	lgdt gdt_ptr
	movl $0, %esi              /* cpu index for long_mode_common */
	jmp long_mode_common

/* Shared by BSP and AP; ESI = cpu index. */
long_mode_common:
	movl $CR4_LONG, %eax
	movl %eax, %cr4
	movl $pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	movl $EFER_LME_SCE, %eax
	xorl %edx, %edx
	wrmsr
	movl $MSR_STAR, %ecx
	xorl %eax, %eax
	movl $STAR_VALUE_HI, %edx
	wrmsr
	movl $CR0_LONG, %eax
	movl %eax, %cr0
	ljmp $KCODE64, $start64

	.code64
start64:
	movl $KDATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	/* rsp = kstack top of this cpu */
	movl %esi, %eax
	incl %eax
	imull $KSTACK_SIZE, %eax
	leaq kstacks(%rax), %rsp
	testl %esi, %esi
	jnz 1f
	/* BSP only: clear .bss (kept small: big buffers live at fixed addresses) */
	leaq __bss_start(%rip), %rdi
	leaq __bss_end(%rip), %rcx
	subq %rdi, %rcx
	shrq $3, %rcx
	xorl %eax, %eax
	rep stosq
1:	movl %esi, %ebx            /* callee-saved across the C call */
	movl %esi, %edi
	call kernel_init           /* C, CPL0: IDT, TSS; returns user entry in rax */
	movl %ebx, %esi
	/* enter CPL3 on this cpu's user stack with IOPL=3 and IF=1 */
	movl %esi, %ecx
	incl %ecx
	imull $USTACK_SIZE, %ecx
	leaq ustacks(%rcx), %rdx
	movq %rax, %rcx            /* SYSRETQ: RIP = RCX, RFLAGS = R11 */
	movl %esi, %edi            /* arg: cpu index */
	movq $0x3202, %r11
	movq %rdx, %rsp
	sysretq

/*
 * AP trampoline: copied to AP_TRAMPOLINE (0x8000, SIPI vector 0x08) by the BSP.
 * Real mode -> protected mode -> long_mode_common with ESI = 1.
 */
	.code16
	.globl ap_trampoline, ap_trampoline_end
ap_trampoline:
	cli
	xorw %ax, %ax
	movw %ax, %ds
	lgdtl 0x8000 + (ap_gdt_ptr - ap_trampoline)
	movl %cr0, %eax
	orl $1, %eax
	movl %eax, %cr0
	ljmpl $KCODE32, $ap_start32
	.balign 8
ap_gdt_ptr:
	.word gdt_end - gdt - 1
	.long gdt
ap_trampoline_end:

	.code32
ap_start32:
	movl $KDATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl $1, %esi
	jmp long_mode_common

/*
 * Interrupt/exception stubs: vector v at isr_stubs + 16*v. Each pushes a dummy
 * error code where the CPU does not, then the vector.
 */
	.code64
	.balign 16
	.globl isr_stubs
isr_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	.if (vec == 8) || (vec == 10) || (vec == 11) || (vec == 12) || (vec == 13) || (vec == 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushq $0
	.endif
	pushq $vec
	jmp isr_common
	.set vec, vec + 1
	.endr

isr_common:
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	movq %rsp, %rdi
	call isr_dispatch
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rax
	addq $16, %rsp
	iretq

/* Static data: GDT and the identity map (0..4 GiB with 2 MiB pages, US set). */
	.section .data
	.balign 8
	.globl pvh_start_info
pvh_start_info:
	.quad 0
	.balign 16
	.globl gdt
gdt:
	.quad 0                          /* 0x00 */
	.quad 0x00cf9a000000ffff         /* 0x08 kernel code32 (entry, AP trampoline) */
	.quad 0x00af9a000000ffff         /* 0x10 kernel code64 */
	.quad 0x00cf92000000ffff         /* 0x18 kernel data (flat, also 32-bit) */
	.quad 0x00cffa000000ffff         /* 0x20 user code32 (sel 0x23, unused) */
	.quad 0x00cff2000000ffff         /* 0x28 user data (sel 0x2b) */
	.quad 0x00affa000000ffff         /* 0x30 user code64 (sel 0x33) */
	.quad 0                          /* 0x38 unused */
	.globl gdt_tss
gdt_tss:
	.quad 0, 0                       /* 0x40 TSS cpu0, filled by kernel_init */
	.quad 0, 0                       /* 0x50 TSS cpu1 */
gdt_end:
gdt_ptr:
	.word gdt_end - gdt - 1
	.quad gdt

	.section .data.pagetables, "aw"
	.balign 4096
pml4:
	.quad pdpt + 0x07
	.fill 511, 8, 0
pdpt:
	.quad pd + 0x0000 + 0x07
	.quad pd + 0x1000 + 0x07
	.quad pd + 0x2000 + 0x07
	.quad pd + 0x3000 + 0x07
	.fill 508, 8, 0
pd:
	/* P|RW|US|PS; the top GiB (MMIO: LAPIC, IOAPIC, PCI BARs) also PWT|PCD */
	.set pg, 0
	.rept 2048
	.if pg < 1536
	.quad (pg << 21) | 0x87
	.else
	.quad (pg << 21) | 0x9f
	.endif
	.set pg, pg + 1
	.endr

	.section .stacks, "aw", @nobits
	.balign 4096
	.globl kstacks, ustacks
kstacks:
	.skip KSTACK_SIZE * 2
ustacks:
	.skip USTACK_SIZE * 2
