package io.cohort.devstack.security;

import io.cohort.devstack.Roles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * For {@code ./cohort up}: gets one token per person role (viewer, marketer, operator, admin) from
 * the local issuer's token endpoint, writes each to {@code <dir>/<role>} readable by its owner only,
 * and prints how to use them. Arguments: {@code <issuer-url> <dir>}.
 */
public final class RoleTokens {

    private RoleTokens() {
    }

    public static void main(String[] args) throws IOException {
        String issuer = args[0];
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir);
        TokenClient tokens = new TokenClient(issuer);
        for (Map.Entry<String, Roles.Client> user : Roles.development().entrySet()) {
            if (!user.getValue().person()) {
                continue;
            }
            Path file = dir.resolve(user.getKey());
            Files.deleteIfExists(file);
            Files.createFile(file);
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(file, tokens.password(user.getKey(), user.getValue().secret(), null));
        }
        System.out.printf("Bearer tokens per role (valid 12 h), from the local issuer %s:%n", issuer);
        System.out.printf("  %s/{viewer,marketer,operator,admin}   scopes: docs/SECURITY.md%n", dir);
        System.out.printf("  curl -H \"Authorization: Bearer $(cat %s/operator)\" localhost:8083/v1/models%n", dir);
        System.out.printf("  curl -H \"Authorization: Bearer $(cat %s/viewer)\" localhost:8082/v1/features/catalog%n", dir);
        System.out.printf("  curl -H \"Authorization: Bearer $(cat %s/admin)\" localhost:8081/v1/admin/write-keys"
                + "   (write keys: admin; erasure, consent: privacy:write)%n", dir);
        System.out.printf("  curl -H \"Authorization: Bearer $(cat %s/marketer)\" localhost:8084/v1/segments%n", dir);
        System.out.printf("  a new one: curl -s %s/token -d grant_type=password -d username=operator -d password=operator%n",
                issuer);
        System.out.println("  Swagger UI: \"Authorize\" and paste a token");
    }
}
