package io.cohort.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WriteKeysTest {

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keysAreRandomPrefixedAndHashedWithSha256() {
        String a = WriteKeys.generate();
        String b = WriteKeys.generate();
        assertTrue(a.startsWith(WriteKeys.PREFIX));
        assertEquals(WriteKeys.PREFIX.length() + 43, a.length());
        assertNotEquals(a, b);
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", WriteKeys.sha256("abc"));
    }

    @Test
    void theWriteKeyIsTheBasicUsernameAsSegmentLibrariesSendIt() {
        assertEquals(Optional.of("ck_key"), WriteKeys.basicUsername(basic("ck_key:")));
        assertEquals(Optional.of("ck_key"), WriteKeys.basicUsername(basic("ck_key")));
        assertEquals(Optional.of("ck_key"), WriteKeys.basicUsername("basic " + basic("ck_key:").substring(6)));
        assertEquals(Optional.empty(), WriteKeys.basicUsername(basic(":secret")));
        assertEquals(Optional.empty(), WriteKeys.basicUsername("Basic not-base64!"));
        assertEquals(Optional.empty(), WriteKeys.basicUsername("Bearer ck_key"));
        assertEquals(Optional.empty(), WriteKeys.basicUsername(null));
    }

    @Test
    void serverKeysHaveTheirOwnPrefix() {
        String server = WriteKeys.generate(WriteKeyKind.SERVER);
        assertTrue(server.startsWith("sk_"), server);
        assertEquals("sk_".length() + 43, server.length());
        assertTrue(WriteKeys.generate(WriteKeyKind.CLIENT).startsWith("ck_"));
    }
}
