package org.jvirt.driver.spi;

import java.io.InputStream;

/** A screenshot as virDomainScreenshot gives it: the MIME type libvirt returns and the image's bytes (its stream). */
public record Screenshot(String mimeType, InputStream data) { }
