package io.visionfleet.common.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One endpoint {@link RestFuzzer} attacks: its method and path template ({@code /streams/{id}/prompts}), the query
 * parameters it reads, a valid JSON body to mutate when it reads one, values of path parameters that name something
 * real (so valid-by-chance requests reach deeper code), and the answers other than 4xx it documents.
 *
 * @param sample     a valid body, or null when the endpoint reads none
 * @param real       per path parameter, values that exist in the service under test
 * @param documented statuses outside 4xx that are correct answers (200 for a valid request, 502 for a dead peer)
 */
public record FuzzEndpoint(String method, String template, List<String> query, String sample,
                           Map<String, List<String>> real, Set<Integer> documented) {
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    public static FuzzEndpoint get(String template) {
        return of("GET", template);
    }

    public static FuzzEndpoint post(String template) {
        return of("POST", template);
    }

    public static FuzzEndpoint put(String template) {
        return of("PUT", template);
    }

    public static FuzzEndpoint delete(String template) {
        return of("DELETE", template);
    }

    private static FuzzEndpoint of(String method, String template) {
        return new FuzzEndpoint(method, template, List.of(), null, Map.of(), Set.of());
    }

    /** The endpoint reads a JSON body; {@code valid} is one it accepts. */
    public FuzzEndpoint body(String valid) {
        return new FuzzEndpoint(method, template, query, valid, real, documented);
    }

    public FuzzEndpoint query(String... names) {
        return new FuzzEndpoint(method, template, List.of(names), sample, real, documented);
    }

    /** Values of path parameter {@code name} that name something real in the service under test. */
    public FuzzEndpoint real(String name, String... values) {
        Map<String, List<String>> more = new HashMap<>(real);
        more.put(name, List.of(values));
        return new FuzzEndpoint(method, template, query, sample, Map.copyOf(more), documented);
    }

    /** Statuses outside 4xx this endpoint answers by design. */
    public FuzzEndpoint answers(Integer... statuses) {
        return new FuzzEndpoint(method, template, query, sample, real, Set.of(statuses));
    }

    /** The names of the path parameters, in order. */
    public List<String> params() {
        List<String> names = new ArrayList<>();
        Matcher m = PARAM.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The template with each parameter replaced by its (already URL-encoded) value. */
    public String path(Map<String, String> values) {
        return PARAM.matcher(template).replaceAll(m -> Matcher.quoteReplacement(values.get(m.group(1))));
    }

    @Override
    public String toString() {
        return method + " " + template;
    }
}
