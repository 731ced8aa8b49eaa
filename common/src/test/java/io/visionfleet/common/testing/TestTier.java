package io.visionfleet.common.testing;

import org.junit.platform.commons.PreconditionViolationException;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

import java.util.List;

/**
 * The tiers of the test suite (docs/testing.md), one JUnit tag each, and the check that every test class names
 * exactly one. {@code ./fleet test --quick} runs {@link #QUICK} alone ({@code -Dgroups=quick}); {@code ./fleet test}
 * runs both. A class without a tier would silently drop out of the quick run, so discovery fails on it instead
 * (registered for every module through the common test-jar's {@code META-INF/services}).
 */
public final class TestTier implements PostDiscoveryFilter {
    /** Units and in-process contracts: no broker, RTSP session, browser, container or external program. */
    public static final String QUICK = "quick";
    /** Everything that needs one of those: the real broker, a relay, FFmpeg or GStreamer, Chromium, podman. */
    public static final String INTEGRATION = "integration";
    private static final List<String> TIERS = List.of(QUICK, INTEGRATION);

    @Override
    public FilterResult apply(TestDescriptor descriptor) {
        boolean topLevelClass = descriptor.getSource().filter(ClassSource.class::isInstance).isPresent()
                && descriptor.getParent().map(TestDescriptor::isRoot).orElse(false);
        if (topLevelClass) {
            long tiers = descriptor.getTags().stream().map(TestTag::getName).filter(TIERS::contains).count();
            if (tiers != 1) {
                throw new PreconditionViolationException(descriptor.getLegacyReportingName()
                        + " must name one test tier: @Tag(\"" + QUICK + "\") or @Tag(\"" + INTEGRATION
                        + "\") (docs/testing.md)");
            }
        }
        return FilterResult.included("names its tier");
    }
}
