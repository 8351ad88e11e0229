package dev.citadel.datasets;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Upload limits ({@code citadel.datasets.*}). Listed in docs/configuration.md.
 *
 * @param maxUploadSize         bytes read from the request body (compressed size for gzip uploads)
 * @param maxDecompressedSize   bytes a gzip body may inflate to (zip-bomb guard)
 * @param maxFieldChars         characters in one field; also bounds one record's buffer
 * @param maxColumns            columns in the header
 * @param maxXlsxSize           size of an Excel workbook (it is read into memory, never to disk)
 * @param decisionWindowRows    rows examined before protection actions are fixed for the rest
 * @param ingestThreads         threads protecting rows of uploads, shared by all uploads (0: one per core)
 */
@ConfigurationProperties("citadel.datasets")
@Validated
public record DatasetsProperties(
        @DefaultValue("10GB") DataSize maxUploadSize,
        @DefaultValue("20GB") DataSize maxDecompressedSize,
        @DefaultValue("65536") @Min(64) @Max(16_777_216) int maxFieldChars,
        @DefaultValue("1024") @Min(1) @Max(16_384) int maxColumns,
        @DefaultValue("256MB") DataSize maxXlsxSize,
        @DefaultValue("1000") @Min(10) @Max(1_000_000) int decisionWindowRows,
        @DefaultValue("0") @Min(0) @Max(256) int ingestThreads) {

    /** The number of ingest threads to run. */
    public int effectiveIngestThreads() {
        return ingestThreads > 0 ? ingestThreads : Runtime.getRuntime().availableProcessors();
    }
}
