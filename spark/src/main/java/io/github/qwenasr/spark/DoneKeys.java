package io.github.qwenasr.spark;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What an output folder already holds: the content hashes that have rows (a rerun skips those inputs
 * wherever they now are), and the paths of inputs that could not be read (rows without a hash; such a
 * path is skipped while it stays unreadable, and transcribed once it can be read).
 */
public record DoneKeys(Set<String> hashes, Set<String> unreadablePaths) {
    public DoneKeys {
        hashes = Set.copyOf(hashes);
        unreadablePaths = Set.copyOf(unreadablePaths);
    }

    public static DoneKeys none() {
        return new DoneKeys(Set.of(), Set.of());
    }

    /** Reads the committed part files (through Spark, which reads both formats). */
    public static DoneKeys read(SparkSession spark, List<Path> parts, OutputFormat format) {
        if (parts.isEmpty()) return none();
        StructType keys = new StructType()
                .add(ResultColumns.PATH, DataTypes.StringType, true)
                .add(ResultColumns.SHA256, DataTypes.StringType, true);
        String[] files = parts.stream().map(p -> p.toUri().toString()).toArray(String[]::new);
        List<Row> rows = spark.read().schema(keys).format(format.sparkSource()).load(files)
                .select(ResultColumns.PATH, ResultColumns.SHA256).collectAsList();
        Set<String> hashes = new HashSet<>();
        Set<String> unreadable = new HashSet<>();
        for (Row r : rows) {
            if (!r.isNullAt(1)) hashes.add(r.getString(1));
            else if (!r.isNullAt(0)) unreadable.add(r.getString(0));
        }
        return new DoneKeys(hashes, unreadable);
    }

    /** Whether the scanned input already has its row. */
    public boolean covers(ScannedInput in) {
        return in.sha256() != null ? hashes.contains(in.sha256()) : unreadablePaths.contains(in.path());
    }
}
