package org.jvirt.driver.libvirtjava;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.libvirtjava.ReferenceApi.ApiError;

/**
 * The reference scenario: list, lookup, getInfo, getXMLDesc, define, create, suspend, resume,
 * destroy, undefine, and the errors of a missing domain and of starting a running one. Each
 * step adds what it saw (values or the error) to a log, which must be the same on both APIs.
 */
final class Scenario {

    static final String DOMAIN_XML = """
            <domain type='test'>
              <name>reference</name>
              <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>
              <memory unit='MiB'>256</memory>
              <currentMemory unit='MiB'>128</currentMemory>
              <vcpu>2</vcpu>
              <os>
                <type arch='x86_64'>hvm</type>
              </os>
              <on_poweroff>destroy</on_poweroff>
            </domain>
            """;

    private Scenario() { }

    @FunctionalInterface
    interface Step {
        Object run() throws ApiError;
    }

    static List<String> run(ReferenceApi api) {
        List<String> log = new ArrayList<>();
        step(log, "running", api::runningNames);
        step(log, "defined", api::definedNames);
        step(log, "info test", () -> api.info("test"));
        step(log, "cpuTime test > 0", () -> api.cpuTime("test") > 0);
        step(log, "xml test", () -> api.xml("test", 0));
        step(log, "xml test inactive", () -> api.xml("test", 2));
        step(log, "lookup missing", () -> api.info("nosuch"));
        step(log, "create running test", () -> { api.create("test"); return "created"; });
        step(log, "define", () -> api.define(DOMAIN_XML));
        step(log, "defined after define", api::definedNames);
        step(log, "info reference", () -> api.info("reference"));
        step(log, "xml reference", () -> api.xml("reference", 0));
        step(log, "create reference", () -> { api.create("reference"); return api.info("reference"); });
        step(log, "running after create", api::runningNames);
        step(log, "create reference again", () -> { api.create("reference"); return "created"; });
        step(log, "suspend", () -> { api.suspend("reference"); return api.info("reference"); });
        step(log, "suspend again", () -> { api.suspend("reference"); return api.info("reference"); });
        step(log, "resume", () -> { api.resume("reference"); return api.info("reference"); });
        step(log, "resume running", () -> { api.resume("reference"); return "resumed"; });
        step(log, "destroy", () -> { api.destroy("reference"); return api.info("reference"); });
        step(log, "destroy inactive", () -> { api.destroy("reference"); return "destroyed"; });
        step(log, "suspend inactive", () -> { api.suspend("reference"); return "suspended"; });
        step(log, "undefine", () -> { api.undefine("reference"); return api.definedNames(); });
        step(log, "lookup undefined", () -> api.info("reference"));
        step(log, "running at end", api::runningNames);
        return log;
    }

    private static void step(List<String> log, String what, Step step) {
        String result;
        try {
            result = String.valueOf(step.run());
        } catch (ApiError e) {
            result = "error " + e.getMessage();
        }
        log.add("== " + what + "\n" + result);
    }
}
