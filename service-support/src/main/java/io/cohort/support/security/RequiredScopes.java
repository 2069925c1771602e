package io.cohort.support.security;

import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.Method;
import java.util.List;

/**
 * The scopes an operation accepts, read from its {@code @RolesAllowed} (the method's, else its
 * class's). Quarkus REST registers resource classes for reflection when {@code ResourceInfo} is
 * used, so this also works in a native image.
 */
public final class RequiredScopes {

    private RequiredScopes() {
    }

    public static List<String> of(Method method) {
        if (method == null) {
            return List.of();
        }
        RolesAllowed allowed = method.getAnnotation(RolesAllowed.class);
        if (allowed == null) {
            allowed = method.getDeclaringClass().getAnnotation(RolesAllowed.class);
        }
        return allowed == null ? List.of() : List.of(allowed.value());
    }
}
