package dev.citadel.monitoring.bias;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seeded loan applications with a protected attribute, {@code sex} (F, M, and a rare X), that is
 * never a feature. In the {@code biased} variant income depends on sex, and approval on income, so
 * a model trained on income alone reproduces the disparity (proxy discrimination); in the fair
 * variant nothing depends on sex. Each applicant has an identifier and an e-mail address, which
 * ingestion tokenizes.
 */
final class LoanApplications {

    static final String HEADER = "applicant_id,email,sex,region,income,years_employed,approved";
    private static final String[] REGIONS = {"north", "south", "east", "west"};

    /** One application as the test reads it back. */
    record Row(String sex, String region, double income, int yearsEmployed, boolean approved) {}

    private final List<Row> rows = new ArrayList<>();
    private final String csv;

    LoanApplications(int count, long seed, boolean biased) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < count; i++) {
            double draw = random.nextDouble();
            String sex = draw < 0.04 ? "X" : draw < 0.52 ? "F" : "M";
            double mean = !biased ? 50 : sex.equals("F") ? 40 : sex.equals("M") ? 60 : 50;
            double income = Math.round((mean + random.nextGaussian() * 12) * 10) / 10.0;
            int years = random.nextInt(31);
            String region = REGIONS[random.nextInt(REGIONS.length)];
            boolean approved = (income - 50) / 10 + 0.05 * (years - 15) + random.nextGaussian() * 0.5 > 0;
            rows.add(new Row(sex, region, income, years, approved));
            out.append(100_000 + i).append(',').append("applicant").append(i).append("@example.org").append(',')
                    .append(sex).append(',').append(region).append(',')
                    .append(String.format(Locale.ROOT, "%.1f", income)).append(',').append(years).append(',')
                    .append(approved ? "yes" : "no").append('\n');
        }
        this.csv = out.toString();
    }

    String csv() {
        return csv;
    }

    List<Row> rows() {
        return rows;
    }
}
