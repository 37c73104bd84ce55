package dev.replica.experiments.metrics;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails once more than a set number of bytes has been read. */
final class LimitedInputStream extends FilterInputStream {
    /** Thrown when the limit is passed. */
    static final class LimitExceededException extends IOException {
        LimitExceededException(long limit) {
            super("body is larger than the limit of " + limit + " bytes");
        }
    }

    private final long limit;
    private long read;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    private void count(long n) throws LimitExceededException {
        if (n > 0) {
            read += n;
            if (read > limit) {
                throw new LimitExceededException(limit);
            }
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        count(b < 0 ? 0 : 1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        count(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = super.skip(n);
        count(s);
        return s;
    }
}
