package org.jvirt.xml.domain;

import jakarta.xml.bind.annotation.XmlTransient;
import org.jvirt.xml.model.TextNode;
import org.jvirt.xml.model.XmlValueException;
import org.jvirt.xml.units.MemoryUnits;

/**
 * An amount of memory as libvirt writes it: a number and a unit (default KiB). The text and
 * unit are kept as written, so a round trip changes nothing; {@link #setBytes} writes KiB as
 * libvirt formats it.
 */
@XmlTransient
public abstract class ScaledMemory extends TextNode {

    public String getUnit() {
        return attribute("unit");
    }

    public void setUnit(String unit) {
        setAttribute("unit", unit);
    }

    /** The amount in bytes; a bad number or unit is an error naming the element and line. */
    public long bytes() {
        String text = trimmed();
        long value;
        try {
            value = Long.parseLong(text == null ? "" : text);
            if (value < 0) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new XmlValueException(elementName(), String.valueOf(text), sourceLocation(), "invalid memory value");
        }
        if (MemoryUnits.scale(getUnit()) < 0)
            throw new XmlValueException(elementName(), getUnit(), sourceLocation(), "unknown memory unit");
        try {
            return MemoryUnits.toBytes(value, getUnit());
        } catch (ArithmeticException e) {
            throw new XmlValueException(elementName(), text + " " + getUnit(), sourceLocation(), "memory size too large");
        }
    }

    /** The amount in KiB, rounded up, as libvirt keeps it. */
    public long kibibytes() {
        return MemoryUnits.toKiBRoundedUp(bytes());
    }

    /** Sets the amount as libvirt formats it: unit='KiB', rounded up to whole KiB. */
    public void setBytes(long bytes) {
        setUnit("KiB");
        setValue(Long.toString(MemoryUnits.toKiBRoundedUp(bytes)));
    }
}
