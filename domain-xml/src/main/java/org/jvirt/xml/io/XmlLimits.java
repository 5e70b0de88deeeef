package org.jvirt.xml.io;

/**
 * Bounds on what the parser accepts, so that hostile input costs bounded time and memory.
 * libvirt refuses documents over 10 MiB; the nesting bound is far above any real domain
 * (libvirt's deepest is about 8) and far below what exhausts a stack.
 */
public record XmlLimits(long maxBytes, int maxDepth) {
    public static final XmlLimits LIBVIRT = new XmlLimits(10L * 1024 * 1024, 256);
}
