package org.jvirt.rpc;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Byte layouts checked against frames captured between virsh 9.0 and libvirtd 9.0 (spec §4, §8). */
class FramesTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void encodesTheCapturedOpenCall() {
        XdrWriter args = new XdrWriter().writeOptionalString("test:///default").writeInt(0);
        byte[] frame = Frames.encode(new MessageHeader(Programs.REMOTE, 1, RemoteProcedure.CONNECT_OPEN, MessageType.CALL, 2, 0), args);
        assertArrayEquals(hex("00000038 20008086 00000001 00000001 00000000 00000002 00000000"
                + "00000001 0000000f 74657374 3a2f2f2f 64656661 756c7400 00000000"), frame);
    }

    @Test
    void decodesTheCapturedLifecycleEvent() throws Exception {
        byte[] bytes = hex("00000044 20008086 00000001 0000013e 00000002 00000001 00000000"
                + "00000000 00000004 74657374 6695eb01 f6a48304 79aa97f2 502e193f 00000001 00000003 00000000");
        Frame f = Frames.read(new ByteArrayInputStream(bytes));
        assertEquals(RemoteProcedure.DOMAIN_EVENT_CALLBACK_LIFECYCLE, f.header().procedure());
        assertEquals(MessageType.MESSAGE, f.header().type());
        XdrReader r = f.reader();
        assertEquals(0, r.readInt());
        RemoteDomain d = RemoteDomain.decode(r);
        assertEquals("test", d.name());
        assertEquals("6695eb01-f6a4-8304-79aa-97f2502e193f", d.uuidString());
        assertEquals(1, d.id());
        assertEquals(3, r.readInt());
        assertEquals(0, r.readInt());
        r.expectEnd("event");
    }

    @Test
    void refusesLengthsOutsideTheProtocolBeforeAllocating() {
        assertThrows(Frames.BadFrameException.class, () -> Frames.read(new ByteArrayInputStream(hex("0000001b"))));
        assertThrows(Frames.BadFrameException.class, () -> Frames.read(new ByteArrayInputStream(hex("7fffffff"))));
        assertThrows(Frames.BadFrameException.class, () -> Frames.read(new ByteArrayInputStream(hex("02000005"))));
    }

    @Test
    void cleanEndBetweenFramesIsNullAndTruncationIsAnError() throws IOException {
        assertNull(Frames.read(new ByteArrayInputStream(new byte[0])));
        assertThrows(java.io.EOFException.class, () -> Frames.read(new ByteArrayInputStream(hex("0000001c 20008086"))));
    }

    @Test
    void hostileCountsAndLengthsFailWithoutAllocating() {
        XdrReader r = new XdrReader(hex("7fffffff"));
        assertThrows(XdrException.class, () -> r.readString("name"));
        XdrReader r2 = new XdrReader(hex("00003fff 00000000"));
        assertThrows(XdrException.class, () -> r2.readCount(Limits.DOMAIN_LIST_MAX, 4, "domains"));
        XdrReader r3 = new XdrReader(hex("00000002 c328 0000")); // 0xC3 0x28: not UTF-8
        assertThrows(XdrException.class, () -> r3.readString("name"));
    }

    @Test
    void errorRoundTripsAsLibvirtdSendsIt() throws Exception {
        XdrWriter w = new XdrWriter();
        RemoteError.of(42, 12, "Domain not found").encode(w);
        RemoteError e = RemoteError.decode(new XdrReader(w.toByteArray()));
        assertEquals(RemoteError.of(42, 12, "Domain not found"), e);
    }

    @Test
    void procedureNamesMatchTheirNumbers() {
        assertEquals("DOMAIN_FD_ASSOCIATE", RemoteProcedure.name(443));
        assertEquals(66, RemoteProcedure.AUTH_LIST);
        assertNull(RemoteProcedure.name(444));
        assertNull(RemoteProcedure.name(0));
    }
}
