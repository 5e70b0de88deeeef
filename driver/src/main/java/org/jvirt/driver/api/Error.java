package org.jvirt.driver.api;

import java.io.Serializable;

/**
 * An error as libvirt reports it (virError): code, domain (the part that raised it), level and
 * the composed message. Names follow libvirt-java's {@code org.libvirt.Error}; unlike
 * libvirt-java the enums carry libvirt's numbers explicitly (see {@link ErrorNumber#code()}).
 */
public final class Error implements Serializable {

    private static final long serialVersionUID = 1L;

    /** virErrorLevel. */
    public enum ErrorLevel {
        VIR_ERR_NONE, VIR_ERR_WARNING, VIR_ERR_ERROR;

        public int code() { return ordinal(); }
    }

    /** virErrorDomain (the first values; numbers are libvirt's). */
    public enum ErrorDomain {
        VIR_FROM_NONE(0), VIR_FROM_XML(5), VIR_FROM_DOM(6), VIR_FROM_RPC(7), VIR_FROM_CONF(9), VIR_FROM_QEMU(10),
        VIR_FROM_TEST(12), VIR_FROM_REMOTE(13), VIR_FROM_STORAGE(18), VIR_FROM_NETWORK(19), VIR_FROM_DOMAIN(20),
        VIR_FROM_NODEDEV(22), VIR_FROM_SECURITY(24), VIR_FROM_INTERFACE(26),
        VIR_FROM_DOMAIN_SNAPSHOT(35), VIR_FROM_STREAMS(38), VIR_FROM_URI(45);

        private final int code;

        ErrorDomain(int code) { this.code = code; }

        public int code() { return code; }
    }

    /** virErrorNumber: the codes jvirt raises, with libvirt's numbers (include/libvirt/virterror.h). */
    public enum ErrorNumber {
        VIR_ERR_OK(0, null),
        VIR_ERR_INTERNAL_ERROR(1, "internal error: %s"),
        VIR_ERR_NO_MEMORY(2, "out of memory"),
        VIR_ERR_NO_SUPPORT(3, "this function is not supported by the connection driver: %s"),
        VIR_ERR_NO_CONNECT(5, "no connection driver available for %s"),
        VIR_ERR_INVALID_CONN(6, "invalid connection pointer in %s"),
        VIR_ERR_INVALID_DOMAIN(7, "invalid domain pointer in %s"),
        VIR_ERR_INVALID_ARG(8, "invalid argument: %s"),
        VIR_ERR_OPERATION_FAILED(9, "operation failed: %s"),
        VIR_ERR_OS_TYPE(16, "unknown OS type %s"),
        VIR_ERR_NO_SOURCE(19, "missing source information for device %s", "missing source information for device"),
        VIR_ERR_NO_TARGET(20, "missing target information for device %s", "missing target information for device"),
        VIR_ERR_NO_NAME(21, "missing name information in %s", "missing name information"),
        VIR_ERR_XML_ERROR(27, "XML error: %s"),
        VIR_ERR_DOM_EXIST(28, "this domain exists already"),
        VIR_ERR_OPERATION_DENIED(29, "operation forbidden: %s"),
        VIR_ERR_OPEN_FAILED(30, "failed to open configuration file %s"),
        VIR_ERR_READ_FAILED(31, "failed to read configuration file %s"),
        VIR_ERR_WRITE_FAILED(34, "failed to write configuration file: %s"),
        VIR_ERR_XML_DETAIL(35, "%s", "parser error"),
        VIR_ERR_SYSTEM_ERROR(38, "%s"),
        VIR_ERR_RPC(39, "%s"),
        VIR_ERR_NO_DOMAIN(42, "Domain not found: %s", "Domain not found"),
        VIR_ERR_NO_NETWORK(43, "Network not found: %s", "Network not found"),
        VIR_ERR_NO_STORAGE_POOL(49, "Storage pool not found: %s", "Storage pool not found"),
        VIR_ERR_NO_STORAGE_VOL(50, "Storage volume not found: %s", "Storage volume not found"),
        VIR_ERR_NO_NODE_DEVICE(53, "Node device not found: %s", "Node device not found"),
        VIR_ERR_NO_INTERFACE(57, "Interface not found: %s", "Interface not found"),
        VIR_ERR_MULTIPLE_INTERFACES(59, "multiple matching interfaces found: %s", "multiple matching interfaces found"),
        VIR_ERR_AUTH_FAILED(45, "authentication failed: %s"),
        VIR_ERR_OPERATION_INVALID(55, "Requested operation is not valid: %s"),
        VIR_ERR_CONFIG_UNSUPPORTED(67, "unsupported configuration: %s"),
        VIR_ERR_OPERATION_TIMEOUT(68, "Timed out during operation: %s"),
        VIR_ERR_OVERFLOW(82, "numerical overflow: %s"),
        VIR_ERR_INVALID_DOMAIN_SNAPSHOT(71, "Invalid snapshot: %s"),
        VIR_ERR_NO_DOMAIN_SNAPSHOT(72, "Domain snapshot not found: %s"),
        VIR_ERR_ARGUMENT_UNSUPPORTED(74, "argument unsupported: %s"),
        VIR_ERR_SNAPSHOT_REVERT_RISKY(77, "revert requires force: %s"),
        VIR_ERR_OPERATION_ABORTED(78, "operation aborted: %s"),
        VIR_ERR_NO_DOMAIN_METADATA(80, "metadata not found: %s"),
        VIR_ERR_OPERATION_UNSUPPORTED(84, "Operation not supported: %s"),
        VIR_ERR_STORAGE_VOL_EXIST(90, "storage volume '%s' exists already"),
        VIR_ERR_XML_INVALID_SCHEMA(92, "XML document failed to validate against schema: %s"),
        /** Finish's answer to a cancelled migration that it cleaned up (nothing went wrong on its side). */
        VIR_ERR_MIGRATE_FINISH_OK(93, "migration successfully aborted"),
        VIR_ERR_DEVICE_MISSING(99, "device not found: %s");

        private final int code;
        private final String withInfo;
        private final String withoutInfo;

        ErrorNumber(int code, String withInfo) {
            this(code, withInfo, withInfo == null ? null : withInfo.replace(": %s", "").replace(" %s", ""));
        }

        ErrorNumber(int code, String withInfo, String withoutInfo) {
            this.code = code;
            this.withInfo = withInfo;
            this.withoutInfo = withoutInfo;
        }

        /** libvirt's number for this code. */
        public int code() { return code; }

        /** The message libvirt composes for this code (virErrorMsg), info may be null. */
        public String message(String info) {
            if (info == null) return withoutInfo;
            int at = withInfo.indexOf("%s");
            if (at < 0) return withInfo;
            // one %s and no other directive (every template today): no Formatter on the error path
            if (withInfo.indexOf('%', at + 2) < 0 && withInfo.lastIndexOf('%', at - 1) < 0) {
                return withInfo.substring(0, at) + info + withInfo.substring(at + 2);
            }
            return String.format(withInfo, info);
        }

        public static ErrorNumber fromCode(int code) {
            for (ErrorNumber n : values()) if (n.code == code) return n;
            throw new IllegalArgumentException("unknown libvirt error code " + code);
        }
    }

    private final ErrorNumber code;
    private final ErrorDomain domain;
    private final ErrorLevel level;
    private final String message;

    public Error(ErrorNumber code, ErrorDomain domain, ErrorLevel level, String message) {
        this.code = code;
        this.domain = domain;
        this.level = level;
        this.message = message;
    }

    public ErrorNumber getCode() { return code; }

    public ErrorDomain getDomain() { return domain; }

    public ErrorLevel getLevel() { return level; }

    /** The full message as virsh prints it after "error: ". */
    public String getMessage() { return message; }

    @Override
    public String toString() {
        return String.format("level:%s%ncode:%s%ndomain:%s%nmessage:%s%n", level, code, domain, message);
    }
}
