package org.jvirt.driver.spi;

/** What the phases of migration v3 hand to the next one (cookies are opaque between the two drivers). */
public final class MigrationPhase {
    private MigrationPhase() { }

    /** Begin's answer: the cookie for Prepare and the domain XML the destination defines. */
    public record Begin(byte[] cookie, String xml) { }

    /** Prepare's answer: the cookie for Perform and where the destination listens (null: the client's migrate_uri). */
    public record Prepared(byte[] cookie, String uri) { }

    /** PrepareTunnel's answer: the cookie for Perform and the stream that carries the migration to the waiting VMM. */
    public record PreparedTunnel(byte[] cookie, MigrationTunnel tunnel) { }

    /** Finish's answer: the domain on the destination and the cookie for Confirm. */
    public record Finished(DomainRef domain, byte[] cookie) { }
}
