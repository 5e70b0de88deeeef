package org.jvirt.driver.api;

/** A failed call, carrying libvirt's error (as libvirt-java's LibvirtException). */
public class LibvirtException extends Exception {

    private static final long serialVersionUID = 1L;

    private final Error error;
    private String parserOutput = "";

    public LibvirtException(Error error) {
        super(error.getMessage());
        this.error = error;
    }

    /** An error of the given code whose message libvirt composes from info (may be null). */
    public LibvirtException(Error.ErrorNumber code, Error.ErrorDomain domain, String info) {
        this(new Error(code, domain, Error.ErrorLevel.VIR_ERR_ERROR, code.message(info)));
    }

    /**
     * An error whose message libvirt reports as it is, without the code's prefix: virCheckFlags
     * and virReportInvalidArg ("unsupported flags (0x4) in function ...").
     */
    public static LibvirtException unprefixed(Error.ErrorNumber code, Error.ErrorDomain domain, String message) {
        return new LibvirtException(new Error(code, domain, Error.ErrorLevel.VIR_ERR_ERROR, message));
    }

    /**
     * What libvirt's XML parser (libxml2) writes to stderr itself before the error is reported,
     * such as "I/O warning : failed to load external entity ..."; a client prints it first.
     */
    public String parserOutput() {
        return parserOutput;
    }

    public LibvirtException withParserOutput(String text) {
        parserOutput = text;
        return this;
    }

    public Error getError() {
        return error;
    }

    public Error.ErrorNumber code() {
        return error.getCode();
    }
}
