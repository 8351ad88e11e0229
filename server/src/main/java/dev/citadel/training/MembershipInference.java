package dev.citadel.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

/**
 * The membership-inference audit every trained model gets (issue 12, ADR 0032): the loss-threshold
 * attack of Yeom, Giacomelli, Fredrikson and Jha (2018, "Privacy Risk in Machine Learning:
 * Analyzing the Connection to Overfitting", CSF) run against a balanced sample of training rows
 * (members) and held-out rows (non-members), and, for a differentially private model, the most
 * any attack may achieve under its (ε, δ) guarantee.
 *
 * <p>The attack guesses "member" when a row's loss under the model is at most a threshold. Its
 * advantage is the largest TPR − FPR over every threshold (Yeom et al., Definition 4, estimated on
 * samples); TPR at 1% FPR is the low-false-positive figure Carlini et al. (2022, "Membership
 * Inference Attacks From First Principles") argue matters more than an average. Both are read off
 * the attack's ROC curve, with ties in the loss moving together (a tie cannot be split by a
 * threshold), and TPR at a given FPR linearly interpolated between the two ROC vertices around it:
 * a randomised choice between those two thresholds achieves exactly that point, so it is a value
 * an attacker can reach, and the one the DP bound speaks about.
 *
 * <p>The DP bound is the hypothesis-testing view of differential privacy (Wasserman and Zhou 2010;
 * Kairouz, Oh and Viswanath 2015, "The Composition Theorem for Differential Privacy", ICML): for any
 * test between "the row was in" and "the row was out", TPR ≤ e^ε·FPR + δ and, by symmetry,
 * 1 − FPR ≤ e^ε·(1 − TPR) + δ. Hence TPR − FPR ≤ (e^ε − 1 + 2δ)/(e^ε + 1) and TPR at FPR x is at
 * most min(1, e^ε·x + δ, 1 − e^−ε·(1 − δ − x)). Humphries et al. (2023, "Investigating Membership
 * Inference Attacks under Data Dependencies", CSF) show the bound assumes rows drawn independently;
 * correlated rows (one person several times) weaken it.
 *
 * <p>What is measured here is one attack on one model: a sample estimate whose sampling error is
 * bounded by the Dvoretzky–Kiefer–Wolfowitz inequality with Massart's constant, applied to each of
 * the two empirical loss distributions ({@link #margin}). A low measured advantage is no proof of
 * privacy; only the DP bound is a guarantee.
 */
final class MembershipInference {

    /** At most this many members and as many non-members are scored, so the audit stays cheap on large data. */
    static final int MAX_SAMPLE = 10_000;

    /** Below this many non-members, 1% FPR is not one whole false positive and TPR at 1% FPR is not reported. */
    static final int MIN_NON_MEMBERS_FOR_LOW_FPR = 100;

    /** The FPR of the low-false-positive figure. */
    static final double LOW_FPR = 0.01;

    /** The confidence of the reported sampling margin. */
    static final double CONFIDENCE = 0.95;

    /** Mixed into the job's seed so the audit's sample does not correlate with the split's shuffle. */
    private static final long SAMPLE_SALT = 0x6D656D6265727321L;

    private MembershipInference() {}

    /**
     * What the loss-threshold attack achieved on one sample.
     *
     * @param tprAtLowFpr TPR at {@link #LOW_FPR}, or null with fewer than {@link #MIN_NON_MEMBERS_FOR_LOW_FPR} non-members
     * @param auc the area under the attack's ROC curve (0.5: no better than a coin)
     */
    record Attack(int members, int nonMembers, double advantage, Double tprAtLowFpr, double auc) {}

    /** A differential-privacy guarantee: the ε the accountant proved and its δ. */
    record Guarantee(double epsilon, double delta) {

        /** The largest TPR − FPR any membership test may reach: (e^ε − 1 + 2δ)/(e^ε + 1), at most 1. */
        double advantage() {
            if (epsilon > 700) {
                return 1;
            }
            double e = Math.exp(epsilon);
            return Math.min(1, (e - 1 + 2 * delta) / (e + 1));
        }

        /** The largest TPR any membership test may reach at false-positive rate {@code fpr}. */
        double tprAt(double fpr) {
            if (epsilon > 700) {
                return 1;
            }
            double e = Math.exp(epsilon);
            double first = e * fpr + delta;
            double second = 1 - (1 - delta - fpr) / e;
            return Math.max(0, Math.min(1, Math.min(first, second)));
        }
    }

    /**
     * Runs the attack: a row is guessed a member when its loss is at most the threshold, for every
     * threshold. NaN losses count as infinitely large (never guessed members).
     */
    static Attack lossThreshold(double[] memberLosses, double[] nonMemberLosses) {
        if (memberLosses.length == 0 || nonMemberLosses.length == 0) {
            throw new IllegalArgumentException("the attack needs at least one member and one non-member");
        }
        double[] members = sorted(memberLosses);
        double[] nonMembers = sorted(nonMemberLosses);
        int n = members.length;
        int m = nonMembers.length;
        int i = 0;
        int j = 0;
        double best = 0;
        double auc = 0;
        double previousFpr = 0;
        double previousTpr = 0;
        double tprAtLowFpr = Double.NaN;
        while (i < n || j < m) {
            double threshold = Math.min(i < n ? members[i] : Double.POSITIVE_INFINITY,
                    j < m ? nonMembers[j] : Double.POSITIVE_INFINITY);
            while (i < n && members[i] == threshold) {
                i++;
            }
            while (j < m && nonMembers[j] == threshold) {
                j++;
            }
            double tpr = i / (double) n;
            double fpr = j / (double) m;
            best = Math.max(best, tpr - fpr);
            auc += (fpr - previousFpr) * (tpr + previousTpr) / 2;
            if (Double.isNaN(tprAtLowFpr) && fpr > LOW_FPR) {
                // the previous vertex has FPR ≤ 1% and the highest TPR of any such vertex
                tprAtLowFpr = previousTpr + (tpr - previousTpr) * (LOW_FPR - previousFpr) / (fpr - previousFpr);
            }
            previousFpr = fpr;
            previousTpr = tpr;
        }
        return new Attack(n, m, best, m >= MIN_NON_MEMBERS_FOR_LOW_FPR ? tprAtLowFpr : null, auc);
    }

    /**
     * The half-width of a two-sided confidence interval, at {@code confidence}, for the advantage of
     * the best threshold on the distributions the samples came from. By the DKW inequality (Massart
     * 1990), each empirical CDF is within sqrt(ln(2/a)/(2k)) of its distribution everywhere with
     * probability 1 − a; TPR − FPR at every threshold, and so its maximum, then moves by at most the
     * sum of the two. The error {@code 1 − confidence} is split evenly between the two samples.
     */
    static double margin(int members, int nonMembers, double confidence) {
        double a = (1 - confidence) / 2;
        double half = Math.sqrt(Math.log(2 / a) / (2.0 * members)) + Math.sqrt(Math.log(2 / a) / (2.0 * nonMembers));
        return Math.min(1, half);
    }

    /**
     * {@code k} distinct indices of {@code 0..size-1}, at most {@code size}, chosen uniformly by a
     * partial Fisher–Yates shuffle seeded with {@code random}.
     */
    static int[] sample(int size, int k, SplittableRandom random) {
        int[] indices = new int[size];
        for (int i = 0; i < size; i++) {
            indices[i] = i;
        }
        int take = Math.min(size, k);
        for (int i = 0; i < take; i++) {
            int j = i + random.nextInt(size - i);
            int swap = indices[i];
            indices[i] = indices[j];
            indices[j] = swap;
        }
        return Arrays.copyOf(indices, take);
    }

    /**
     * Audits a classifier with the cross-entropy loss −log p(true label); see {@link #report}.
     */
    static Map<String, Object> classifier(Model<Label> model, Dataset<Label> train, Dataset<Label> test, long seed,
            Guarantee guarantee) {
        boolean probabilities = model.generatesProbabilities();
        return report(model, train, test, seed, guarantee, "cross-entropy",
                (prediction, truth) -> crossEntropy(prediction, truth.getLabel(), probabilities));
    }

    /** Audits a regressor with the squared error of its (single) output; see {@link #report}. */
    static Map<String, Object> regressor(Model<Regressor> model, Dataset<Regressor> train, Dataset<Regressor> test,
            long seed, Guarantee guarantee) {
        return report(model, train, test, seed, guarantee, "squared-error", (prediction, truth) -> {
            double error = prediction.getOutput().getValues()[0] - truth.getValues()[0];
            return error * error;
        });
    }

    /** A per-example loss from the model's prediction and the true output. */
    @FunctionalInterface
    interface Loss<T extends Output<T>> {
        double of(Prediction<T> prediction, T truth);
    }

    /**
     * The report recorded in a model version's metrics: the same number of members and non-members
     * (all held-out rows up to {@link #MAX_SAMPLE}, and as many training rows), sampled with a
     * generator seeded from the job's seed so the same job gives the same report, attacked with
     * {@link #lossThreshold}; with the DP bound when {@code guarantee} is not null.
     */
    static <T extends Output<T>> Map<String, Object> report(Model<T> model, Dataset<T> train, Dataset<T> test,
            long seed, Guarantee guarantee, String lossName, Loss<T> loss) {
        int k = Math.min(MAX_SAMPLE, Math.min(train.size(), test.size()));
        SplittableRandom random = new SplittableRandom(seed ^ SAMPLE_SALT);
        double[] memberLosses = losses(model, train, sample(train.size(), k, random), loss);
        double[] nonMemberLosses = losses(model, test, sample(test.size(), k, random), loss);
        Attack attack = lossThreshold(memberLosses, nonMemberLosses);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("attack", "loss-threshold");
        report.put("loss", lossName);
        report.put("members", attack.members());
        report.put("nonMembers", attack.nonMembers());
        report.put("advantage", attack.advantage());
        report.put("advantageMargin", margin(attack.members(), attack.nonMembers(), CONFIDENCE));
        report.put("confidence", CONFIDENCE);
        report.put("tprAt1PctFpr", attack.tprAtLowFpr());
        report.put("auc", attack.auc());
        if (guarantee != null) {
            Map<String, Object> bound = new LinkedHashMap<>();
            bound.put("epsilon", guarantee.epsilon());
            bound.put("delta", guarantee.delta());
            bound.put("advantage", guarantee.advantage());
            bound.put("tprAt1PctFpr", guarantee.tprAt(LOW_FPR));
            report.put("dpBound", bound);
        }
        return report;
    }

    private static <T extends Output<T>> double[] losses(Model<T> model, Dataset<T> rows, int[] chosen, Loss<T> loss) {
        List<Example<T>> examples = new ArrayList<>(chosen.length);
        for (int index : chosen) {
            examples.add(rows.getExample(index));
        }
        List<Prediction<T>> predictions = model.predict(examples);
        double[] losses = new double[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            losses[i] = loss.of(predictions.get(i), examples.get(i).getOutput());
        }
        return losses;
    }

    /** −log p(truth), with p from the model's probabilities, or a softmax of its scores when it has none. */
    private static double crossEntropy(Prediction<Label> prediction, String truth, boolean probabilities) {
        Map<String, Label> scores = prediction.getOutputScores();
        Label label = scores.get(truth);
        if (label == null) {
            return Double.POSITIVE_INFINITY;
        }
        double p;
        if (probabilities) {
            p = label.getScore();
        } else {
            double max = scores.values().stream().mapToDouble(Label::getScore).max().orElse(0);
            double sum = scores.values().stream().mapToDouble(l -> Math.exp(l.getScore() - max)).sum();
            p = Math.exp(label.getScore() - max) / sum;
        }
        return p > 0 ? -Math.log(p) : Double.POSITIVE_INFINITY;
    }

    private static double[] sorted(double[] losses) {
        double[] copy = new double[losses.length];
        for (int i = 0; i < losses.length; i++) {
            copy[i] = Double.isNaN(losses[i]) ? Double.POSITIVE_INFINITY : losses[i];
        }
        Arrays.sort(copy);
        return copy;
    }
}
