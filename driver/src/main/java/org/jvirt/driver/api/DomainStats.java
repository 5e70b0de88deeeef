package org.jvirt.driver.api;

import java.util.List;

/** One domain's record of virConnectGetAllDomainStats: the domain and its typed statistics in order. */
public record DomainStats(Domain domain, List<TypedParameter> params) { }
