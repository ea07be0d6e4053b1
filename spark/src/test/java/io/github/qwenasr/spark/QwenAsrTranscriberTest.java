package io.github.qwenasr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.align.AlignedItem;
import io.github.qwenasr.align.ForcedAligner;
import io.github.qwenasr.align.TimestampedTranscriber;
import io.github.qwenasr.audio.AudioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark ML transformer on local[2]: paths and binaryFile content give the engine's own results,
 * bad files become error rows, word times come from the aligner, and a pipeline saved and loaded
 * transforms the same way.
 */
class QwenAsrTranscriberTest {
    @TempDir
    static Path tmp;

    private static Path folder;
    private static List<Path> good;
    private static List<Path> bad;

    @BeforeAll
    static void clips() {
        folder = tmp.resolve("clips");
        good = TestClips.write(folder, 16, 33);
        bad = TestClips.writeBad(folder, 8).stream().filter(Files::exists).toList();
    }

    private static QwenAsrTranscriber transcriber() {
        return new QwenAsrTranscriber().setModelDir(SparkTests.tinyModel().toString())
                .setMaxNewTokens(SparkTests.MAX_NEW_TOKENS).setThreads(2).setJobs(3);
    }

    private static Dataset<Row> binaryFiles() {
        return SparkTests.spark().read().format("binaryFile").option("pathGlobFilter", "*.wav")
                .load(folder.toString()).repartition(3);
    }

    private static Map<String, Reference.Cells> byPath(Dataset<Row> out, String pathCol) {
        Map<String, Reference.Cells> m = new HashMap<>();
        for (Row r : out.collectAsList()) {
            Path p = TranscribeRows.localPath(r.getAs(pathCol));
            m.put(p.getFileName().toString(), new Reference.Cells(r.getAs("language"), r.getAs("text"),
                    r.getAs("finish_reason"), r.getAs("audio_seconds"), r.getAs("error")));
        }
        return m;
    }

    @Test
    void pathsAndBytesGiveTheEnginesOwnResults() {
        Dataset<Row> files = binaryFiles().cache();
        Map<String, Reference.Cells> fromBytes = byPath(transcriber().setInputCol("content").transform(files), "path");
        Map<String, Reference.Cells> fromPaths = byPath(transcriber().transform(files.select("path")), "path");
        Dataset<Row> plain = SparkTests.spark().createDataset(
                good.stream().map(Path::toString).toList(), Encoders.STRING()).toDF("audio");
        Map<String, Reference.Cells> fromPlainPaths = byPath(transcriber().setInputCol("audio").transform(plain), "audio");
        files.unpersist();

        // Spark's file sources skip files of length 0, so binaryFile has no row for the empty one.
        assertEquals(good.size() + bad.size() - 1, fromBytes.size(), fromBytes.keySet().toString());
        assertTrue(!fromBytes.containsKey("bad-empty.wav"));
        assertEquals(fromBytes.keySet(), fromPaths.keySet());
        try (QwenAsr asr = QwenAsr.load(SparkTests.tinyModel(), 2)) {
            for (Path clip : good) {
                String name = clip.getFileName().toString();
                Reference.Cells want = Reference.direct(asr, clip, SparkTests.MAX_NEW_TOKENS);
                assertEquals(want, fromPaths.get(name), name);
                assertEquals(want, fromPlainPaths.get(name), name);
                assertEquals(want, fromBytes.get(name), name);
            }
            for (Path file : bad) {
                String name = file.getFileName().toString();
                Reference.Cells path = fromPaths.get(name);
                if (path == null) continue;
                assertEquals(Reference.direct(asr, file, SparkTests.MAX_NEW_TOKENS).error(), path.error(), name);
                Reference.Cells bytes = fromBytes.get(name);
                assertNotNull(bytes.error(), name);
                assertNull(bytes.text(), name);
                assertNull(bytes.audioSeconds(), name);
            }
        }
        // What the bytes say where there is no file name to name.
        Dataset<Row> empty = SparkTests.spark().createDataFrame(List.of(RowFactory.create((Object) new byte[0])),
                new StructType().add("content", DataTypes.BinaryType));
        assertEquals("audio file is empty",
                transcriber().setInputCol("content").transform(empty).first().getAs("error"));
        // Bytes that are not WAV are judged as the same file would be, without naming a temporary copy.
        for (Path file : bad) {
            String name = file.getFileName().toString();
            Reference.Cells bytes = fromBytes.get(name);
            if (bytes == null || !(name.equals("bad-noise.wav") || name.equals("bad-mp3.wav"))) continue;
            assertEquals(fromPaths.get(name).error().replace(file.toString(), "the input"), bytes.error(), name);
        }
        assertTrue(fromBytes.get("bad-mp3.wav").error().contains("MP3"), fromBytes.get("bad-mp3.wav").error());
    }

    @Test
    void theAlignerAddsTimedWords() {
        Dataset<Row> files = binaryFiles().where("path like '%/clip-%'").limit(6);
        QwenAsrTranscriber t = transcriber().setInputCol("content").setAlignerDir(SparkTests.tinyAligner().toString())
                .setLanguage("english").setWordsCol("timed");
        Dataset<Row> out = t.transform(files);
        assertEquals(DataTypes.createArrayType(ResultColumns.WORD, true), out.schema().apply("timed").dataType());
        List<Row> rows = out.collectAsList();
        assertEquals(6, rows.size());
        try (QwenAsr asr = QwenAsr.load(SparkTests.tinyModel(), 2);
             ForcedAligner aligner = ForcedAligner.load(SparkTests.tinyAligner(), 2)) {
            int timed = 0;
            for (Row r : rows) {
                byte[] wav = r.getAs("content");
                TimestampedTranscriber.Result want;
                try {
                    want = new TimestampedTranscriber(asr, aligner).transcribe16k(AudioLoader.load16k(wav),
                            TranscribeOptions.defaults().withLanguage("English").withMaxNewTokens(SparkTests.MAX_NEW_TOKENS));
                } catch (QwenAsrException e) {
                    assertNotNull(r.getAs("error"));
                    continue;
                }
                assertEquals(want.transcription().text(), r.getAs("text"));
                List<Row> words = r.getList(r.fieldIndex("timed"));
                assertEquals(want.items().size(), words.size());
                for (int i = 0; i < words.size(); i++) {
                    AlignedItem w = want.items().get(i);
                    assertEquals(w.text(), words.get(i).getString(0));
                    assertEquals(w.startSeconds(), words.get(i).getDouble(1));
                    assertEquals(w.endSeconds(), words.get(i).getDouble(2));
                }
                timed += words.isEmpty() ? 0 : 1;
            }
            assertTrue(timed > 0, "no clip got timed words");
        }
    }

    @Test
    void aSavedPipelineLoadsWithItsParamsAndTransformsTheSame() throws Exception {
        QwenAsrTranscriber t = transcriber().setInputCol("content").setPrompt("names: Ada, Grace").setTextCol("transcript");
        PipelineModel model = new Pipeline().setStages(new PipelineStage[] {t}).fit(binaryFiles().limit(1));
        Path saved = tmp.resolve("pipeline");
        model.write().save(saved.toString());
        PipelineModel loaded = PipelineModel.load(saved.toString());
        QwenAsrTranscriber back = (QwenAsrTranscriber) loaded.stages()[0];
        assertEquals(t.uid(), back.uid());
        assertEquals(t.getOrDefault(t.prompt()), back.getOrDefault(back.prompt()));
        assertEquals(t.getOrDefault(t.modelDir()), back.getOrDefault(back.modelDir()));
        assertEquals(t.getOrDefault(t.maxNewTokens()), back.getOrDefault(back.maxNewTokens()));
        assertEquals(t.getOrDefault(t.jobs()), back.getOrDefault(back.jobs()));
        assertEquals("transcript", back.getOrDefault(back.textCol()));

        Dataset<Row> some = binaryFiles().where("path like '%clip-00%'").select("path", "content").cache();
        List<String> direct = texts(model.transform(some));
        assertEquals(texts(loaded.transform(some)), direct);
        assertEquals(texts(t.transform(some)), direct);
        some.unpersist();
        try (QwenAsr asr = QwenAsr.load(SparkTests.tinyModel(), 2)) {
            String want = asr.transcribe(good.get(0), TranscribeOptions.defaults().withContext("names: Ada, Grace")
                    .withMaxNewTokens(SparkTests.MAX_NEW_TOKENS)).text();
            String got = model.transform(some).where("path like '%clip-000.wav'").first().getAs("transcript");
            assertEquals(want, got);
        }
    }

    private static List<String> texts(Dataset<Row> out) {
        List<String> t = new ArrayList<>();
        for (Row r : out.orderBy("path").collectAsList()) t.add(r.getAs("path") + "\t" + r.getAs("transcript"));
        return t;
    }

    @Test
    void badSettingsFailBeforeAnyTranscription() {
        Dataset<Row> files = binaryFiles();
        IllegalArgumentException noModel = assertThrows(IllegalArgumentException.class,
                () -> new QwenAsrTranscriber().transform(files));
        assertTrue(noModel.getMessage().contains("modelDir"), noModel.getMessage());
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                () -> transcriber().setInputCol("length").transform(files));
        assertTrue(wrongType.getMessage().contains("paths (string) or WAV bytes (binary)"), wrongType.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> transcriber().setInputCol("audio").transform(files));
        assertTrue(missing.getMessage().contains("no input column 'audio'"), missing.getMessage());
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
                () -> transcriber().setInputCol("content").setTextCol("path").transform(files));
        assertTrue(clash.getMessage().contains("'path' already exists"), clash.getMessage());
        QwenAsrSparkException language = assertThrows(QwenAsrSparkException.class,
                () -> transcriber().setInputCol("content").setLanguage("Klingon").transform(files));
        assertTrue(language.getMessage().contains("Klingon"), language.getMessage());
    }

    @Test
    void otherFileSystemsAndNullsAreErrorRows() {
        Dataset<Row> in = SparkTests.spark().createDataset(
                java.util.Arrays.asList("hdfs://namenode/clips/a.wav", null, good.get(1).toUri().toString()),
                Encoders.STRING()).toDF("audio");
        List<Row> rows = transcriber().setInputCol("audio").transform(in).collectAsList();
        assertEquals(3, rows.size());
        assertTrue(rows.get(0).<String>getAs("error").startsWith("cannot open hdfs://namenode/clips/a.wav as a local file"));
        assertEquals("no audio: the input column is null", rows.get(1).getAs("error"));
        assertNull(rows.get(2).getAs("error"));
        assertNotNull(rows.get(2).getAs("text"));
    }
}
