package io.cohort.support.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class StoreBytesTest {

    @Test
    void numbersOfEverySignAndSizeComeBackExactly() {
        Random random = new Random(7);
        long[] longs = new long[200];
        BigDecimal[] decimals = new BigDecimal[200];
        for (int i = 0; i < longs.length; i++) {
            longs[i] = switch (i % 4) {
                case 0 -> random.nextInt(300);
                case 1 -> -random.nextInt(300);
                case 2 -> random.nextLong();
                default -> i % 8 == 3 ? Long.MIN_VALUE : Long.MAX_VALUE;
            };
            decimals[i] = new BigDecimal(java.math.BigInteger.valueOf(random.nextLong()).multiply(
                    java.math.BigInteger.valueOf(random.nextLong())), random.nextInt(20) - 5);
        }
        StoreBytes.Out out = new StoreBytes.Out(4);
        for (int i = 0; i < longs.length; i++) {
            out.writeVarlong(longs[i]);
            out.writeDecimal(decimals[i]);
        }
        out.writeDecimal(BigDecimal.ZERO);
        out.writeDecimal(new BigDecimal("19.990"));
        out.writeNullableInstant(Instant.parse("2026-12-07T10:15:30.123456789Z"));
        StoreBytes.In in = new StoreBytes.In(out.toByteArray(), 0);
        for (int i = 0; i < longs.length; i++) {
            assertEquals(longs[i], in.readVarlong());
            assertEquals(decimals[i], in.readDecimal());
        }
        assertEquals(BigDecimal.ZERO, in.readDecimal());
        // the scale is kept: 19.990 is not equals() to 19.99
        assertEquals(new BigDecimal("19.990"), in.readDecimal());
        assertEquals(Instant.parse("2026-12-07T10:15:30.123456789Z"), in.readNullableInstant());
        assertThrows(SerializationException.class, in::readByte);
    }

    @Test
    void smallCountersTakeOneByte() {
        StoreBytes.Out out = new StoreBytes.Out(1);
        out.writeVarlong(63);
        out.writeVarlong(-64);
        assertEquals(2, out.toByteArray().length);
    }

    @Test
    void aDecimalRunningPastTheEndIsASerializationError() {
        StoreBytes.Out out = new StoreBytes.Out(8);
        out.writeVarlong(2);
        out.writeVarint(40);
        out.writeByte(1);
        assertThrows(SerializationException.class, () -> new StoreBytes.In(out.toByteArray(), 0).readDecimal());
    }
}
