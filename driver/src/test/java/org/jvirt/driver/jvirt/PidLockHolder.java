package org.jvirt.driver.jvirt;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@code PIDFILE}: takes a VMM's pid file lock as another jvirt-vmm would, prints "locked PID", holds it 30 s. */
public final class PidLockHolder {
    public static void main(String[] args) throws Exception {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             var lock = ch.lock()) {
            long pid = ProcessHandle.current().pid();
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            System.out.println("locked " + pid);
            System.out.flush();
            Thread.sleep(30_000);
        }
    }
}
