/**
 * libvirt's remote protocol on the wire (virnetprotocol.x, remote_protocol.x): XDR encoding
 * ({@link org.jvirt.rpc.XdrWriter}, {@link org.jvirt.rpc.XdrReader}), the 24-byte message header
 * and length-prefixed frames ({@link org.jvirt.rpc.MessageHeader}, {@link org.jvirt.rpc.Frames}),
 * program and procedure numbers, and the structures every procedure shares (domains, snapshots,
 * errors, typed parameters). The numbers come from ../shared/spec/libvirt-rpc.md.
 */
package org.jvirt.rpc;
