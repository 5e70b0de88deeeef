package org.jvirt.rpc;

/** One received message: its header and the payload bytes after it. */
public record Frame(MessageHeader header, byte[] payload) {

    public XdrReader reader() {
        return new XdrReader(payload);
    }
}
