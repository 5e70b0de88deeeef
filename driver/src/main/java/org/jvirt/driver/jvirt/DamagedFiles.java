package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A config or status file that does not load is skipped, as libvirt's
 * virDomainObjListLoadAllConfigs skips it ("Failed to load config for domain 'NAME'"), so one
 * damaged file never breaks the other domains. libvirt logs it; with no daemon here, the
 * client that meets the file logs it: one line in libvirt's log format on its stderr (where an
 * embedded libvirt driver's log goes by default) and in {@code LOGDIR/jvirt-store.warnings}.
 * Each damaged file is reported once per process (until it changes), not on every lookup.
 */
final class DamagedFiles {

    /** A file name no domain log (NAME.log) can have. */
    static final String LOG_NAME = "jvirt-store.warnings";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSxx");
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private DamagedFiles() { }

    /** Reports that FILE (the config or status of domain NAME) does not load, and why. */
    static void skipped(JvirtPaths paths, String name, Path file, String reason) {
        String key;
        try {
            key = file + "\0" + Files.size(file) + "\0" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return; // gone meanwhile: nothing to report
        }
        if (!REPORTED.add(key)) return;
        String line = ZonedDateTime.now(ZoneOffset.UTC).format(TIME) + ": " + ProcessHandle.current().pid()
                + ": warning : Failed to load config for domain '" + name + "': " + file + ": " + firstLine(reason);
        System.err.println(line);
        try {
            Files.createDirectories(paths.logDir());
            Files.writeString(paths.logDir().resolve(LOG_NAME), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // stderr has it
        }
    }

    /** Why a file could not be read, in strerror's words where there are some. */
    static String reason(IOException e) {
        if (e instanceof java.nio.charset.CharacterCodingException) return "not valid UTF-8";
        if (e instanceof java.nio.file.AccessDeniedException) return "Permission denied";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String firstLine(String s) {
        if (s == null || s.isBlank()) return "unreadable";
        s = s.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
