package io.cohort.support.streams;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The primitives of binary state-store values ({@link BinarySerde}): big-endian fixed-width numbers,
 * unsigned varint lengths, UTF-8 strings (any length, unlike {@code DataOutput.writeUTF}) and a
 * presence byte before each nullable value. Hand-rolled over a byte array because the JFR profile
 * showed Jackson's bean (de)serialisation of store values as the stream thread's largest cost.
 */
public final class StoreBytes {

    private StoreBytes() {
    }

    /** A growing output buffer. */
    public static final class Out {

        private byte[] buf;
        private int size;

        public Out(int capacity) {
            buf = new byte[capacity];
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        public void writeByte(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        public void writeBoolean(boolean b) {
            writeByte(b ? 1 : 0);
        }

        public void writeVarint(int v) {
            while ((v & ~0x7F) != 0) {
                writeByte((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            writeByte(v);
        }

        public void writeInt(int v) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                buf[size++] = (byte) (v >>> shift);
            }
        }

        public void writeLong(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[size++] = (byte) (v >>> shift);
            }
        }

        /** Raw bits: every double (NaN, -0.0 included) comes back identical. */
        public void writeDouble(double v) {
            writeLong(Double.doubleToRawLongBits(v));
        }

        public void writeString(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            writeVarint(bytes.length);
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, size, bytes.length);
            size += bytes.length;
        }

        /** Nullable string: presence byte, then the string. */
        public void writeNullableString(String s) {
            writeBoolean(s != null);
            if (s != null) {
                writeString(s);
            }
        }

        /** Zig-zag varint: small magnitudes of either sign take one or two bytes (daily counters mostly). */
        public void writeVarlong(long v) {
            long z = (v << 1) ^ (v >> 63);
            while ((z & ~0x7FL) != 0) {
                writeByte((int) ((z & 0x7F) | 0x80));
                z >>>= 7;
            }
            writeByte((int) z);
        }

        /** Scale and unscaled two's-complement bytes: exact, so sums of money stay exact. */
        public void writeDecimal(BigDecimal v) {
            writeVarlong(v.scale());
            byte[] unscaled = v.unscaledValue().toByteArray();
            writeVarint(unscaled.length);
            ensure(unscaled.length);
            System.arraycopy(unscaled, 0, buf, size, unscaled.length);
            size += unscaled.length;
        }

        public void writeNullableInstant(Instant at) {
            writeBoolean(at != null);
            if (at != null) {
                writeLong(at.getEpochSecond());
                writeInt(at.getNano());
            }
        }

        public void writeUuid(UUID id) {
            writeLong(id.getMostSignificantBits());
            writeLong(id.getLeastSignificantBits());
        }

        public byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }

    /** A reader over one value; running past its end is a {@link SerializationException}. */
    public static final class In {

        private final byte[] buf;
        private int pos;

        public In(byte[] buf, int from) {
            this.buf = buf;
            this.pos = from;
        }

        public int readByte() {
            if (pos >= buf.length) {
                throw new SerializationException("store value ends early");
            }
            return buf[pos++] & 0xFF;
        }

        public boolean readBoolean() {
            return readByte() != 0;
        }

        public int readVarint() {
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

        public int readInt() {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | readByte();
            }
            return v;
        }

        public long readLong() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | readByte();
            }
            return v;
        }

        public double readDouble() {
            return Double.longBitsToDouble(readLong());
        }

        public String readString() {
            int length = readVarint();
            if (length < 0 || length > buf.length - pos) {
                throw new SerializationException("string runs past the end of a store value");
            }
            String s = new String(buf, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return s;
        }

        public String readNullableString() {
            return readBoolean() ? readString() : null;
        }

        public long readVarlong() {
            long z = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                int b = readByte();
                z |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return (z >>> 1) ^ -(z & 1);
                }
            }
            throw new SerializationException("malformed number in a store value");
        }

        public BigDecimal readDecimal() {
            long scale = readVarlong();
            int length = readVarint();
            if (scale != (int) scale || length <= 0 || length > buf.length - pos) {
                throw new SerializationException("malformed decimal in a store value");
            }
            BigInteger unscaled = new BigInteger(buf, pos, length);
            pos += length;
            return new BigDecimal(unscaled, (int) scale);
        }

        public Instant readNullableInstant() {
            return readBoolean() ? Instant.ofEpochSecond(readLong(), readInt()) : null;
        }

        public UUID readUuid() {
            return new UUID(readLong(), readLong());
        }
    }
}
