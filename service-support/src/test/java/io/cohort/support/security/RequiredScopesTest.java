package io.cohort.support.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequiredScopesTest {

    @RolesAllowed(Scopes.ADMIN)
    static class Resource {
        @RolesAllowed(Scopes.MODELS_TRAIN)
        public void train() {
        }

        public void inherited() {
        }
    }

    static class Open {
        public void open() {
        }
    }

    @Test
    void theMethodsScopeWinsOverTheClasss() throws Exception {
        assertEquals(List.of("models:train"), RequiredScopes.of(Resource.class.getMethod("train")));
        assertEquals(List.of("admin"), RequiredScopes.of(Resource.class.getMethod("inherited")));
    }

    @Test
    void noAnnotationMeansNoKnownScope() throws Exception {
        assertEquals(List.of(), RequiredScopes.of(Open.class.getMethod("open")));
        assertEquals(List.of(), RequiredScopes.of(null));
    }

    @Test
    void theProblemNamesTheScope() {
        ScopeProblem problem = ScopeProblem.missing(List.of(Scopes.MODELS_ACTIVATE));
        assertEquals(403, problem.status());
        assertEquals(List.of("models:activate"), problem.scopes());
        assertTrue(problem.detail().contains("'models:activate'"), problem.detail());
    }

    @Test
    void everyScopeIsListedOnce() {
        assertEquals(14, Scopes.ALL.size());
        assertEquals(Scopes.ALL.size(), Scopes.ALL.stream().distinct().count());
    }
}
