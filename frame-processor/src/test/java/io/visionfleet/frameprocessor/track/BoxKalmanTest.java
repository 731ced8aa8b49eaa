package io.visionfleet.frameprocessor.track;

import io.visionfleet.frameprocessor.geom.Box;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Tag("quick")
class BoxKalmanTest {
    @Test
    void learnsAConstantVelocityAndPredictsAlongIt() {
        BoxKalman k = new BoxKalman(new Box(100, 50, 40, 30));
        for (int i = 1; i <= 20; i++) {
            k.predict();
            k.update(new Box(100 + 5 * i, 50 - 2 * i, 40, 30));
        }
        k.predict();
        Box predicted = k.box();
        assertThat(predicted.x()).isCloseTo(205, within(1.0));
        assertThat(predicted.y()).isCloseTo(8, within(1.0));
        assertThat(predicted.width()).isCloseTo(40, within(0.5));
        k.predict();
        assertThat(k.box().x() - predicted.x()).as("velocity").isCloseTo(5, within(0.3));
    }

    @Test
    void followsTheCameraThroughAHomography() {
        BoxKalman k = new BoxKalman(new Box(100, 100, 20, 20));
        // the camera panned: everything moved 30 px left and 10 px down, then zoomed in by 2 about the origin
        k.warp(new double[]{2, 0, -60, 0, 2, 20, 0, 0, 1});
        Box b = k.box();
        assertThat(b.centreX()).isCloseTo(2 * 110 - 60, within(1e-9));
        assertThat(b.centreY()).isCloseTo(2 * 110 + 20, within(1e-9));
        assertThat(b.width()).isCloseTo(40, within(1e-9));
    }
}
