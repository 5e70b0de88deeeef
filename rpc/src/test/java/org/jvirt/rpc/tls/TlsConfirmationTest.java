package org.jvirt.rpc.tls;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class TlsConfirmationTest {
    @Test
    void oneByteOneMeansAccepted() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TlsConfirmation.send(out);
        assertArrayEquals(new byte[] {1}, out.toByteArray());
        assertDoesNotThrow(() -> TlsConfirmation.await(new ByteArrayInputStream(out.toByteArray())));
    }

    @Test
    void anythingElseIsLibvirtsRefusal() {
        assertEquals("server verification (of our certificate or IP address) failed",
                assertThrows(TlsException.class, () -> TlsConfirmation.await(new ByteArrayInputStream(new byte[] {0}))).getMessage());
        assertEquals("Unable to read TLS confirmation: Input/output error",
                assertThrows(TlsException.class, () -> TlsConfirmation.await(new ByteArrayInputStream(new byte[0]))).getMessage());
    }
}
