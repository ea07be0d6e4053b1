package io.github.qwenasr.stream;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.prompt.PromptBuilder;
import io.github.qwenasr.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * The decoder input of one streaming step (docs/modes.md 6.2 step 5, 3.2): the offline prompt with the
 * step's audio rows, followed by the replayed prefix tokens (no extra {@code <asr_text>}). The
 * framing around the audio is tokenised once: added tokens are split off before ordinary text is
 * tokenised, so the ids around the audio placeholders do not depend on their number.
 *
 * <p>Each input row also gets an identity for the prefill reuse (6.5): a token row is its id
 * (never negative), an audio row is a negative number made of its span's serial and row index.
 */
final class StreamPrompt {
    private final int audioTokenId;
    private final int[] head;
    private final int[] tail;

    /** Ids and row identities of one step's input. */
    record Layout(int[] ids, long[] rowIds, float[] audio, int audioRows) {}

    StreamPrompt(Tokenizer tokenizer, String context, String forcedLanguage, int audioTokenId) {
        this.audioTokenId = audioTokenId;
        int[] one = PromptBuilder.ids(tokenizer, context, 1, forcedLanguage);
        int at = -1;
        for (int i = 0; i < one.length; i++) {
            if (one[i] == audioTokenId) {
                if (at >= 0) throw new QwenAsrException("the context must not contain audio placeholder tokens");
                at = i;
            }
        }
        if (at < 0) throw new IllegalStateException("prompt has no audio placeholder");
        head = Arrays.copyOfRange(one, 0, at);
        tail = Arrays.copyOfRange(one, at + 1, one.length);
    }

    /** Rows before the audio (chat framing, system context, audio start). */
    int headLength() {
        return head.length;
    }

    /** Ids of the prompt for {@code audioRows} audio tokens, as {@link PromptBuilder#ids} gives them. */
    int[] ids(int audioRows) {
        int[] ids = new int[head.length + audioRows + tail.length];
        System.arraycopy(head, 0, ids, 0, head.length);
        Arrays.fill(ids, head.length, head.length + audioRows, audioTokenId);
        System.arraycopy(tail, 0, ids, head.length + audioRows, tail.length);
        return ids;
    }

    /** The step's input: framing, the spans' rows in order, framing, then the prefix. */
    Layout layout(List<EncoderWindowCache.Span> spans, int[] prefix) {
        int audioRows = 0;
        for (EncoderWindowCache.Span s : spans) audioRows += s.count();
        int[] base = ids(audioRows);
        int n = base.length + prefix.length;
        int[] ids = Arrays.copyOf(base, n);
        System.arraycopy(prefix, 0, ids, base.length, prefix.length);
        long[] rowIds = new long[n];
        for (int i = 0; i < n; i++) rowIds[i] = ids[i];
        float[] audio = null;
        int p = head.length;
        int width = 0;
        int filled = 0;
        for (EncoderWindowCache.Span s : spans) {
            if (audio == null) {
                width = s.count() == 0 ? 0 : s.rows().length / s.count();
                audio = new float[audioRows * width];
            }
            System.arraycopy(s.rows(), 0, audio, filled * width, s.count() * width);
            for (int r = 0; r < s.count(); r++) rowIds[p++] = audioRowId(s.serial(), r);
            filled += s.count();
        }
        return new Layout(ids, rowIds, audio == null ? new float[0] : audio, audioRows);
    }

    /** Identity of row {@code row} of span {@code serial}: negative, distinct from every token id. */
    static long audioRowId(long serial, int row) {
        return -1 - ((serial << 20) | row);
    }
}
