package dev.citadel.datasets;

import java.util.ArrayList;
import java.util.List;

/** The seed-002 patient file: names, SSNs, card numbers, e-mails, dates of birth and clinical columns. */
final class PatientData {

    static final String HEADER = "patient_id,full_name,ssn,email,credit_card,date_of_birth,age,diagnosis,readmitted,notes";

    static final List<String> NAMES = List.of("Jane Roe", "John Smith", "Maria Garcia", "Wei Chen", "Amara Okafor");
    static final List<String> SSNS = List.of("123-45-6789", "234-56-7890", "345-67-8901", "456-78-9012", "567-89-0123");
    static final List<String> EMAILS = List.of("jane.roe@example.org", "jsmith@hospital.example.com",
            "maria.garcia@example.net", "wchen@example.org", "amara@example.com");
    static final List<String> CARDS = List.of("4111111111111111", "5500005555555559", "4012888888881881",
            "5105105105105100", "4242424242424242");

    private PatientData() {}

    static String csv(int rows) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        String[] diagnoses = {"diabetes", "hypertension", "asthma", "healthy"};
        for (int i = 0; i < rows; i++) {
            int p = i % 5;
            csv.append(1000 + i).append(',')
                    .append(NAMES.get(p)).append(',')
                    .append(SSNS.get(p)).append(',')
                    .append(EMAILS.get(p)).append(',')
                    .append(CARDS.get(p)).append(',')
                    .append(1950 + i % 50).append("-0").append(1 + i % 9).append("-1").append(i % 9).append(',')
                    .append(20 + i % 70).append(',')
                    .append(diagnoses[i % 4]).append(',')
                    .append(i % 3 == 0 ? "yes" : "no").append(',')
                    .append(i % 7 == 0 ? "\"Call back at " + EMAILS.get(p) + " about the follow-up visit\"" : "\"stable, no change\"")
                    .append('\n');
        }
        return csv.toString();
    }

    static List<String> identifiers() {
        List<String> all = new ArrayList<>();
        all.addAll(NAMES);
        all.addAll(SSNS);
        all.addAll(EMAILS);
        all.addAll(CARDS);
        return all;
    }
}
