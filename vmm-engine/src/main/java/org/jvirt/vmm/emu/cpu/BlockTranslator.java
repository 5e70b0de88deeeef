package org.jvirt.vmm.emu.cpu;

/**
 * The seam for compiling hot {@link CodeBlock}s: the CPU hands a block that has run often
 * enough ({@link X86Cpu#setBlockTranslator}) to the translator as a read-only
 * {@link BlockShape}, and runs the returned {@link CompiledBlock} instead of interpreting the
 * block from then on (until the block is rebuilt). Implementations live outside this package
 * (the JVM bytecode one is {@code org.jvirt.vmm.emu.jit}).
 */
public interface BlockTranslator {
    /** The compiled form of the block, or null to keep interpreting it. */
    CompiledBlock translate(BlockShape block);
}
