package org.jvirt.xml.validate;

/**
 * A domain that parses as XML but that libvirt's parser or its post-parse checks refuse.
 * {@link #kind()} is libvirt's error class (which decides the message's prefix), {@link #detail()}
 * libvirt's own words; {@link #getMessage()} is the whole line as virsh prints it after "error: ".
 */
public final class InvalidDomainException extends Exception {

    /** libvirt's error classes these checks raise, with the prefix virsh prints for each. */
    public enum Kind {
        /** VIR_ERR_NO_NAME: the words alone. */
        NO_NAME("missing name information"),
        /** VIR_ERR_NO_SOURCE: the words, then the device's target when known. */
        NO_SOURCE("missing source information for device"),
        /** VIR_ERR_NO_TARGET: the words, then the device's source when known. */
        NO_TARGET("missing target information for device"),
        XML_ERROR("XML error: "),
        INTERNAL_ERROR("internal error: "),
        INVALID_ARG("invalid argument: "),
        OVERFLOW("numerical overflow: "),
        CONFIG_UNSUPPORTED("unsupported configuration: ");

        final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    private final Kind kind;
    private final String detail;

    /** detail: libvirt's words after the prefix; for the NO_* kinds, what names the device, or null. */
    public InvalidDomainException(Kind kind, String detail) {
        super(message(kind, detail));
        this.kind = kind;
        this.detail = detail;
    }

    private static String message(Kind kind, String detail) {
        return switch (kind) {
            case NO_NAME, NO_SOURCE, NO_TARGET -> detail == null ? kind.prefix : kind.prefix + " " + detail;
            default -> kind.prefix + detail;
        };
    }

    public Kind kind() { return kind; }

    public String detail() { return detail; }
}
