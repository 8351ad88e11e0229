/** Metric naming shared by every feature: the bounded {@code tenant} tag. */
package dev.citadel.platform.metrics;
