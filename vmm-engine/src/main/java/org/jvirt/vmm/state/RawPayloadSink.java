package org.jvirt.vmm.state;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where an unchecked (RAM-like) section's payload goes: sequential writes, and holes for zero runs. */
public interface RawPayloadSink {

    /** Appends the remaining bytes of src. */
    void write(ByteBuffer src) throws IOException;

    /** Appends n zero bytes without writing them (a hole in a sparse file). */
    void skipZeros(long n) throws IOException;

    /** Bytes of the payload produced so far. */
    long written();
}
