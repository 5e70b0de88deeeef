package org.jvirt.driver.jvirt.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.jvirt.driver.jvirt.FileBlocks;
import org.jvirt.driver.objxml.PoolDef;
import org.jvirt.driver.objxml.XmlOut;

/**
 * One volume of a dir pool as libvirt's refresh sees its file (virStorageBackendUpdateVolTargetInfo):
 * capacity from the image header (raw: the file's size), allocation st_blocks * 512, physical
 * the file's size, permissions and timestamps from stat; written as virStorageVolDefFormat does.
 */
record VolumeFile(Path path, ImageProbe image, long allocation, long physical, PoolDef.Permissions perms,
                  FileTime atime, FileTime mtime, FileTime ctime) {

    static VolumeFile of(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:size,mode,uid,gid,lastAccessTime,lastModifiedTime,ctime");
        long size = (Long) a.get("size");
        long blocks = FileBlocks.allocated(path.toString());
        PoolDef.Permissions perms = new PoolDef.Permissions((Integer) a.get("mode") & 07777,
                (Integer) a.get("uid"), (Integer) a.get("gid"));
        return new VolumeFile(path, ImageProbe.of(path), blocks < 0 ? size : blocks, size, perms,
                (FileTime) a.get("lastAccessTime"), (FileTime) a.get("lastModifiedTime"), (FileTime) a.get("ctime"));
    }

    String name() { return path.getFileName().toString(); }

    long capacity() { return image.capacity(); }

    /** The backing file as libvirt resolves it: a relative name is relative to the image's directory. */
    Path backing() {
        return image.backingName() == null ? null : path.getParent().resolve(image.backingName());
    }

    String xml() {
        XmlOut o = new XmlOut();
        o.open("volume type='file'");
        o.element("name", name());
        o.element("key", path.toString());
        o.line("<capacity unit='bytes'>" + capacity() + "</capacity>");
        o.line("<allocation unit='bytes'>" + allocation + "</allocation>");
        o.line("<physical unit='bytes'>" + physical + "</physical>");
        o.open("target");
        fileInfo(o, image.format());
        if (image.format().equals("qcow2")) {
            // libvirt reads features (and so names compat 1.1) from version 3 headers only
            if (image.version() >= 3) o.element("compat", "1.1");
            o.line("<clusterSize unit='B'>" + image.clusterSize() + "</clusterSize>");
            if (image.version() >= 3) o.line("<features/>");
        }
        o.close("target");
        Path backing = backing();
        if (backing != null) {
            o.open("backingStore");
            String format = image.backingFormat() == null ? "raw" : image.backingFormat();
            try {
                VolumeFile b = of(backing);
                b.fileInfo(o, format);
            } catch (IOException e) {
                o.element("path", backing.toString());
                o.line("<format type='" + XmlOut.escape(format) + "'/>");
            }
            o.close("backingStore");
        }
        o.close("volume");
        return o.toString();
    }

    /** path, format, permissions and timestamps: what target and backingStore both hold. */
    private void fileInfo(XmlOut o, String format) {
        o.element("path", path.toString());
        o.line("<format type='" + XmlOut.escape(format) + "'/>");
        perms.format(o);
        o.open("timestamps");
        o.element("atime", stamp(atime));
        o.element("mtime", stamp(mtime));
        o.element("ctime", stamp(ctime));
        o.element("btime", "0");
        o.close("timestamps");
    }

    private static String stamp(FileTime t) {
        java.time.Instant i = t.toInstant();
        return i.getEpochSecond() + "." + String.format("%09d", i.getNano());
    }
}
