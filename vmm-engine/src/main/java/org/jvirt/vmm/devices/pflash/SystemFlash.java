package org.jvirt.vmm.devices.pflash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The pc machine's system flash (QEMU's pc_system_flash_map): units 0, 1, ... stacked
 * downwards from 4 GiB, unit 0 (OVMF_CODE) ending at 4 GiB - 1 and unit 1 (OVMF_VARS) right
 * below it; together at most 8 MiB (QEMU's limit, clear of the IOAPIC and LAPIC pages below).
 */
public final class SystemFlash implements AutoCloseable {
    public static final long TOP = 1L << 32;
    public static final int MAX_TOTAL = 8 << 20;

    /** One -drive if=pflash: its image and whether the guest may write it. */
    public record UnitSpec(Path path, boolean readOnly) { }

    /** A mapped unit: where it starts and its device. */
    public record Unit(long base, CfiFlash flash, Path path) { }

    private final List<Unit> units;
    private final List<FlashFile> files;

    private SystemFlash(List<Unit> units, List<FlashFile> files) {
        this.units = List.copyOf(units);
        this.files = files;
    }

    /** Reads the images and lays them out; IOException or IllegalArgumentException with one line naming the file. */
    public static SystemFlash open(List<UnitSpec> specs) throws IOException {
        if (specs.isEmpty()) throw new IllegalArgumentException("no flash units");
        List<Unit> units = new ArrayList<>();
        List<FlashFile> files = new ArrayList<>();
        long base = TOP;
        try {
            for (UnitSpec s : specs) {
                long size = sizeOf(s.path());
                if (size == 0 || size % CfiFlash.SECTOR != 0) {
                    throw new IllegalArgumentException("flash image " + s.path() + " is " + size
                            + " bytes: it must be a non-empty multiple of " + CfiFlash.SECTOR + " bytes");
                }
                if (TOP - base + size > MAX_TOTAL) {
                    throw new IllegalArgumentException("flash images " + specs.stream().map(u -> u.path().toString()).toList()
                            + " exceed " + (MAX_TOTAL >> 20) + " MiB together");
                }
                FlashFile file = null;
                byte[] bytes;
                try {
                    if (!s.readOnly()) files.add(file = FlashFile.open(s.path()));
                    bytes = Files.readAllBytes(s.path());
                } catch (IOException e) {
                    throw new IOException("cannot open flash image " + s.path() + ": " + reason(e), e);
                }
                if (bytes.length != size) throw new IOException("flash image " + s.path() + " changed while read");
                base -= size;
                units.add(new Unit(base, new CfiFlash(bytes, s.readOnly(), file), s.path()));
            }
        } catch (IOException | RuntimeException e) {
            for (FlashFile f : files) f.close();
            throw e;
        }
        return new SystemFlash(units, files);
    }

    private static long sizeOf(Path p) throws IOException {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new IOException("cannot open flash image " + p + ": " + reason(e), e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "No such file or directory";
        if (e instanceof java.nio.file.AccessDeniedException) return "Permission denied";
        return e.getMessage();
    }

    public List<Unit> units() { return units; }

    /** Where unit 0 starts (the flash's lowest address is that of the last unit). */
    public long lowestBase() { return units.get(units.size() - 1).base(); }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (FlashFile f : files) {
            try {
                f.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }
}
