package io.visionfleet.common.testing;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a running service serves over HTTP, and who each of it is declared for ({@link Access}). The endpoints come
 * from the service itself: the Vert.x router's routes (sub-routers such as Quarkus's {@code /q} included), the
 * Quarkus REST resources and the websockets-next endpoints among its CDI beans, and the files of its static resources
 * route. Filters are recognised and left out: routes without a path that run before the others (negative order, such
 * as {@code ApiGuard}) or have no handler; Quarkus REST's dispatcher is replaced by the resources' methods and
 * websockets-next's upgrade routes by their endpoint classes. Anything else without a path is a problem, as it would
 * answer every path.
 *
 * <p>Declarations are read from REST resource methods, WebSocket endpoint classes, and class-level {@code @Access}
 * with a path on any bean class or holder class (routes no bean of the service registers: Quarkus's, static files). A
 * declared path ending in {@code *} covers every registered path it prefixes; for each method of an endpoint the most
 * specific declaration wins (an exact path over a prefix, a longer prefix over a shorter, named methods over none).
 * A declaration that covers nothing is stale, except where none of a bean's declarations covers anything: such a bean
 * registers its routes only in some services (common's {@code StreamStatusRoute} where a consumer runs), which is
 * noted. A holder's declarations are always checked.
 */
final class RouteInventory {
    /** The methods a route registered for every method must be declared for: the guard tells reads from the rest. */
    static final List<String> EVERY_METHOD = List.of("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE");
    private static final String WEBSOCKET = "io.quarkus.websockets.next.WebSocket";
    private static final String WEBSOCKET_ROUTE = "io.quarkus.websockets.next.runtime.";
    private static final String REST_DISPATCHER = "org.jboss.resteasy.reactive.server.vertx.ResteasyReactiveVertxHandler";
    private static final String STATIC_RESOURCES = "io.quarkus.vertx.http.runtime.StaticResourcesRecorder";

    enum Kind { REST, VERTX, WEBSOCKET, STATIC }

    /** One endpoint: its path as registered ({@code {id}} or {@code :id} parameters, a trailing {@code *} for a prefix). */
    record Endpoint(Kind kind, String path, List<String> methods, String source) {
    }

    /** One declaration and the class or method that carries it; no methods means every method. */
    record Declaration(AccessRole role, String path, Set<String> methods, String where) {
        @Override
        public String toString() {
            return "@Access(" + role + (path.isEmpty() ? "" : ", path=\"" + path + "\"")
                    + (methods.isEmpty() ? "" : ", methods=" + methods) + ") on " + where;
        }
    }

    /** One method of one endpoint and the declaration that covers it. */
    record Row(Endpoint endpoint, String method, Declaration declaration) {
        @Override
        public String toString() {
            return method + " " + endpoint.path() + " (" + endpoint.kind() + ", " + endpoint.source() + ")";
        }
    }

    /** Every method of every endpoint with its declaration, sorted by path. */
    final List<Row> rows = new ArrayList<>();
    /** Endpoints without a declaration, stale or ambiguous declarations, routes that cannot be enumerated. */
    final List<String> problems = new ArrayList<>();
    /** Routes recognised as filters, classes that register none of their routes in this service. */
    final List<String> notes = new ArrayList<>();

    private final List<Endpoint> endpoints = new ArrayList<>();
    private final Set<String> webSocketRoutes = new TreeSet<>();

    /**
     * The inventory of a service: its router, its CDI bean classes, classes holding declarations of routes no bean
     * registers, and the root of its REST resources ({@code quarkus.rest.path}).
     */
    static RouteInventory of(Router router, Collection<Class<?>> beans, Collection<Class<?>> holders, String restRoot) {
        RouteInventory inventory = new RouteInventory();
        inventory.walk(router, "");
        Set<Class<?>> classes = new LinkedHashSet<>(beans);
        classes.addAll(holders);
        List<Declaration> routeDeclarations = new ArrayList<>();
        classes.forEach(type -> inventory.read(type, restRoot, routeDeclarations));
        inventory.match(routeDeclarations, classes, Set.copyOf(holders));
        inventory.rows.sort(Comparator.comparing((Row r) -> r.endpoint().path())
                .thenComparing(r -> EVERY_METHOD.indexOf(r.method())));
        return inventory;
    }

    private void walk(Router router, String prefix) {
        for (Route route : router.getRoutes()) {
            RouteFacts facts = RouteFacts.of(route);
            String path = route.getPath();
            Router sub = facts.subRouter();
            if (sub != null && path != null) {
                walk(sub, prefix + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path));
                continue;
            }
            if (path == null) {
                if (route.isRegexPath()) {
                    problems.add("a route by regular expression " + facts.pattern() + " (" + facts.handlers()
                            + "): give it a path, or teach RouteInventory to probe it");
                } else if (facts.order() < 0 || facts.handlerObjects().isEmpty()) {
                    notes.add("filter, order " + facts.order() + ": " + facts.handlers());
                } else if (facts.handlers().stream().anyMatch(h -> h.startsWith(STATIC_RESOURCES))) {
                    staticFiles(prefix, route, facts);
                } else {
                    problems.add("a route without a path (order " + facts.order() + ", " + facts.handlers() + ") answers "
                            + "every path: give it one, or teach RouteInventory what it is");
                }
                continue;
            }
            String full = prefix + path + (route.isExactPath() ? "" : "*");
            if (facts.handlers().contains(REST_DISPATCHER)) {
                notes.add("Quarkus REST's dispatcher at " + full + ": its endpoints are the resources' methods");
            } else if (facts.handlers().stream().anyMatch(h -> h.startsWith(WEBSOCKET_ROUTE))) {
                webSocketRoutes.add(full);
            } else {
                add(new Endpoint(Kind.VERTX, full, methods(route), "Vert.x route " + facts.handlers()));
            }
        }
    }

    private void staticFiles(String prefix, Route route, RouteFacts facts) {
        Object handler = facts.handlerObjects().stream()
                .filter(h -> h.getClass().getName().startsWith(STATIC_RESOURCES)).findFirst().orElseThrow();
        Set<String> files = new TreeSet<>();
        String indexPage = null;
        for (Field field : handler.getClass().getDeclaredFields()) {
            Object value = RouteFacts.read(field, handler);
            if (value instanceof Set<?> set) {
                set.forEach(file -> files.add(String.valueOf(file)));
            } else if (field.getName().contains("indexPage") && value instanceof String page) {
                indexPage = page;
            }
        }
        if (files.isEmpty()) {
            problems.add("the static resources route (" + facts.handlers() + ") names no files: teach RouteInventory "
                    + "where this Quarkus keeps them");
            return;
        }
        Set<String> served = new TreeSet<>(files);
        for (String file : files) {
            if (indexPage != null && file.endsWith("/" + indexPage)) {
                served.add(file.substring(0, file.length() - indexPage.length()));
            }
        }
        served.forEach(file -> add(new Endpoint(Kind.STATIC, prefix + file, methods(route), "static resource")));
    }

    /** Adds an endpoint unless one of that kind, path and methods is there (Quarkus registers some twice). */
    private void add(Endpoint endpoint) {
        if (endpoints.stream().noneMatch(e -> e.kind() == endpoint.kind() && e.path().equals(endpoint.path())
                && e.methods().equals(endpoint.methods()))) {
            endpoints.add(endpoint);
        }
    }

    /** The endpoints and declarations a class carries: REST methods, a WebSocket endpoint, declared routes. */
    private void read(Class<?> type, String restRoot, List<Declaration> routeDeclarations) {
        Annotation webSocket = Arrays.stream(type.getAnnotations())
                .filter(a -> a.annotationType().getName().equals(WEBSOCKET)).findFirst().orElse(null);
        jakarta.ws.rs.Path resource = type.getAnnotation(jakarta.ws.rs.Path.class);
        for (Access access : type.getAnnotationsByType(Access.class)) {
            Declaration declaration = new Declaration(access.value(), access.path(),
                    new LinkedHashSet<>(Arrays.asList(access.methods())), type.getName());
            if (!access.path().isEmpty()) {
                routeDeclarations.add(declaration);
            } else if (webSocket == null) {
                problems.add(declaration + ": without a path it declares a WebSocket endpoint, and this class is none");
            }
        }
        if (webSocket != null) {
            String path = annotationValue(webSocket, "path");
            Endpoint endpoint = new Endpoint(Kind.WEBSOCKET, path, List.of("GET"), type.getName());
            add(endpoint);
            if (!webSocketRoutes.contains(path.replaceAll("\\{([^}/]+)}", ":$1"))) {
                problems.add("WebSocket endpoint " + type.getName() + " (" + path + ") has no upgrade route on the router");
            }
            List<Access> declared = Arrays.stream(type.getAnnotationsByType(Access.class))
                    .filter(a -> a.path().isEmpty()).toList();
            rows.add(new Row(endpoint, "GET", single(declared, endpoint, type.getName())));
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (method.isBridge() || method.isSynthetic()) {
                    continue;
                }
                String http = httpMethod(method);
                String where = c.getSimpleName() + "#" + method.getName();
                if (resource != null && http != null) {
                    Endpoint endpoint = new Endpoint(Kind.REST, join(restRoot, resource.value(),
                            method.isAnnotationPresent(jakarta.ws.rs.Path.class)
                                    ? method.getAnnotation(jakarta.ws.rs.Path.class).value() : ""), List.of(http), where);
                    add(endpoint);
                    rows.add(new Row(endpoint, http, single(Arrays.asList(method.getAnnotationsByType(Access.class)),
                            endpoint, where)));
                } else if (resource != null && method.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                    problems.add(where + " is a sub-resource locator: RouteInventory does not follow them; declare "
                            + "and enumerate its resource's methods");
                } else if (method.getAnnotationsByType(Access.class).length > 0) {
                    problems.add("stale: @Access on " + where + ", which is no REST endpoint method");
                }
            }
        }
    }

    /** The one declaration of a REST method or WebSocket endpoint: a role, no path, no methods. */
    private Declaration single(List<Access> declared, Endpoint endpoint, String where) {
        if (declared.isEmpty()) {
            return null;
        }
        Access access = declared.get(0);
        if (declared.size() > 1 || !access.path().isEmpty() || access.methods().length > 0) {
            problems.add(endpoint.kind() + " " + endpoint.path() + " (" + where + ") must carry exactly one "
                    + "@Access(role), without path or methods");
        }
        return new Declaration(access.value(), "", Set.of(), where);
    }

    private void match(List<Declaration> declarations, Set<Class<?>> classes, Set<Class<?>> holders) {
        for (String route : webSocketRoutes) {
            boolean known = endpoints.stream().anyMatch(e -> e.kind() == Kind.WEBSOCKET
                    && e.path().replaceAll("\\{([^}/]+)}", ":$1").equals(route));
            if (!known) {
                problems.add("WebSocket upgrade route " + route + " belongs to no @WebSocket bean this test can see");
            }
        }
        Set<Declaration> used = new LinkedHashSet<>();
        // two routes of one path and method (ApiProxy's body handler, then its handler) make one row
        Set<String> listed = new LinkedHashSet<>();
        for (Endpoint endpoint : endpoints) {
            if (endpoint.kind() != Kind.VERTX && endpoint.kind() != Kind.STATIC) {
                continue;
            }
            for (String method : endpoint.methods()) {
                if (!listed.add(method + " " + endpoint.path())) {
                    continue;
                }
                Declaration chosen = choose(declarations, endpoint, method);
                if (chosen != null) {
                    used.add(chosen);
                }
                rows.add(new Row(endpoint, method, chosen));
            }
        }
        for (Row row : rows) {
            if (row.declaration() == null) {
                problems.add("undeclared: " + row + ": declare who may use it with @Access, on the class that registers it "
                        + "or, for a route Quarkus registers, on a class the test names (QuarkusRoutes and the like)");
            }
        }
        for (Class<?> type : classes) {
            List<Declaration> own = declarations.stream().filter(d -> d.where().equals(type.getName())).toList();
            List<Declaration> unused = own.stream().filter(d -> !used.contains(d)).toList();
            if (unused.isEmpty()) {
                continue;
            }
            if (unused.size() == own.size() && !holders.contains(type)) { // a bean that registers its routes conditionally
                notes.add(type.getName() + " registers none of its declared routes in this service " + unused.stream()
                        .map(d -> d.methods() + " " + d.path()).toList());
            } else {
                unused.forEach(d -> problems.add("stale: " + d + " covers no route this service serves"));
            }
        }
    }

    /** The most specific declaration covering {@code method} on {@code endpoint}, or null; a tie is a problem. */
    private Declaration choose(List<Declaration> declarations, Endpoint endpoint, String method) {
        Comparator<Declaration> specific = Comparator
                .comparingInt((Declaration d) -> specificity(d.path(), endpoint.path()))
                .thenComparing(d -> !d.methods().isEmpty());
        List<Declaration> candidates = declarations.stream()
                .filter(d -> specificity(d.path(), endpoint.path()) >= 0)
                .filter(d -> d.methods().isEmpty() || d.methods().contains(method))
                .sorted(specific.reversed()).toList();
        if (candidates.size() > 1 && specific.compare(candidates.get(0), candidates.get(1)) == 0) {
            problems.add("ambiguous: " + method + " " + endpoint.path() + " is declared by " + candidates.get(0)
                    + " and by " + candidates.get(1));
        }
        return candidates.isEmpty() ? null : candidates.get(0);
    }

    /** How closely {@code declared} names {@code path}: exactly (highest), by a prefix (its length), or not (-1). */
    static int specificity(String declared, String path) {
        if (declared.equals(path)) {
            return Integer.MAX_VALUE;
        }
        String prefix = declared.endsWith("*") ? declared.substring(0, declared.length() - 1) : null;
        return prefix != null && path.startsWith(prefix) ? prefix.length() : -1;
    }

    private static List<String> methods(Route route) {
        if (route.methods() == null || route.methods().isEmpty()) {
            return EVERY_METHOD;
        }
        return route.methods().stream().map(m -> m.name()).sorted(Comparator.comparingInt(m ->
                EVERY_METHOD.contains(m) ? EVERY_METHOD.indexOf(m) : EVERY_METHOD.size())).toList();
    }

    /** The HTTP method of a JAX-RS resource method: its annotation that carries {@code @HttpMethod}; null for none. */
    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            jakarta.ws.rs.HttpMethod http = annotation.annotationType().getAnnotation(jakarta.ws.rs.HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static String join(String... parts) {
        String joined = Arrays.stream(parts).map(p -> p.replaceAll("^/+|/+$", "")).filter(p -> !p.isEmpty())
                .collect(Collectors.joining("/", "/", ""));
        return joined.replaceAll("\\{\\s*([^}:\\s]+)\\s*(:[^}]*)?}", "{$1}");
    }

    private static String annotationValue(Annotation annotation, String name) {
        try {
            return String.valueOf(annotation.annotationType().getMethod(name).invoke(annotation));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + name + " of " + annotation, e);
        }
    }

    /** What the Vert.x route API does not tell: order, handlers, a sub-router, a regular expression (read by reflection). */
    private record RouteFacts(int order, List<Object> handlerObjects, Object pattern) {
        static RouteFacts of(Route route) {
            try {
                Method stateOf = route.getClass().getDeclaredMethod("state");
                stateOf.setAccessible(true);
                Object state = stateOf.invoke(route);
                Object handlers = call(state, "getContextHandlers");
                return new RouteFacts((Integer) call(state, "getOrder"),
                        handlers == null ? List.of() : List.copyOf((List<?>) handlers), call(state, "getPattern"));
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("cannot read the state of route " + route.getPath() + " ("
                        + route.getClass().getName() + "): has Vert.x Web changed? RouteInventory reads its RouteState", e);
            }
        }

        List<String> handlers() {
            return handlerObjects.stream().map(h -> h.getClass().getName().replaceAll("\\$\\$Lambda.*", "\\$\\$Lambda"))
                    .toList();
        }

        /** The router a route mounts ({@code subRouter}), found among its handler's captured fields; null for none. */
        Router subRouter() {
            for (Object handler : handlerObjects) {
                for (Field field : handler.getClass().getDeclaredFields()) {
                    if (Router.class.isAssignableFrom(field.getType()) || field.getType() == Object.class) {
                        if (read(field, handler) instanceof Router router) {
                            return router;
                        }
                    }
                }
            }
            return null;
        }

        private static Object call(Object target, String name) throws ReflectiveOperationException {
            Method method = target.getClass().getDeclaredMethod(name);
            method.setAccessible(true);
            return method.invoke(target);
        }

        static Object read(Field field, Object target) {
            try {
                field.setAccessible(true);
                return field.get(target);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    }
}
