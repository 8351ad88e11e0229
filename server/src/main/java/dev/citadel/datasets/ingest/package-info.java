/**
 * The streaming ingest pipeline and the shapes it produces (column schema, findings, validation
 * report). Exposed as the {@code ingest} interface so training can read a stored version's CSV with
 * the same parser and understand its schema and findings.
 */
@org.springframework.modulith.NamedInterface("ingest")
package dev.citadel.datasets.ingest;
