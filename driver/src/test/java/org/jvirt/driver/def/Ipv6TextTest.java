package org.jvirt.driver.def;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** IPv6 addresses written as inet_ntop writes them (the text libvirt puts in domifaddr's table). */
class Ipv6TextTest {

    @ParameterizedTest
    @CsvSource({
        "fd00:1:0:0:0:0:0:25, fd00:1::25",
        "0:0:0:0:0:0:0:1, ::1",
        "0:0:0:0:0:0:0:0, ::",
        "fe80:0:0:0:a:0:0:b, fe80::a:0:0:b",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "FD00:ABCD:0:0:1:0:0:0, fd00:abcd:0:0:1::",
    })
    void asInetNtop(String full, String expected) throws Exception {
        assertEquals(expected, Ipv6Text.format(InetAddress.getByName(full).getAddress()));
    }
}
