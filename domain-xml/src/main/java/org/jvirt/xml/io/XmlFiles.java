package org.jvirt.xml.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Reads an XML file as virsh does (virFileReadAll with a 10 MiB limit): never more than the
 * limit plus one byte is held, whatever the file claims its size is (/dev/zero claims 0), and
 * failures carry strerror's words. Bytes that are not UTF-8 are kept (see {@link SurrogateEscape})
 * for the XML reader to refuse.
 */
public final class XmlFiles {

    private XmlFiles() { }

    public static String read(Path file, XmlLimits limits) throws XmlFileReadException {
        if (Files.isDirectory(file)) throw new XmlFileReadException(false, "Is a directory");
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (IOException e) {
            throw new XmlFileReadException(true, reason(e));
        }
        try (in) {
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxBytes() + 1));
            if (data.length > limits.maxBytes())
                throw new XmlFileReadException(false, "Value too large for defined data type");
            int start = data.length >= 3 && (data[0] & 0xff) == 0xEF && (data[1] & 0xff) == 0xBB
                    && (data[2] & 0xff) == 0xBF ? 3 : 0;
            return SurrogateEscape.decode(data, start, data.length - start);
        } catch (XmlFileReadException e) {
            throw e;
        } catch (IOException e) {
            throw new XmlFileReadException(false, reason(e));
        }
    }

    /** strerror's words for the JDK's exception. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "No such file or directory";
        if (e instanceof AccessDeniedException) return "Permission denied";
        if (e instanceof NotDirectoryException) return "Not a directory";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.replaceFirst("^.*?: ", "").replaceFirst(" \\(.*\\)$", "");
    }
}
