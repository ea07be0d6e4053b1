package io.github.qwenasr.cli;

import io.github.qwenasr.ComputeMode;
import io.github.qwenasr.EncoderAttention;
import io.github.qwenasr.PastText;
import io.github.qwenasr.Quantization;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.format.OutputFormat;
import io.github.qwenasr.vad.VoiceActivity;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters of the typed options (docs/modes.md 1.2): each turns the argument into its value
 * or fails with the one-line message the command prints (the parameter-exception handler of
 * {@link Main} shows a conversion failure's own message, without picocli's framing).
 */
final class OptionValues {
    /** Bounds of --stream-chunk-sec (those of {@code StreamOptions}). */
    static final double MIN_CHUNK_SECONDS = 0.1;
    static final double MAX_CHUNK_SECONDS = 60;

    private OptionValues() {
    }

    /** A plain decimal number of seconds, at least 0: no sign, exponent, NaN, Infinity or type suffix. */
    static double seconds(String flag, String value) {
        String v = value.strip();
        if (!v.matches("\\+?(\\d+(\\.\\d*)?|\\.\\d+)")) {
            throw new TypeConversionException(flag + " must be a number of seconds >= 0, got '" + value + "'");
        }
        double d = Double.parseDouble(v);
        if (!Double.isFinite(d) || d > 1e9) throw new TypeConversionException(flag + " is out of range, got '" + value + "'");
        return d;
    }

    /** Seconds as the messages show them: "5" rather than "5.0". */
    static String formatSeconds(double s) {
        return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
    }

    /** -S: 0 (off) or at least {@link TranscribeOptions#MIN_SEGMENT_SECONDS}. */
    static final class SegmentSeconds implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double s = seconds("-S", value);
            if (s != 0 && s < TranscribeOptions.MIN_SEGMENT_SECONDS) {
                throw new TypeConversionException("-S must be 0 (off) or at least 1 second, got '" + value + "'");
            }
            return s;
        }
    }

    /** -W: any number of seconds (checked against -S once both are known). */
    static final class SearchSeconds implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return seconds("-W", value);
        }
    }

    /** --stream-chunk-sec: {@value #MIN_CHUNK_SECONDS} to {@value #MAX_CHUNK_SECONDS}. */
    static final class ChunkSeconds implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double s = seconds("--stream-chunk-sec", value);
            if (s < MIN_CHUNK_SECONDS || s > MAX_CHUNK_SECONDS) {
                throw new TypeConversionException("--stream-chunk-sec must be between " + MIN_CHUNK_SECONDS + " and "
                        + MAX_CHUNK_SECONDS + " seconds, got '" + value + "'");
            }
            return s;
        }
    }

    /** --past-text yes|no|auto, any case. */
    static final class PastTextMode implements ITypeConverter<PastText> {
        @Override
        public PastText convert(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "yes" -> PastText.YES;
                case "no" -> PastText.NO;
                case "auto" -> PastText.AUTO;
                default -> throw new TypeConversionException("--past-text must be one of yes|no|auto, got '" + value + "'");
            };
        }
    }

    /** --encoder-attention windowed|full, any case. */
    static final class Attention implements ITypeConverter<EncoderAttention> {
        @Override
        public EncoderAttention convert(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "windowed" -> EncoderAttention.WINDOWED;
                case "full" -> EncoderAttention.FULL;
                default -> throw new TypeConversionException("--encoder-attention must be windowed or full, got '"
                        + value + "'");
            };
        }
    }

    /** --quantize none|int8, any case. */
    static final class Quantize implements ITypeConverter<Quantization> {
        @Override
        public Quantization convert(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "none" -> Quantization.NONE;
                case "int8" -> Quantization.INT8;
                default -> throw new TypeConversionException("--quantize must be none or int8, got '" + value + "'");
            };
        }
    }

    /** --compute exact|bf16, any case. */
    static final class Compute implements ITypeConverter<ComputeMode> {
        @Override
        public ComputeMode convert(String value) {
            try {
                return ComputeMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("--compute " + e.getMessage());
            }
        }
    }

    /** --output-format txt|json|srt|vtt, any case. */
    static final class Format implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return OutputFormat.parse(value);
            } catch (QwenAsrException e) {
                throw new TypeConversionException("--output-format: " + e.getMessage());
            }
        }
    }

    /** --vad silero|energy, any case (--vad alone is silero). */
    static final class Detector implements ITypeConverter<VoiceActivity.Detector> {
        @Override
        public VoiceActivity.Detector convert(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "silero" -> VoiceActivity.Detector.SILERO;
                case "energy" -> VoiceActivity.Detector.ENERGY;
                default -> throw new TypeConversionException("--vad must be silero or energy, got '" + value + "'");
            };
        }
    }
}
