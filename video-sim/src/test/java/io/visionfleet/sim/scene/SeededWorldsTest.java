package io.visionfleet.sim.scene;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class SeededWorldsTest {
    private static final GroundTruthWorlds.Layout LAYOUT = new GroundTruthWorlds.Layout(640, 360, 640 / 60.0, 15, 30);

    @Test
    void aSeedAlwaysGivesTheSameWorld() {
        GroundTruthWorlds.World a = GroundTruthWorlds.generate(7, LAYOUT);
        GroundTruthWorlds.World b = GroundTruthWorlds.generate(7, LAYOUT);
        assertThat(b.roles()).isEqualTo(a.roles());
        assertThat(b.scene().actors()).hasSameSizeAs(a.scene().actors());
        for (int i = 0; i < a.scene().actors().size(); i++) {
            SceneActor x = a.scene().actors().get(i);
            SceneActor y = b.scene().actors().get(i);
            assertThat(y.path()).isEqualTo(x.path());
            assertThat(y.bgr()).isEqualTo(x.bgr());
        }
        assertThat(GroundTruthWorlds.generate(8, LAYOUT).roles()).isNotEqualTo(a.roles());
    }

    @Test
    void worldsHoldOneToSixPeopleTheTargetThroughoutAndOthersWalkingInFromOffStage() {
        List<String> roles = new ArrayList<>();
        for (long seed : LongStream.rangeClosed(1, 60).toArray()) {
            GroundTruthWorlds.World w = GroundTruthWorlds.generate(seed, LAYOUT);
            List<SceneActor> actors = w.scene().actors();
            assertThat(actors).hasSizeBetween(1, 6);
            SceneActor target = w.target();
            assertThat(target.present(0) && target.present(w.scene().frames() - 1)).as("target throughout").isTrue();
            for (SceneActor a : actors) {
                if (a == target || a.path().get(0).frame() == 0) {
                    continue;
                }
                double y = Math.abs(a.path().get(0).y()) / LAYOUT.pxPerUnit();
                assertThat(y).as("seed %d actor %d enters from off stage", seed, a.id())
                        .isGreaterThanOrEqualTo(GroundTruthWorlds.OFFSTAGE_Y - 1e-6);
            }
            boolean similar = actors.stream().anyMatch(a -> a != target && near(a.bgr(), target.bgr()));
            assertThat(similar).isEqualTo(w.roles().stream().anyMatch(r -> r.contains("similar colour")));
            roles.addAll(w.roles());
        }
        assertThat(String.join(",", roles)).contains("crosser", "stander", "companion", "passer", "pillar",
                "similar colour", "target (stands");
    }

    private static boolean near(int[] a, int[] b) {
        return Arrays.stream(new int[]{0, 1, 2}).allMatch(i -> Math.abs(a[i] - b[i]) <= 25);
    }
}
