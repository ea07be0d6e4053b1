package io.github.qwenasr.spark;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Names and Spark types of the output columns, shared by the batch output and the transformer. */
public final class ResultColumns {
    public static final String PATH = "path";
    public static final String SHA256 = "sha256";
    public static final String LANGUAGE = "language";
    public static final String TEXT = "text";
    public static final String FINISH_REASON = "finish_reason";
    public static final String AUDIO_SECONDS = "audio_seconds";
    public static final String ERROR = "error";
    public static final String WORDS = "words";

    /** {@code struct<text: string, start: double, end: double>}, seconds on the recording. */
    public static final StructType WORD = new StructType(new StructField[] {
            DataTypes.createStructField("text", DataTypes.StringType, true),
            DataTypes.createStructField("start", DataTypes.DoubleType, true),
            DataTypes.createStructField("end", DataTypes.DoubleType, true)});

    public static final ArrayType WORDS_TYPE = DataTypes.createArrayType(WORD, true);

    private ResultColumns() {
    }

    /** The batch output's schema; {@code words} only with an aligner. */
    public static StructType batchSchema(boolean withWords) {
        StructType s = new StructType()
                .add(PATH, DataTypes.StringType, true)
                .add(SHA256, DataTypes.StringType, true)
                .add(LANGUAGE, DataTypes.StringType, true)
                .add(TEXT, DataTypes.StringType, true)
                .add(FINISH_REASON, DataTypes.StringType, true)
                .add(AUDIO_SECONDS, DataTypes.DoubleType, true)
                .add(ERROR, DataTypes.StringType, true);
        return withWords ? s.add(WORDS, WORDS_TYPE, true) : s;
    }
}
