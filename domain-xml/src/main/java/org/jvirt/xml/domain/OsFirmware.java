package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jvirt.xml.model.ElementNode;
import org.w3c.dom.Element;

/**
 * {@code <os><firmware>}: the features asked of an auto-selected firmware
 * ({@code <feature enabled='yes|no' name='secure-boot|enrolled-keys'/>}), kept as DOM. Typed so
 * that it keeps libvirt's place, after {@code <type>} and before {@code <loader>}.
 */
@XmlRootElement(name = "firmware")
@XmlAccessorType(XmlAccessType.FIELD)
public class OsFirmware extends ElementNode {

    @XmlAnyElement
    private List<Object> content = new ArrayList<>();

    @Override
    protected List<Object> content() {
        return content;
    }

    /** The features by name, true for enabled='yes', in document order. */
    public Map<String, Boolean> features() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (Element e : unknownChildren()) {
            if ("feature".equals(e.getLocalName())) out.put(e.getAttribute("name"), "yes".equals(e.getAttribute("enabled")));
        }
        return out;
    }
}
