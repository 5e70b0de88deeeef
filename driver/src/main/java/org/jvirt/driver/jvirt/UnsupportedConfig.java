package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.domain.Domain;
import org.w3c.dom.Element;
import org.jvirt.xml.model.XmlNode;

/**
 * What of a domain definition jvirt-vmm cannot provide, found all at once before a VMM is
 * spawned: every device and setting is either provided, refused (named in one "unsupported
 * configuration" error, with its type and target or address), or on the short list of ones
 * safe to omit (driver/README.md), which are noted in the domain's log. Nothing is dropped
 * silently, and a user fixes a definition in one round trip instead of one per attempt.
 */
final class UnsupportedConfig {

    /** refused: what start refuses; omitted: "what (why)" items the domain runs without. */
    record Result(List<String> refused, List<String> omitted) {

        /** libvirt's VIR_ERR_CONFIG_UNSUPPORTED with the whole list, or nothing when all is provided. */
        void throwIfRefused() throws LibvirtException {
            if (refused.isEmpty()) return;
            throw new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                    "jvirt-vmm cannot provide: " + String.join("; ", refused));
        }
    }

    private UnsupportedConfig() { }

    static Result check(Domain d) {
        Findings f = new Findings();
        SettingChecks.check(d, f);
        String machine = d.getOs() == null || d.getOs().getType() == null ? null : d.getOs().getType().getMachine();
        DeviceChecks.check(d.getDevices(), org.jvirt.driver.jvirt.firmware.MachineTypes.isQ35(machine), f);
        return new Result(List.copyOf(f.refused), List.copyOf(f.omitted));
    }

    /** Appends one line per omitted item to the domain's log, before the VMM's own lines. */
    static void noteOmitted(Path log, List<String> omitted) throws IOException {
        if (omitted.isEmpty()) return;
        StringBuilder b = new StringBuilder();
        String now = Instant.now().toString();
        for (String o : omitted) b.append(now).append(": not provided, safe to omit: ").append(o).append('\n');
        Files.createDirectories(log.getParent());
        Files.writeString(log, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The collector the checks write to, in document order. */
    static final class Findings {
        final List<String> refused = new ArrayList<>();
        final List<String> omitted = new ArrayList<>();

        void refuse(String what) {
            refused.add(what);
        }

        void omit(String what, String why) {
            omitted.add(what + " (" + why + ")");
        }
    }

    /** The element name of a child kept typed or as DOM. */
    static String nameOf(Object child) {
        if (child instanceof XmlNode n) return n.elementName();
        if (child instanceof Element e) return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
        return String.valueOf(child);
    }

    /** An attribute of a child kept typed or as DOM, or null. */
    static String attr(Object child, String name) {
        if (child instanceof XmlNode n) return n.attribute(name);
        if (child instanceof Element e) return e.hasAttribute(name) ? e.getAttribute(name) : null;
        return null;
    }

    /** " name='value'" when the attribute is there, "" otherwise. */
    static String quoted(String name, String value) {
        return value == null ? "" : " " + name + "='" + value + "'";
    }
}
