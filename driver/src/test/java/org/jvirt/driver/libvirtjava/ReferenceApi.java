package org.jvirt.driver.libvirtjava;

import java.util.List;

/**
 * The calls of the reference scenario, answered in plain values so that libvirt-java and
 * jvirt's API can be compared. A failing call throws {@link ApiError}.
 */
interface ReferenceApi extends AutoCloseable {

    /** Names of the running domains (listDomains + lookup by id), sorted; then of the defined ones. */
    List<String> runningNames() throws ApiError;

    List<String> definedNames() throws ApiError;

    /** getInfo without cpuTime (a clock reading in libvirt's test driver), plus id and uuid. */
    String info(String name) throws ApiError;

    String xml(String name, int flags) throws ApiError;

    /** domainDefineXML; returns the new domain's name. */
    String define(String xml) throws ApiError;

    void create(String name) throws ApiError;

    void suspend(String name) throws ApiError;

    void resume(String name) throws ApiError;

    void destroy(String name) throws ApiError;

    void undefine(String name) throws ApiError;

    /** cpuTime of getInfo, only checked to be positive for a running domain. */
    long cpuTime(String name) throws ApiError;

    /** Domain.screenshot through a new stream: "MIME SIZE bytes, sha-256 HEX" of what the stream gave. */
    String screenshot(String name, int screen) throws ApiError;

    /** Domain.sendKey with the codeset's number (libvirt-java: its KeycodeSet in the same order). */
    void sendKey(String name, int codeset, int holdtime, int... keys) throws ApiError;

    /** blockInfo: "capacity=.. allocation=.. physical=..". */
    String blockInfo(String name, String path) throws ApiError;

    /** blockStats and interfaceStats: their values come from the clock, so only their signs are compared. */
    String blockStatsSigns(String name, String path) throws ApiError;

    String interfaceStatsSigns(String name, String device) throws ApiError;

    /** interfaceAddresses: each interface as "name hwAddr address/prefix ...", in order. */
    String interfaceAddresses(String name, int source) throws ApiError;

    /** getSchedulerType, then each getSchedulerParameters entry as field=value. */
    String scheduler(String name) throws ApiError;

    /** getJobInfo's type. */
    String jobType(String name) throws ApiError;

    String getMetadata(String name, int type, String uri, int flags) throws ApiError;

    void setMetadata(String name, int type, String value, String key, String uri, int flags) throws ApiError;

    long freeMemory() throws ApiError;

    long cellsFreeMemory(int startCell) throws ApiError;

    String sysinfo() throws ApiError;

    @Override
    void close() throws ApiError;

    /** An error as libvirt reports it: number, its name, the error domain and the message. */
    /** How both sides describe a screenshot's bytes. */
    static String describe(String mime, byte[] data) {
        try {
            return mime + " " + data.length + " bytes, sha-256 "
                    + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    final class ApiError extends Exception {
        private static final long serialVersionUID = 1L;

        ApiError(String code, int number, String domain, String message) {
            super(code + " (" + number + ") from " + domain + ": " + message);
        }
    }
}
