package org.jvirt.xml.validate;

/**
 * A domain that parses as XML but that libvirt's parser or its post-parse checks refuse.
 * {@link #kind()} is libvirt's error class (which decides the message's prefix), {@link #detail()}
 * libvirt's own words; {@link #getMessage()} is the whole line as virsh prints it after "error: ".
 */
public final class InvalidDomainException extends Exception {

    /** libvirt's error classes these checks raise, with the prefix virsh prints for each. */
    public enum Kind {
        /** VIR_ERR_NO_NAME: virsh prints the detail alone. */
        NO_NAME(""),
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

    public InvalidDomainException(Kind kind, String detail) {
        super(kind.prefix + detail);
        this.kind = kind;
        this.detail = detail;
    }

    public Kind kind() { return kind; }

    public String detail() { return detail; }
}
