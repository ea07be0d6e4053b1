package io.github.qwenasr.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** How a batch run stores its rows: JSON lines or Parquet, one file per partition. */
public enum OutputFormat {
    JSONL("jsonl", "json"),
    PARQUET("parquet", "parquet");

    private final String extension;
    private final String sparkSource;

    OutputFormat(String extension, String sparkSource) {
        this.extension = extension;
        this.sparkSource = sparkSource;
    }

    /** The part files' extension, without the dot. */
    public String extension() {
        return extension;
    }

    /** The name {@code spark.read().format(...)} knows it by. */
    public String sparkSource() {
        return sparkSource;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Writes the rows to {@code file} (created or replaced), completely, or throws. */
    public void write(Path file, List<ResultRow> rows, boolean withWords) throws IOException {
        switch (this) {
            case JSONL -> JsonLinesWriter.write(file, rows, withWords);
            case PARQUET -> ParquetResultWriter.write(file, rows, withWords);
        }
    }

    /** The format named {@code s} (any case). */
    public static OutputFormat parse(String s) {
        for (OutputFormat f : values()) {
            if (f.label().equalsIgnoreCase(s.strip())) return f;
        }
        throw new IllegalArgumentException("unknown format '" + s + "' (jsonl or parquet)");
    }
}
