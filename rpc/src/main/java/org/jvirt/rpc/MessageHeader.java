package org.jvirt.rpc;

/** virNetMessageHeader: the 24 bytes after the length word of every frame. */
public record MessageHeader(int program, int version, int procedure, int type, int serial, int status) {

    public static MessageHeader decode(XdrReader in) throws XdrException {
        return new MessageHeader(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt());
    }

    public void encode(XdrWriter out) {
        out.writeInt(program).writeInt(version).writeInt(procedure).writeInt(type).writeInt(serial).writeInt(status);
    }

    /** The same call's header with another type and status (a reply, a stream frame). */
    public MessageHeader answer(int newType, int newStatus) {
        return new MessageHeader(program, version, procedure, newType, serial, newStatus);
    }
}
