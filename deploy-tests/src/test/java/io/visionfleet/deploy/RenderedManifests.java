package io.visionfleet.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A kustomization rendered by {@code kubectl kustomize} (or {@code kustomize build}) and parsed into the fabric8
 * Kubernetes model. Parsing is strict: a kind the model does not know, or a field it does not know (which fabric8
 * would keep as an "additional property"), fails the test, so a misspelt {@code readinesProbe} cannot pass.
 */
final class RenderedManifests {
    private static final String INSTALL = "install kubectl (Debian: apt-get install kubernetes-client; any version from 1.14 on) or kustomize";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static boolean secretsMade;

    final List<HasMetadata> objects;

    private RenderedManifests(List<HasMetadata> objects) {
        this.objects = objects;
    }

    /**
     * Renders the kustomization at {@code dir} (absolute, or relative to the repository root), after making k8s/base's
     * Secrets as a user does first ({@code ./fleet k8s secrets}, which keeps those that exist).
     */
    static synchronized RenderedManifests render(String dir) {
        if (!secretsMade) {
            CommandLine.run(Duration.ofSeconds(30), "./fleet", "k8s", "secrets");
            secretsMade = true;
        }
        String tool = CommandLine.require(INSTALL, "kubectl", "kustomize");
        String[] command = tool.endsWith("kubectl") ? new String[] {tool, "kustomize", dir} : new String[] {tool, "build", dir};
        String yaml = CommandLine.run(Duration.ofSeconds(60), command);
        List<HasMetadata> objects = new ArrayList<>();
        try {
            for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
                KubernetesResource resource = YAML.treeToValue(doc, KubernetesResource.class);
                if (!(resource instanceof HasMetadata object) || resource instanceof GenericKubernetesResource) {
                    throw new AssertionError("not a known Kubernetes kind: " + doc.path("apiVersion") + " " + doc.path("kind"));
                }
                assertNoUnknownFields(object, object.getKind() + "/" + object.getMetadata().getName());
                objects.add(object);
            }
        } catch (IOException e) {
            throw new AssertionError("rendered manifests of " + dir + " do not parse", e);
        }
        return new RenderedManifests(objects);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The object of {@code type} named {@code name}, or generated from that name (ConfigMaps and Secrets get a hash suffix). */
    <T extends HasMetadata> T get(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)
                        || o.getMetadata().getName().matches(java.util.regex.Pattern.quote(name) + "-[a-z0-9]{10}"))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    Deployment deployment(String name) {
        return get(Deployment.class, name);
    }

    private static void assertNoUnknownFields(Object value, String path) {
        if (value == null || !value.getClass().getName().startsWith("io.fabric8.")) {
            if (value instanceof Collection<?> c) {
                int i = 0;
                for (Object item : c) {
                    assertNoUnknownFields(item, path + "[" + i++ + "]");
                }
            } else if (value instanceof Map<?, ?> m) {
                m.forEach((k, v) -> assertNoUnknownFields(v, path + "." + k));
            }
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new AssertionError(e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    throw new AssertionError(path + " has fields Kubernetes does not know: " + extra.keySet());
                }
            } else {
                assertNoUnknownFields(field, path + "." + getter.getName().substring(3));
            }
        }
    }
}
