package io.github.qwenasr.stream;

/**
 * A read-only sequence of token ids indexed from 0, of which a leading part may have been
 * forgotten to bound memory ({@link #get} returns {@link #FORGOTTEN} there). Two views agree on
 * a position when both forgot it (the history was trimmed from both at once, when they were
 * equal) or both hold the same id; one forgotten and one known never agree.
 */
interface TokenView {
    /** Returned for positions no longer held. Real token ids are never negative. */
    int FORGOTTEN = -1;

    int length();

    /** The id at {@code i} (0 &lt;= i &lt; length), or {@link #FORGOTTEN}. */
    int get(int i);

    /** First position that is held (positions before it are {@link #FORGOTTEN}). */
    int firstKnown();

    /** A view of a plain array (nothing forgotten). */
    static TokenView of(int... ids) {
        return new TokenView() {
            @Override
            public int length() {
                return ids.length;
            }

            @Override
            public int get(int i) {
                return ids[i];
            }

            @Override
            public int firstKnown() {
                return 0;
            }
        };
    }
}
