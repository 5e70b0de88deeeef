package org.jvirt.vmm.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One character device of query-chardev. On the wire it is QMP's {"label", "filename"} with
 * QEMU's filename forms ("pty:/dev/pts/3", "unix:/path,server=on"); here it is typed (kind and
 * path), and this class is the only place that builds or reads those forms.
 */
@JsonPropertyOrder({"label", "filename"})
public record Chardev(@JsonIgnore String label, @JsonIgnore Kind kind, @JsonIgnore String path) {

    /** The backends jvirt-vmm serves COM1 through. */
    public enum Kind { PTY, UNIX, OTHER }

    public static Chardev pty(String label, String path) {
        return new Chardev(label, Kind.PTY, path);
    }

    public static Chardev unixServer(String label, String path) {
        return new Chardev(label, Kind.UNIX, path);
    }

    /** The wire "label". */
    @JsonProperty("label")
    public String wireLabel() {
        return label;
    }

    /** The wire "filename". */
    @JsonProperty("filename")
    public String filename() {
        return switch (kind) {
            case PTY -> "pty:" + path;
            case UNIX -> "unix:" + path + ",server=on";
            case OTHER -> path;
        };
    }

    @JsonCreator
    static Chardev fromWire(@JsonProperty("label") String label, @JsonProperty("filename") String filename) {
        if (filename == null) return new Chardev(label, Kind.OTHER, null);
        if (filename.startsWith("pty:")) return pty(label, filename.substring(4));
        if (filename.startsWith("unix:")) {
            String p = filename.substring(5);
            int comma = p.indexOf(',');
            return unixServer(label, comma < 0 ? p : p.substring(0, comma));
        }
        return new Chardev(label, Kind.OTHER, filename);
    }
}
