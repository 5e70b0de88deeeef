package org.jvirt.vmm.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineException;
import org.jvirt.vmm.migration.MigrationProgress;
import org.jvirt.vmm.migration.MigrationTarget;
import org.jvirt.vmm.protocol.launch.Incoming;
import org.jvirt.vmm.protocol.launch.LaunchSpec;

/**
 * jvirt-vmm --incoming: waits for one migration on the address, loads it and runs the guest (as
 * QEMU's -incoming), or holds it paused with --paused (QEMU's -S) until a cont.
 */
final class IncomingMigration {
    private IncomingMigration() { }

    /** How long the source may take to connect (the manager starts it right after this VMM). */
    static final int ACCEPT_TIMEOUT_MS = 300_000;

    /** Returns whether the guest runs (false: it stays paused, as it was on the source). */
    static boolean receive(Machine machine, String address, org.jvirt.vmm.migration.Arrival arrival) throws IOException, InterruptedException {
        Incoming at;
        try {
            at = Incoming.parse(address);
        } catch (LaunchSpec.UsageException e) {
            throw new MachineException(e.getMessage());
        }
        try (ServerSocket listener = java.nio.channels.ServerSocketChannel.open().socket()) { // channels: pages go straight into RAM
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getByName(at.host()), at.port()), 1);
            listener.setSoTimeout(ACCEPT_TIMEOUT_MS);
            System.err.println("jvirt-vmm: waiting for an incoming migration on " + address);
            try (Socket s = listener.accept()) {
                s.setTcpNoDelay(true);
                long t0 = System.nanoTime();
                boolean running = MigrationTarget.receive(machine, s, new MigrationProgress(), arrival);
                System.err.printf("jvirt-vmm: incoming migration from %s done in %.0f ms%n", s.getRemoteSocketAddress(), (System.nanoTime() - t0) / 1e6);
                return running;
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new MachineException("no incoming migration on " + address + " within " + ACCEPT_TIMEOUT_MS / 1000 + " s");
        } catch (IOException e) {
            throw new MachineException("incoming migration on " + address + " failed: " + e.getMessage(), e);
        }
    }
}
