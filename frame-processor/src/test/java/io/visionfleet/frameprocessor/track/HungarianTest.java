package io.visionfleet.frameprocessor.track;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class HungarianTest {
    @Test
    void findsTheCheapestAssignmentWhereGreedyChoiceFails() {
        // greedy takes (0,0)=1 and is then forced into (1,1)=100; the optimum pairs (0,1) and (1,0)
        assertThat(Hungarian.solve(new double[][]{{1, 2}, {3, 100}})).containsExactly(1, 0);
    }

    @Test
    void rectangularMatricesAssignAsManyPairsAsTheSmallerSide() {
        assertThat(Hungarian.solve(new double[][]{{5, 1, 9}, {2, 8, 7}})).containsExactly(1, 0);
        assertThat(Hungarian.solve(new double[][]{{5, 2}, {1, 8}, {9, 7}})).containsExactly(1, 0, -1);
        assertThat(Hungarian.solve(new double[0][0])).isEmpty();
        assertThat(Hungarian.solve(new double[][]{{}, {}})).containsExactly(-1, -1);
    }

    @Test
    void agreesWithExhaustiveSearchOnRandomMatrices() {
        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(5);
            double[][] cost = new double[n][n];
            for (double[] row : cost) {
                for (int c = 0; c < n; c++) {
                    row[c] = random.nextInt(50);
                }
            }
            int[] assignment = Hungarian.solve(cost);
            double total = 0;
            for (int r = 0; r < n; r++) {
                total += cost[r][assignment[r]];
            }
            assertThat(total).isEqualTo(best(cost, 0, new boolean[n]));
        }
    }

    private static double best(double[][] cost, int row, boolean[] used) {
        if (row == cost.length) {
            return 0;
        }
        double best = Double.MAX_VALUE;
        for (int c = 0; c < cost.length; c++) {
            if (!used[c]) {
                used[c] = true;
                best = Math.min(best, cost[row][c] + best(cost, row + 1, used));
                used[c] = false;
            }
        }
        return best;
    }
}
