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
        // statistics, scheduler, metadata and host queries (issue 7, item 8)
        step(log, "blockInfo vda", () -> api.blockInfo("test", "vda"));
        step(log, "blockInfo by source", () -> api.blockInfo("test", "/guest/diskimage1"));
        step(log, "blockInfo missing", () -> api.blockInfo("test", "vdz"));
        step(log, "blockStats vda", () -> api.blockStatsSigns("test", "vda"));
        step(log, "blockStats summary", () -> api.blockStatsSigns("test", ""));
        step(log, "blockStats missing", () -> api.blockStatsSigns("test", "vdz"));
        step(log, "interfaceStats by name", () -> api.interfaceStatsSigns("test", "testnet0"));
        step(log, "interfaceStats by mac", () -> api.interfaceStatsSigns("test", "aa:bb:cc:dd:ee:ff"));
        step(log, "interfaceStats missing", () -> api.interfaceStatsSigns("test", "eth7"));
        step(log, "interfaceAddresses lease", () -> api.interfaceAddresses("test", 0));
        step(log, "interfaceAddresses arp", () -> api.interfaceAddresses("test", 2));
        step(log, "interfaceAddresses bad source", () -> api.interfaceAddresses("test", 9));
        step(log, "scheduler", () -> api.scheduler("test"));
        step(log, "jobInfo", () -> api.jobType("test"));
        step(log, "title absent", () -> api.getMetadata("test", 1, null, 0));
        step(log, "set title", () -> { api.setMetadata("test", 1, "A title", null, null, 0); return api.getMetadata("test", 1, null, 0); });
        step(log, "set element", () -> {
            api.setMetadata("test", 2, "<info><v n='1'/></info>", "app", "http://app.example/", 0);
            return api.getMetadata("test", 2, "http://app.example/", 0);
        });
        step(log, "xml with metadata", () -> api.xml("test", 0));
        step(log, "element of another uri", () -> api.getMetadata("test", 2, "http://other.example/", 0));
        step(log, "element live and config", () -> api.getMetadata("test", 2, "http://app.example/", 3));
        step(log, "element bad key", () -> { api.setMetadata("test", 2, "<a/>", "1x", "urn:x", 0); return "set"; });
        step(log, "remove element", () -> {
            api.setMetadata("test", 2, null, null, "http://app.example/", 0);
            return api.getMetadata("test", 2, "http://app.example/", 0);
        });
        step(log, "freeMemory", api::freeMemory);
        step(log, "cellsFreeMemory 0", () -> api.cellsFreeMemory(0));
        step(log, "cellsFreeMemory 1", () -> api.cellsFreeMemory(1));
        step(log, "cellsFreeMemory 2", () -> api.cellsFreeMemory(2));
        step(log, "cellsFreeMemory -1", () -> api.cellsFreeMemory(-1));
        step(log, "sysinfo", api::sysinfo);
        step(log, "screenshot", () -> api.screenshot("test", 0));
        step(log, "screenshot screen 3", () -> api.screenshot("test", 3));
        step(log, "screenshot missing", () -> api.screenshot("nosuch", 0));
        step(log, "sendKey linux", () -> { api.sendKey("test", 0, 50, 29, 56, 111); return "sent"; });
        step(log, "sendKey xt 1000", () -> { api.sendKey("test", 1, 0, 30, 1000); return "sent"; });
        step(log, "sendKey usb", () -> { api.sendKey("test", 7, 0, 4, 5); return "sent"; });
        step(log, "sendKey 17 keys", () -> { api.sendKey("test", 0, 0, new int[17]); return "sent"; });
        step(log, "sendKey no key", () -> { api.sendKey("test", 0, 0); return "sent"; });
        step(log, "sendKey missing", () -> { api.sendKey("nosuch", 0, 0, 30); return "sent"; });
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
