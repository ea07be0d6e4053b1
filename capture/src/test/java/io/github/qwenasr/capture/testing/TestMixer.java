package io.github.qwenasr.capture.testing;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Control;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineListener;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;

/** A mixer with one kind of line: a {@link TestLine} that plays its device's audio. */
final class TestMixer implements Mixer {
    /** The mixer info of a test device: its name, the test vendor. */
    static final class Info extends Mixer.Info {
        final TestDevice device;

        Info(TestDevice device) {
            super(device.name(), TestDevices.VENDOR, "test input device", "1");
            this.device = device;
        }
    }

    private final Info info;
    private final DataLine.Info lineInfo;

    TestMixer(Info info) {
        this.info = info;
        this.lineInfo = new DataLine.Info(TargetDataLine.class, info.device.offered().toArray(AudioFormat[]::new),
                AudioSystem.NOT_SPECIFIED, AudioSystem.NOT_SPECIFIED);
    }

    /** Whether a requested format is the one the device plays (open rate or channels accepted). */
    static boolean plays(TestDevice d, AudioFormat f) {
        AudioFormat p = d.played();
        return p.getEncoding().equals(f.getEncoding()) && p.getSampleSizeInBits() == f.getSampleSizeInBits()
                && (p.getSampleSizeInBits() <= 8 || p.isBigEndian() == f.isBigEndian())
                && (f.getSampleRate() == AudioSystem.NOT_SPECIFIED || f.getSampleRate() == p.getSampleRate())
                && (f.getChannels() == AudioSystem.NOT_SPECIFIED || f.getChannels() == p.getChannels());
    }

    @Override
    public Mixer.Info getMixerInfo() {
        return info;
    }

    @Override
    public Line.Info[] getSourceLineInfo() {
        return new Line.Info[0];
    }

    @Override
    public Line.Info[] getTargetLineInfo() {
        return new Line.Info[] {lineInfo};
    }

    @Override
    public Line.Info[] getSourceLineInfo(Line.Info i) {
        return new Line.Info[0];
    }

    @Override
    public Line.Info[] getTargetLineInfo(Line.Info i) {
        return isLineSupported(i) ? new Line.Info[] {lineInfo} : new Line.Info[0];
    }

    @Override
    public boolean isLineSupported(Line.Info i) {
        if (!(i instanceof DataLine.Info d) || !TargetDataLine.class.isAssignableFrom(d.getLineClass())) return false;
        for (AudioFormat f : d.getFormats()) if (!plays(info.device, f)) return false;
        return true;
    }

    @Override
    public Line getLine(Line.Info i) throws LineUnavailableException {
        if (!isLineSupported(i)) throw new IllegalArgumentException("test device " + info.getName() + " does not support " + i);
        TestLine line = new TestLine(info.device, lineInfo);
        TestDevices.OPENED.add(line);
        return line;
    }

    @Override
    public int getMaxLines(Line.Info i) {
        return AudioSystem.NOT_SPECIFIED;
    }

    @Override
    public Line[] getSourceLines() {
        return new Line[0];
    }

    @Override
    public Line[] getTargetLines() {
        return new Line[0];
    }

    @Override
    public void synchronize(Line[] lines, boolean maintainSync) {
        throw new IllegalArgumentException("no synchronization");
    }

    @Override
    public void unsynchronize(Line[] lines) {
        throw new IllegalArgumentException("no synchronization");
    }

    @Override
    public boolean isSynchronizationSupported(Line[] lines, boolean maintainSync) {
        return false;
    }

    @Override
    public Line.Info getLineInfo() {
        return new Line.Info(Mixer.class);
    }

    @Override
    public void open() {
    }

    @Override
    public void close() {
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public Control[] getControls() {
        return new Control[0];
    }

    @Override
    public boolean isControlSupported(Control.Type control) {
        return false;
    }

    @Override
    public Control getControl(Control.Type control) {
        throw new IllegalArgumentException("no controls");
    }

    @Override
    public void addLineListener(LineListener listener) {
    }

    @Override
    public void removeLineListener(LineListener listener) {
    }
}
