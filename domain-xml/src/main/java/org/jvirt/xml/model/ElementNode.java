package org.jvirt.xml.model;

import jakarta.xml.bind.annotation.XmlElementRef;
import jakarta.xml.bind.annotation.XmlElementRefs;
import jakarta.xml.bind.annotation.XmlTransient;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * An element with child elements. Subclasses keep all children, typed and untyped, in one
 * list in document order (a property annotated with both {@code @XmlElementRefs} and
 * {@code @XmlAnyElement}), so that element order and unknown elements survive a round trip.
 * Typed getters look children up in that list.
 */
@XmlTransient
public abstract class ElementNode extends XmlNode {

    /**
     * The document as it was read, kept on the root element only: the writer restores from it
     * what JAXB drops (attribute order of untyped elements, namespace declarations on the root,
     * comments inside metadata) wherever the content is unchanged.
     */
    @XmlTransient
    private SourceTree source;

    public SourceTree source() {
        return source;
    }

    public void setSource(SourceTree source) {
        this.source = source;
    }

    /** The live list of children: bound objects and DOM {@link Element}s for unknown ones. */
    protected abstract List<Object> content();

    /**
     * The typed child classes in the order libvirt formats them, used to place a child that is
     * added in code (unknown classes go last). It is the order of the class's
     * {@code @XmlElementRefs}, which each class declares in libvirt's order: read once per class.
     */
    protected List<Class<?>> childOrder() {
        return CHILD_ORDER.get(getClass());
    }

    private static final ClassValue<List<Class<?>>> CHILD_ORDER = new ClassValue<>() {
        @Override
        protected List<Class<?>> computeValue(Class<?> type) {
            for (Class<?> c = type; c != null && c != ElementNode.class; c = c.getSuperclass()) {
                for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                    XmlElementRefs refs = f.getAnnotation(XmlElementRefs.class);
                    if (refs == null) continue;
                    List<Class<?>> order = new ArrayList<>();
                    for (XmlElementRef r : refs.value()) order.add(r.type());
                    return List.copyOf(order);
                }
            }
            return List.of();
        }
    };

    /** The first child of the given type, or null. */
    public <T> T child(Class<T> type) {
        for (Object o : content()) if (type.isInstance(o)) return type.cast(o);
        return null;
    }

    /** The first child of the given type, created (and placed in libvirt's order) when missing. */
    public <T> T childOrCreate(Class<T> type, Supplier<T> factory) {
        T existing = child(type);
        if (existing != null) return existing;
        T created = factory.get();
        setChild(type, created);
        return created;
    }

    /** All children of the given type, in document order (a copy). */
    public <T> List<T> children(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Object o : content()) if (type.isInstance(o)) out.add(type.cast(o));
        return out;
    }

    /** Unknown child elements kept as DOM, in document order (a copy). */
    public List<Element> unknownChildren() {
        return children(Element.class);
    }

    /** Appends an element the model does not type (kept and written as DOM). */
    public void addUnknownChild(Element element) {
        content().add(element);
    }

    /** Puts value where the child old is (the same object); false when old is not a child. */
    public boolean replaceChild(Object old, Object value) {
        List<Object> c = content();
        for (int i = 0; i < c.size(); i++) {
            if (c.get(i) == old) {
                c.set(i, value);
                return true;
            }
        }
        return false;
    }

    /**
     * Replaces the first child of this type with value (in place), or inserts value where
     * libvirt would format it; a null value removes every child of the type.
     */
    public <T> void setChild(Class<T> type, T value) {
        List<Object> c = content();
        if (value == null) {
            c.removeIf(type::isInstance);
            return;
        }
        for (int i = 0; i < c.size(); i++) {
            if (type.isInstance(c.get(i))) {
                c.set(i, value);
                return;
            }
        }
        c.add(insertionIndex(type), value);
    }

    /** Appends a child after the last child of the same type (or where libvirt orders it). */
    public <T> void addChild(Class<T> type, T value) {
        List<Object> c = content();
        for (int i = c.size() - 1; i >= 0; i--) {
            if (type.isInstance(c.get(i))) {
                c.add(i + 1, value);
                return;
            }
        }
        c.add(insertionIndex(type), value);
    }

    /**
     * Puts the children in the order libvirt formats them (by kind, as the bound element
     * declares them), keeping the document order among children of one kind; text and
     * unknown elements go last. libvirt writes a parsed document this way.
     */
    public void orderChildrenAsLibvirt() {
        List<Class<?>> order = childOrder();
        List<Object> c = content();
        List<Object> sorted = new java.util.ArrayList<>(c);
        sorted.sort(java.util.Comparator.comparingInt(o -> rankOf(order, o)));
        c.clear();
        c.addAll(sorted);
    }

    private int insertionIndex(Class<?> type) {
        List<Class<?>> order = childOrder();
        int rank = order.indexOf(type);
        if (rank < 0) return content().size();
        List<Object> c = content();
        for (int i = 0; i < c.size(); i++) {
            int r = rankOf(order, c.get(i));
            if (r > rank) return i;
        }
        return c.size();
    }

    private static int rankOf(List<Class<?>> order, Object child) {
        for (int i = 0; i < order.size(); i++) if (order.get(i).isInstance(child)) return i;
        return Integer.MAX_VALUE;
    }
}
