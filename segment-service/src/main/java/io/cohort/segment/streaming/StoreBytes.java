package io.cohort.segment.streaming;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The primitives of the stores' binary values ({@link StoreSerdes}): big-endian fixed-width numbers,
 * unsigned varint lengths, UTF-8 strings (any length, unlike {@code DataOutput.writeUTF}) and a
 * presence byte before each nullable value. Hand-rolled over a byte array because the JFR profile
 * showed Jackson's bean (de)serialisation of store values as the stream thread's largest cost.
 */
final class StoreBytes {

    private StoreBytes() {
    }

    /** A growing output buffer. */
    static final class Out {

        private byte[] buf;
        private int size;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        void writeByte(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        void writeBoolean(boolean b) {
            writeByte(b ? 1 : 0);
        }

        void writeVarint(int v) {
            while ((v & ~0x7F) != 0) {
                writeByte((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            writeByte(v);
        }

        void writeInt(int v) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                buf[size++] = (byte) (v >>> shift);
            }
        }

        void writeLong(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[size++] = (byte) (v >>> shift);
            }
        }

        /** Raw bits: every double (NaN, -0.0 included) comes back identical. */
        void writeDouble(double v) {
            writeLong(Double.doubleToRawLongBits(v));
        }

        void writeString(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            writeVarint(bytes.length);
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, size, bytes.length);
            size += bytes.length;
        }

        /** Nullable string: presence byte, then the string. */
        void writeNullableString(String s) {
            writeBoolean(s != null);
            if (s != null) {
                writeString(s);
            }
        }

        void writeNullableInstant(Instant at) {
            writeBoolean(at != null);
            if (at != null) {
                writeLong(at.getEpochSecond());
                writeInt(at.getNano());
            }
        }

        void writeUuid(UUID id) {
            writeLong(id.getMostSignificantBits());
            writeLong(id.getLeastSignificantBits());
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }

    /** A reader over one value; running past its end is a {@link SerializationException}. */
    static final class In {

        private final byte[] buf;
        private int pos;

        In(byte[] buf, int from) {
            this.buf = buf;
            this.pos = from;
        }

        int readByte() {
            if (pos >= buf.length) {
                throw new SerializationException("store value ends early");
            }
            return buf[pos++] & 0xFF;
        }

        boolean readBoolean() {
            return readByte() != 0;
        }

        int readVarint() {
            int v = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int b = readByte();
                v |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new SerializationException("malformed length in a store value");
        }

        int readInt() {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | readByte();
            }
            return v;
        }

        long readLong() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | readByte();
            }
            return v;
        }

        double readDouble() {
            return Double.longBitsToDouble(readLong());
        }

        String readString() {
            int length = readVarint();
            if (length < 0 || length > buf.length - pos) {
                throw new SerializationException("string runs past the end of a store value");
            }
            String s = new String(buf, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return s;
        }

        String readNullableString() {
            return readBoolean() ? readString() : null;
        }

        Instant readNullableInstant() {
            return readBoolean() ? Instant.ofEpochSecond(readLong(), readInt()) : null;
        }

        UUID readUuid() {
            return new UUID(readLong(), readLong());
        }
    }
}
