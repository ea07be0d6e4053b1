package io.github.qwenasr.tools;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@code tokenizer_config.json} and {@code chat_template.json} of a synthetic model directory
 * (docs/model.md 5.1, 5.2, 1.8). Every id 151643…151705 gets an added-token entry: without a
 * {@code tokenizer.json} the reference numbers added tokens in order, so a gap would shift
 * {@code <|audio_pad|>} away from 151676.
 */
public final class TokenizerFiles {
    public static final int FIRST_ADDED_ID = 151643;
    public static final int LAST_ADDED_ID = 151705;

    /** Known names of the Qwen3 added tokens from 151643, in id order (special flag per entry). */
    private static final List<Known> QWEN3_TOKENS = List.of(
            new Known("<|endoftext|>", true),
            new Known("<|im_start|>", true),
            new Known("<|im_end|>", true),
            new Known("<|object_ref_start|>", true),
            new Known("<|object_ref_end|>", true),
            new Known("<|box_start|>", true),
            new Known("<|box_end|>", true),
            new Known("<|quad_start|>", true),
            new Known("<|quad_end|>", true),
            new Known("<|vision_start|>", true),
            new Known("<|vision_end|>", true),
            new Known("<|vision_pad|>", true),
            new Known("<|image_pad|>", true),
            new Known("<|video_pad|>", true),
            new Known("<tool_call>", false),
            new Known("</tool_call>", false),
            new Known("<|fim_prefix|>", false),
            new Known("<|fim_middle|>", false),
            new Known("<|fim_suffix|>", false),
            new Known("<|fim_pad|>", false),
            new Known("<|repo_name|>", false),
            new Known("<|file_sep|>", false),
            new Known("<tool_response>", false),
            new Known("</tool_response>", false),
            new Known("<think>", false),
            new Known("</think>", false),
            new Known("<|audio_start|>", true),
            new Known("<|audio_end|>", true));

    /**
     * Jinja template rendering docs/model.md 5.2: system turn always present (content verbatim), one
     * {@code <|audio_start|><|audio_pad|><|audio_end|>} per audio item, generation prompt on request.
     */
    public static final String CHAT_TEMPLATE = String.join("",
            "{%- for message in messages -%}",
            "{{- '<|im_start|>' + message['role'] + '\\n' -}}",
            "{%- if message['content'] is string -%}",
            "{{- message['content'] -}}",
            "{%- else -%}",
            "{%- for item in message['content'] -%}",
            "{%- if item['type'] == 'audio' -%}",
            "{{- '<|audio_start|><|audio_pad|><|audio_end|>' -}}",
            "{%- elif item['type'] == 'text' -%}",
            "{{- item['text'] -}}",
            "{%- endif -%}",
            "{%- endfor -%}",
            "{%- endif -%}",
            "{{- '<|im_end|>\\n' -}}",
            "{%- endfor -%}",
            "{%- if add_generation_prompt -%}",
            "{{- '<|im_start|>assistant\\n' -}}",
            "{%- endif -%}");

    private TokenizerFiles() {
    }

    private record Known(String content, boolean special) {
    }

    /** Content of an added token; ids without a known name get a placeholder. */
    public static String tokenContent(int id) {
        int i = id - FIRST_ADDED_ID;
        if (i >= 0 && i < QWEN3_TOKENS.size()) return QWEN3_TOKENS.get(i).content();
        return switch (id) {
            case ModelConfigFiles.AUDIO_TOKEN_ID -> "<|audio_pad|>";
            case 151704 -> "<asr_text>";
            case 151705 -> "<timestamp>";
            default -> "<|reserved_" + id + "|>";
        };
    }

    /** The {@code special} flag: {@code <asr_text>} must be false (docs/model.md 5.1); placeholders are special. */
    public static boolean tokenSpecial(int id) {
        int i = id - FIRST_ADDED_ID;
        if (i >= 0 && i < QWEN3_TOKENS.size()) return QWEN3_TOKENS.get(i).special();
        return id != 151704 && id != 151705;
    }

    /** The {@code tokenizer_config.json} object. */
    public static Map<String, Object> tokenizerConfig() {
        Map<String, Object> added = new LinkedHashMap<>();
        for (int id = FIRST_ADDED_ID; id <= LAST_ADDED_ID; id++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("content", tokenContent(id));
            e.put("lstrip", false);
            e.put("normalized", false);
            e.put("rstrip", false);
            e.put("single_word", false);
            e.put("special", tokenSpecial(id));
            added.put(Integer.toString(id), e);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("audio_bos_token", "<|audio_start|>");
        extra.put("audio_eos_token", "<|audio_end|>");
        extra.put("audio_token", "<|audio_pad|>");

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("add_bos_token", false);
        m.put("add_prefix_space", false);
        m.put("added_tokens_decoder", added);
        m.put("audio_bos_token", "<|audio_start|>");
        m.put("audio_eos_token", "<|audio_end|>");
        m.put("audio_token", "<|audio_pad|>");
        m.put("bos_token", null);
        m.put("clean_up_tokenization_spaces", false);
        m.put("eos_token", "<|im_end|>");
        m.put("errors", "replace");
        m.put("extra_special_tokens", extra);
        m.put("model_max_length", 131072);
        m.put("pad_token", "<|endoftext|>");
        m.put("processor_class", "Qwen3ASRProcessor");
        m.put("split_special_tokens", false);
        m.put("tokenizer_class", "Qwen2Tokenizer");
        m.put("unk_token", null);
        return m;
    }

    /** The {@code chat_template.json} object. */
    public static Map<String, Object> chatTemplate() {
        return Map.of("chat_template", CHAT_TEMPLATE);
    }
}
