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

    @Override
    void close() throws ApiError;

    /** An error as libvirt reports it: number, its name, the error domain and the message. */
    final class ApiError extends Exception {
        private static final long serialVersionUID = 1L;

        ApiError(String code, int number, String domain, String message) {
            super(code + " (" + number + ") from " + domain + ": " + message);
        }
    }
}
