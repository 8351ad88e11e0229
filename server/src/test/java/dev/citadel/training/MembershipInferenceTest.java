package dev.citadel.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * The loss-threshold attack's figures on inputs whose answers can be worked out by hand, the DP
 * bound's formula, and a mechanism whose best attack is known exactly (randomised response).
 */
class MembershipInferenceTest {

    @Test
    void perfectlySeparatedLossesGiveAdvantageOneAndFullTprAtOnePercent() {
        double[] members = IntStream.range(0, 100).mapToDouble(i -> i / 1000.0).toArray();
        double[] nonMembers = IntStream.range(0, 100).mapToDouble(i -> 1 + i).toArray();
        MembershipInference.Attack attack = MembershipInference.lossThreshold(members, nonMembers);
        assertThat(attack.advantage()).isEqualTo(1.0);
        assertThat(attack.tprAtLowFpr()).isEqualTo(1.0);
        assertThat(attack.auc()).isEqualTo(1.0);
    }

    @Test
    void identicalLossesGiveNoAdvantage() {
        double[] losses = IntStream.range(0, 200).mapToDouble(i -> (i * 37 % 200) / 10.0).toArray();
        MembershipInference.Attack attack = MembershipInference.lossThreshold(losses, losses.clone());
        assertThat(attack.advantage()).isZero();
        assertThat(attack.auc()).isEqualTo(0.5, within(1e-12));
        assertThat(attack.tprAtLowFpr()).isEqualTo(0.01, within(1e-12));
    }

    @Test
    void tiesMoveTogetherSoEqualLossesCannotBeSplit() {
        // every loss the same: the only thresholds are "nobody" and "everybody"
        double[] members = new double[150];
        double[] nonMembers = new double[150];
        MembershipInference.Attack attack = MembershipInference.lossThreshold(members, nonMembers);
        assertThat(attack.advantage()).isZero();
        assertThat(attack.auc()).isEqualTo(0.5);
        // a coin that says "member" with probability 1% reaches TPR 1% at FPR 1%
        assertThat(attack.tprAtLowFpr()).isEqualTo(0.01, within(1e-12));
    }

    @Test
    void membersWithHigherLossGiveNoAdvantageToThisAttack() {
        double[] members = {5, 6, 7, 8};
        double[] nonMembers = {1, 2, 3, 4};
        MembershipInference.Attack attack = MembershipInference.lossThreshold(members, nonMembers);
        assertThat(attack.advantage()).isZero();
        assertThat(attack.auc()).isZero();
    }

    @Test
    void aHandWorkedSweep() {
        // thresholds 1, 2, 2.5, 3, 3.5, 4: TPR − FPR = .25, .5, .25, .5, .25, .5, then falling
        double[] members = {4, 2, 3, 1};
        double[] nonMembers = {6, 3.5, 2.5, 5};
        MembershipInference.Attack attack = MembershipInference.lossThreshold(members, nonMembers);
        assertThat(attack.advantage()).isEqualTo(0.5);
        // P(member loss < non-member loss) = (4 + 4 + 3 + 2) / 16
        assertThat(attack.auc()).isEqualTo(13.0 / 16);
        assertThat(attack.members()).isEqualTo(4);
        assertThat(attack.nonMembers()).isEqualTo(4);
        assertThat(attack.tprAtLowFpr()).as("4 non-members cannot give a 1% FPR").isNull();
    }

    @Test
    void tprAtOnePercentFprInterpolatesAcrossATie() {
        // 200 non-members: three tied at loss 1, the rest far above; 20 members: 10 at 0.5, 10 tied at 1.
        // ROC vertices (0, 0.5) then (0.015, 1.0); at FPR 0.01 a randomised threshold reaches
        // 0.5 + 0.5 · 0.01/0.015 = 5/6
        double[] nonMembers = new double[200];
        Arrays.fill(nonMembers, 0, 3, 1.0);
        for (int i = 3; i < 200; i++) {
            nonMembers[i] = 10 + i;
        }
        double[] members = new double[20];
        Arrays.fill(members, 0, 10, 0.5);
        Arrays.fill(members, 10, 20, 1.0);
        MembershipInference.Attack attack = MembershipInference.lossThreshold(members, nonMembers);
        assertThat(attack.tprAtLowFpr()).isEqualTo(5.0 / 6, within(1e-12));
        assertThat(attack.advantage()).isEqualTo(1 - 0.015, within(1e-12));
    }

    @Test
    void aVertexExactlyAtOnePercentIsTakenAsIs() {
        // 100 non-members at 1..100, members at 0.5 (half) and 2.5 (half): vertices (0, .5), (.01, .5), (.02, .5), (.02, 1)
        double[] nonMembers = IntStream.rangeClosed(1, 100).mapToDouble(i -> i).toArray();
        double[] members = new double[10];
        Arrays.fill(members, 0, 5, 0.5);
        Arrays.fill(members, 5, 10, 2.5);
        MembershipInference.Attack attack = MembershipInference.lossThreshold(members, nonMembers);
        assertThat(attack.tprAtLowFpr()).isEqualTo(0.5);
        assertThat(attack.advantage()).isEqualTo(0.98, within(1e-12));
    }

    @Test
    void nanLossesCountAsNeverMembers() {
        double[] members = {Double.NaN, 0.1};
        double[] nonMembers = {1, 2};
        MembershipInference.Attack attack = MembershipInference.lossThreshold(members, nonMembers);
        assertThat(attack.advantage()).isEqualTo(0.5);
    }

    @Test
    void theDpBoundFollowsTheHypothesisTestingFormula() {
        // ε = ln 3, δ = 0: (3 − 1)/(3 + 1)
        assertThat(new MembershipInference.Guarantee(Math.log(3), 0).advantage()).isEqualTo(0.5, within(1e-12));
        assertThat(new MembershipInference.Guarantee(0, 0).advantage()).isZero();
        assertThat(new MembershipInference.Guarantee(0, 0.1).advantage()).isEqualTo(0.1, within(1e-12));
        double e3 = Math.exp(3);
        MembershipInference.Guarantee three = new MembershipInference.Guarantee(3, 1e-5);
        assertThat(three.advantage()).isEqualTo((e3 - 1 + 2e-5) / (e3 + 1), within(1e-15));
        assertThat(three.advantage()).isEqualTo(0.9051, within(1e-4));
        assertThat(three.tprAt(0.01)).isEqualTo(e3 * 0.01 + 1e-5, within(1e-15));
        assertThat(three.tprAt(0.01)).isEqualTo(0.2009, within(1e-4));
        // near FPR 1 the symmetric constraint binds: TPR ≤ 1 − e^−ε(1 − δ − FPR)
        assertThat(three.tprAt(0.9)).isEqualTo(1 - (1 - 1e-5 - 0.9) / e3, within(1e-15));
        assertThat(new MembershipInference.Guarantee(50, 1e-5).advantage()).isEqualTo(1.0, within(1e-15));
        assertThat(new MembershipInference.Guarantee(1000, 1e-5).advantage()).isEqualTo(1.0);
        assertThat(new MembershipInference.Guarantee(1000, 1e-5).tprAt(0.01)).isEqualTo(1.0);
    }

    @Test
    void randomisedResponseMeetsTheBoundWithinTheSamplingMargin() {
        // ε-DP randomised response on membership: a member's loss is 0 with probability e^ε/(1 + e^ε), a
        // non-member's with 1/(1 + e^ε). Its best threshold achieves exactly the bound (e^ε − 1)/(e^ε + 1).
        double epsilon = 1;
        double keep = Math.exp(epsilon) / (1 + Math.exp(epsilon));
        SplittableRandom random = new SplittableRandom(7);
        int n = 20_000;
        double[] members = new double[n];
        double[] nonMembers = new double[n];
        for (int i = 0; i < n; i++) {
            members[i] = random.nextDouble() < keep ? 0 : 1;
            nonMembers[i] = random.nextDouble() < keep ? 1 : 0;
        }
        MembershipInference.Attack attack = MembershipInference.lossThreshold(members, nonMembers);
        double bound = new MembershipInference.Guarantee(epsilon, 0).advantage();
        double margin = MembershipInference.margin(n, n, 0.9999);
        assertThat(attack.advantage()).isLessThanOrEqualTo(bound + margin).isGreaterThan(bound - margin);
    }

    @Test
    void theSamplingMarginIsTheSumOfTwoDkwBands() {
        // a = 0.025 per sample: sqrt(ln 80 / 1200) twice
        assertThat(MembershipInference.margin(600, 600, 0.95)).isEqualTo(2 * Math.sqrt(Math.log(80) / 1200), within(1e-12));
        assertThat(MembershipInference.margin(10_000, 10_000, 0.95)).isLessThan(0.03);
        assertThat(MembershipInference.margin(3, 3, 0.95)).isEqualTo(1.0);
    }

    @Test
    void theSampleIsDistinctBoundedAndReproducible() {
        int[] first = MembershipInference.sample(1000, 50, new SplittableRandom(3));
        int[] again = MembershipInference.sample(1000, 50, new SplittableRandom(3));
        assertThat(first).hasSize(50).containsExactly(again);
        assertThat(Arrays.stream(first).distinct().count()).isEqualTo(50);
        assertThat(Arrays.stream(first).allMatch(i -> i >= 0 && i < 1000)).isTrue();
        assertThat(MembershipInference.sample(10, 50, new SplittableRandom(3))).hasSize(10)
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }
}
