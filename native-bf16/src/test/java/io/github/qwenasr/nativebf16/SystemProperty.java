package io.github.qwenasr.nativebf16;

/** Sets a system property for the length of a try block and restores the old value. */
final class SystemProperty implements AutoCloseable {
    private final String name;
    private final String old;

    private SystemProperty(String name, String value) {
        this.name = name;
        this.old = System.getProperty(name);
        System.setProperty(name, value);
    }

    static SystemProperty set(String name, String value) {
        return new SystemProperty(name, value);
    }

    @Override
    public void close() {
        if (old == null) System.clearProperty(name);
        else System.setProperty(name, old);
    }
}
