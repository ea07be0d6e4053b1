package io.github.qwenasr.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Writes rows as one Parquet file with the columns of {@link ResultColumns#batchSchema}, through the
 * Parquet library Spark itself ships; {@code words} is a standard three-level list, which Spark reads
 * as {@code array<struct<text, start, end>>}.
 */
final class ParquetResultWriter {
    private ParquetResultWriter() {
    }

    static MessageType schema(boolean withWords) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (String name : List.of(ResultColumns.PATH, ResultColumns.SHA256, ResultColumns.LANGUAGE, ResultColumns.TEXT,
                ResultColumns.FINISH_REASON)) {
            b.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
        }
        b.optional(PrimitiveTypeName.DOUBLE).named(ResultColumns.AUDIO_SECONDS);
        b.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(ResultColumns.ERROR);
        if (withWords) {
            b.optionalGroup().as(LogicalTypeAnnotation.listType())
                    .repeatedGroup()
                    .optionalGroup()
                    .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("text")
                    .optional(PrimitiveTypeName.DOUBLE).named("start")
                    .optional(PrimitiveTypeName.DOUBLE).named("end")
                    .named("element")
                    .named("list")
                    .named(ResultColumns.WORDS);
        }
        return b.named("transcription");
    }

    static void write(Path file, List<ResultRow> rows, boolean withWords) throws IOException {
        MessageType schema = schema(withWords);
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withType(schema)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (ResultRow r : rows) {
                Outcome o = r.outcome();
                Group g = groups.newGroup();
                put(g, ResultColumns.PATH, r.path());
                put(g, ResultColumns.SHA256, r.sha256());
                put(g, ResultColumns.LANGUAGE, o.language());
                put(g, ResultColumns.TEXT, o.text());
                put(g, ResultColumns.FINISH_REASON, o.finishReason());
                if (o.audioSeconds() != null) g.append(ResultColumns.AUDIO_SECONDS, o.audioSeconds());
                put(g, ResultColumns.ERROR, o.error());
                if (withWords && o.words() != null) {
                    Group list = g.addGroup(ResultColumns.WORDS);
                    for (Word word : o.words()) {
                        Group e = list.addGroup("list").addGroup("element");
                        e.append("text", word.text());
                        e.append("start", word.start());
                        e.append("end", word.end());
                    }
                }
                w.write(g);
            }
        }
    }

    private static void put(Group g, String field, String value) {
        if (value != null) g.append(field, value);
    }
}
