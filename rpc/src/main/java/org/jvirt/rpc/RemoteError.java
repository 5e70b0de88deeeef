package org.jvirt.rpc;

/**
 * remote_error (virNetMessageError): what a failed call answers. dom and net are always sent
 * absent, as libvirtd does; int1/int2 are -1 when unused.
 */
public record RemoteError(int code, int domain, String message, int level, String str1, String str2, String str3, int int1, int int2) {

    public static final int LEVEL_ERROR = 2;

    /** An error as libvirtd words most of its own: str1 repeats the message. */
    public static RemoteError of(int code, int domain, String message) {
        return new RemoteError(code, domain, message, LEVEL_ERROR, message, null, null, -1, -1);
    }

    public void encode(XdrWriter w) {
        w.writeInt(code).writeInt(domain).writeOptionalString(message).writeInt(level);
        w.writeInt(0); // dom
        w.writeOptionalString(str1).writeOptionalString(str2).writeOptionalString(str3);
        w.writeInt(int1).writeInt(int2);
        w.writeInt(0); // net
    }

    public static RemoteError decode(XdrReader r) throws XdrException {
        int code = r.readInt();
        int domain = r.readInt();
        String message = r.readOptionalString("error message");
        int level = r.readInt();
        if (r.readPresent("error domain")) RemoteDomain.decode(r);
        String s1 = r.readOptionalString("str1");
        String s2 = r.readOptionalString("str2");
        String s3 = r.readOptionalString("str3");
        int i1 = r.readInt();
        int i2 = r.readInt();
        if (r.readPresent("error network")) {
            r.readString("network name");
            r.readFixedOpaque(Limits.UUID_BUFLEN, "network uuid");
        }
        return new RemoteError(code, domain, message, level, s1, s2, s3, i1, i2);
    }
}
