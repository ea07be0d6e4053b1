package io.github.qwenasr.audio;

import java.util.Locale;
import java.util.Set;

/**
 * Judges what ffmpeg wrote to stderr during one decode (docs/modes.md 2.6). ffmpeg goes on after
 * damaged data (a truncated FLAC frame, a corrupt MP4 packet) and still exits with status 0, so the
 * exit status alone would let a shortened transcript pass as complete. Here a decode fails when ffmpeg
 * exits with another status, when it logs an error, or when it warns that input is corrupt or shorter
 * than its header says. Only the first such line is kept, so a flood of messages costs no memory.
 *
 * <p>With level tags ({@code -loglevel level+warning}) every line starts with groups such as
 * {@code [mp3 @ 0x55d1] [error]}; without them ({@code -loglevel error}) every line is an error.
 */
final class FfmpegDiagnostics {
    private static final Set<String> LEVELS = Set.of("panic", "fatal", "error", "warning", "info", "verbose",
            "debug", "trace", "quiet");
    private static final Set<String> ERRORS = Set.of("panic", "fatal", "error");
    /** Warnings that mean audio was lost: corrupt packets, a file shorter than its header declares. */
    private static final String[] DAMAGE_WARNINGS = {"corrupt", "filesize and duration do not match", "truncat"};
    private static final int MAX_LINE = 300;

    private final boolean tagged;
    private final String inputUrl;
    private final String name;
    /** The input's format as sniffed ("MP3"), or null. */
    private final String label;
    private String firstError;
    private String firstDamage;
    private boolean noAudioStream;

    /**
     * @param tagged   whether lines carry their level
     * @param inputUrl the input as ffmpeg names it ({@code file:/...}), replaced by {@code name} in messages
     * @param name     how messages name the input
     * @param label    the input's format as sniffed ("MP3"), or null when not known
     */
    FfmpegDiagnostics(boolean tagged, String inputUrl, String name, String label) {
        this.tagged = tagged;
        this.inputUrl = inputUrl;
        this.name = name;
        this.label = label;
    }

    /** Takes one line of ffmpeg's stderr. */
    synchronized void accept(String line) {
        String level = tagged ? null : "error";
        String text = line.strip();
        while (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) break;
            String group = text.substring(1, close).strip().toLowerCase(Locale.ROOT);
            if (LEVELS.contains(group)) level = group;
            text = text.substring(close + 1).strip();
        }
        if (text.isEmpty() || level == null) return;
        if (text.contains("matches no streams")) noAudioStream = true;
        if (ERRORS.contains(level)) {
            if (firstError == null) firstError = clean(text);
        } else if (level.equals("warning") && firstDamage == null && isDamage(text)) {
            firstDamage = clean(text);
        }
    }

    private static boolean isDamage(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String w : DAMAGE_WARNINGS) {
            if (lower.contains(w)) return true;
        }
        return false;
    }

    private String clean(String text) {
        String t = inputUrl.isEmpty() ? text : text.replace(inputUrl, name);
        if (t.startsWith(name + ": ")) t = t.substring(name.length() + 2); // the message names it already
        if (t.endsWith(".")) t = t.substring(0, t.length() - 1);
        return t.length() > MAX_LINE ? t.substring(0, MAX_LINE) + "..." : t;
    }

    /**
     * One line saying why the decode failed, or null when it succeeded cleanly.
     *
     * @param exitStatus ffmpeg's exit status
     */
    synchronized String failure(int exitStatus) {
        if (noAudioStream) return name + ": no audio stream in it";
        if (exitStatus != 0) {
            if (firstError != null) {
                return name + ": ffmpeg cannot decode " + (label == null ? "it" : "this " + label + " file") + ": "
                        + firstError;
            }
            if (exitStatus > 128 || exitStatus == 255) {
                return name + ": ffmpeg was stopped (exit status " + exitStatus + ") before the audio was decoded";
            }
            return name + ": ffmpeg failed (exit status " + exitStatus + ")";
        }
        String damage = firstError != null ? firstError : firstDamage;
        if (damage == null) return null;
        return name + ": damaged " + (label == null ? "" : label + " ") + "audio, ffmpeg could not decode all of it ("
                + damage + "); to transcribe what "
                + "can be decoded, convert it first: ffmpeg -i IN -ar 16000 OUT.wav";
    }
}
