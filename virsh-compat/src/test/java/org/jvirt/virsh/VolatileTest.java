package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class VolatileTest {

    @Test
    void masksOnlyClockAndRandomValues() {
        assertEquals("CPU time:       <cpu-time>s\nMax memory:     8388608 KiB\n",
                Volatile.mask("CPU time:       1795461721.8s\nMax memory:     8388608 KiB\n"));
        assertEquals("<uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid> uuid#1 uuid#1 uuid#2",
                Volatile.mask("<uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid> dbc9a159-fd83-4fda-8c79-2cb48933a844 "
                        + "dbc9a159-fd83-4fda-8c79-2cb48933a844 279655a2-0a1f-4b7c-9203-0bae491234cf"));
        // a generated uuid that should repeat but does not is still caught
        assertNotEquals(Volatile.mask("a 11111111-1111-4111-8111-111111111111 b 11111111-1111-4111-8111-111111111111"),
                Volatile.mask("a 11111111-1111-4111-8111-111111111111 b 22222222-1111-4111-8111-111111111111"));
    }

    @Test
    void masksClockDerivedIoCountersOnly() {
        assertEquals("vda rd_req <counter>\nvda errs <counter>\n number of bytes read:           <counter>\n"
                        + "testnet0 tx_drop <counter>\nCapacity:       1099506450432\n",
                Volatile.mask("vda rd_req 179621884258304\nvda errs 898109421\n number of bytes read:           89810956832274\n"
                        + "testnet0 tx_drop 449054710\nCapacity:       1099506450432\n"));
        // a missing or extra counter line still differs
        assertNotEquals(Volatile.mask("vda rd_req 1\n"), Volatile.mask("vda rd_req 1\nvda errs 2\n"));
    }

    @Test
    void splitsRecordedShellCommands() {
        assertEquals(List.of("virsh", "-c", "test:///default", "echo '>>> list'; list"),
                Transcript.shellWords("virsh -c test:///default 'echo '\\''>>> list'\\''; list'"));
    }
}
