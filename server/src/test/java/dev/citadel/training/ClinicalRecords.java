package dev.citadel.training;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A seeded clinical extract with a learnable signal: identifiers (name, SSN, e-mail) that must never
 * become features, clinical columns, a readmission flag that depends on age, prior admissions,
 * glucose and diagnosis, and a length of stay that depends on age and prior admissions.
 */
public final class ClinicalRecords {

    static final String HEADER = "patient_id,full_name,ssn,email,age,sex,ward,diagnosis,systolic_bp,glucose,bmi,"
            + "prior_admissions,length_of_stay,readmitted,notes";

    private static final String[] FIRST = {"Jane", "John", "Maria", "Wei", "Amara", "Lars", "Priya", "Tomas"};
    private static final String[] LAST = {"Roe", "Smith", "Garcia", "Chen", "Okafor", "Berg", "Patel", "Novak"};
    private static final String[] WARDS = {"cardiology", "oncology", "general", "icu"};
    private static final String[] DIAGNOSES = {"diabetes", "hypertension", "asthma", "copd", "healthy"};

    private ClinicalRecords() {}

    public static String csv(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < rows; i++) {
            int age = 20 + random.nextInt(70);
            int prior = random.nextInt(5);
            double glucose = 70 + random.nextDouble() * 130;
            int diagnosis = random.nextInt(DIAGNOSES.length);
            double risk = 0.06 * (age - 55) + 0.9 * (prior - 2) + 0.03 * (glucose - 135)
                    + (diagnosis == 3 ? 1.2 : diagnosis == 4 ? -1.5 : 0) + random.nextGaussian() * 0.6;
            boolean readmitted = risk > 0;
            double stay = 1.5 + 0.06 * age + 1.4 * prior + random.nextGaussian() * 0.8;
            String name = FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)];
            String ssn = String.format(Locale.ROOT, "%03d-%02d-%04d", 100 + random.nextInt(600), 10 + random.nextInt(89),
                    1000 + random.nextInt(8999));
            String email = name.toLowerCase(Locale.ROOT).replace(' ', '.') + i + "@example.org";
            csv.append(10_000 + i).append(',').append(name).append(',').append(ssn).append(',').append(email).append(',')
                    .append(age).append(',').append(random.nextBoolean() ? "F" : "M").append(',')
                    .append(WARDS[random.nextInt(WARDS.length)]).append(',').append(DIAGNOSES[diagnosis]).append(',')
                    .append(100 + random.nextInt(60)).append(',')
                    .append(String.format(Locale.ROOT, "%.1f", glucose)).append(',')
                    .append(i % 17 == 0 ? "" : String.format(Locale.ROOT, "%.1f", 18 + random.nextDouble() * 17))
                    .append(',').append(prior).append(',').append(String.format(Locale.ROOT, "%.2f", stay)).append(',')
                    .append(readmitted ? "yes" : "no").append(',')
                    .append(i % 9 == 0 ? "\"follow up with " + email + "\"" : "stable").append('\n');
        }
        return csv.toString();
    }
}
