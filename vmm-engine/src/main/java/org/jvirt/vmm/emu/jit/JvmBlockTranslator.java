package org.jvirt.vmm.emu.jit;

import org.jvirt.vmm.emu.cpu.BlockShape;
import org.jvirt.vmm.emu.cpu.BlockTranslator;
import org.jvirt.vmm.emu.cpu.CompiledBlock;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicLong;

import static org.objectweb.asm.Opcodes.*;

/**
 * Translates hot code blocks to JVM bytecode: one hidden class per block (unloadable once the
 * block is rebuilt and nothing refers to it), whose {@code run} HotSpot then compiles like any
 * other method. See {@link BlockEmitter} for what is inline and what goes back to the
 * interpreter. Blocks of which less than half (or fewer than two instructions) would be inline are
 * declined: they stay interpreted, since each class costs HotSpot a compile. Thread-safe:
 * one instance may serve every vCPU.
 */
public final class JvmBlockTranslator implements BlockTranslator {
    static final String BASE = "org/jvirt/vmm/emu/cpu/CompiledBlock";
    static final String CPU = "org/jvirt/vmm/emu/cpu/X86Cpu";
    static final String STATE = "org/jvirt/vmm/emu/cpu/CpuState";
    private static final String NAME = "org/jvirt/vmm/emu/jit/TranslatedBlock";

    /** Hot-block threshold the emulator's vCPUs use: blocks that ran this often interpreted are translated. */
    public static final int DEFAULT_RUNS_BEFORE = Integer.getInteger("jvirt.emu.jit.after", 2000);

    private final MethodHandles.Lookup lookup = MethodHandles.lookup();
    private final AtomicLong translated = new AtomicLong();

    /** Whether the emulator should translate (system property jvirt.emu.jit, default true: off only for comparisons). */
    public static boolean enabled() {
        return !"false".equals(System.getProperty("jvirt.emu.jit"));
    }

    @Override
    public CompiledBlock translate(BlockShape block) {
        int inline = 0;
        for (int k = 0; k < block.count(); k++) if (BlockEmitter.inline(block.kind(k), block.flagsLive(k))) inline++;
        if (inline < 2 || 2 * inline < block.count()) return null; // mostly interpreter steps: not worth a compile
        try {
            MethodHandles.Lookup hidden = lookup.defineHiddenClass(classBytes(block), true);
            CompiledBlock c = (CompiledBlock) hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class)).invoke();
            translated.incrementAndGet();
            return c;
        } catch (Throwable e) {
            throw new IllegalStateException("block translation failed", e); // a bug in the emitter: never a guest's doing
        }
    }

    /** Blocks translated so far. */
    public long translatedBlocks() { return translated.get(); }

    static byte[] classBytes(BlockShape block) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) { return "java/lang/Object"; } // only our own types meet
        };
        cw.visit(V17, ACC_FINAL | ACC_SUPER, NAME, null, BASE, null);
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, BASE, "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor run = cw.visitMethod(ACC_PUBLIC, "run", "(L" + CPU + ";[JL" + STATE + ";)I", null, null);
        run.visitCode();
        new BlockEmitter(run, block).emit();
        run.visitMaxs(0, 0);
        run.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
