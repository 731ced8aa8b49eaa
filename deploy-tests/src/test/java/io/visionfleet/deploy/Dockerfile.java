package io.visionfleet.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Dockerfile as instructions, continuation lines joined and comments dropped, split into its build stages; the
 * {@code ARG}s before the first {@code FROM} are its global build arguments, with their defaults.
 */
record Dockerfile(Map<String, String> args, List<Stage> stages) {
    record Instruction(String keyword, String arguments) {
    }

    record Stage(String from, List<Instruction> instructions) {
        List<String> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
        }
    }

    static Dockerfile parse(String text) {
        List<Stage> stages = new ArrayList<>();
        Map<String, String> args = new LinkedHashMap<>();
        StringBuilder logical = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty() && logical.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            logical.append(trimmed);
            String instruction = logical.toString().strip();
            logical.setLength(0);
            int space = instruction.indexOf(' ');
            String keyword = (space < 0 ? instruction : instruction.substring(0, space)).toUpperCase(Locale.ROOT);
            String arguments = space < 0 ? "" : instruction.substring(space + 1).strip();
            if (stages.isEmpty() && keyword.equals("ARG")) {
                int eq = arguments.indexOf('=');
                args.put(eq < 0 ? arguments : arguments.substring(0, eq), eq < 0 ? null : arguments.substring(eq + 1));
            } else if (keyword.equals("FROM")) {
                stages.add(new Stage(arguments, new ArrayList<>()));
            } else {
                stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, arguments));
            }
        }
        return new Dockerfile(args, stages);
    }

    /** The image a stage starts from with the build arguments' defaults: {@code ${BASE_IMAGE}} resolved. */
    String image(Stage stage) {
        String from = stage.from().split(" ")[0];
        for (Map.Entry<String, String> a : args.entrySet()) {
            from = from.replace("${" + a.getKey() + "}", String.valueOf(a.getValue()));
        }
        return from;
    }

    Stage runtime() {
        return stages.get(stages.size() - 1);
    }

    Stage stage(String name) {
        return stages.stream().filter(s -> s.from().endsWith(" AS " + name)).findFirst()
                .orElseThrow(() -> new AssertionError("no stage named " + name));
    }
}
