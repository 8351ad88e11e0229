package dev.citadel.cli;

/** The output modes of {@code -o}: aligned text for people, the server's JSON, or CSV. */
enum Format {
    TABLE, JSON, CSV
}
